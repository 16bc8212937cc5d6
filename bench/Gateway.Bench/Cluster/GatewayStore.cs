namespace Gateway.Bench.Cluster;

/// <summary>Where a gateway process keeps its data, as its command-line settings: a SQLite file of its own, or a PostgreSQL database it may share.</summary>
/// <param name="ConnectionString">The PostgreSQL database's, for the bench's own look at it; null for SQLite.</param>
public sealed record GatewayStore(string Name, IReadOnlyList<string> Settings, string? ConnectionString = null)
{
    public static GatewayStore Sqlite(string path, string synchronous) =>
        new("SQLite", [$"--Gateway:Storage:Sqlite:Path={path}", $"--Gateway:Storage:Sqlite:Synchronous={synchronous}"]);

    /// <param name="keysBeside">
    /// A SQLite path beside which every instance finds the same development data and receipt keys: instances sharing a
    /// database must share the keys that seal its rows (as scripts/cluster.sh arranges).
    /// </param>
    public static GatewayStore Postgres(string connectionString, string keysBeside) =>
        new("PostgreSQL",
        [
            "--Gateway:Storage:Provider=Postgres",
            $"--Gateway:Storage:Postgres:ConnectionString={connectionString}",
            $"--Gateway:Storage:Sqlite:Path={keysBeside}",
        ],
        connectionString);
}
