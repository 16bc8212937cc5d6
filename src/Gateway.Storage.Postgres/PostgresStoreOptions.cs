namespace Gateway.Storage.Postgres;

/// <summary>Settings of the shared PostgreSQL store (section <c>Gateway:Storage:Postgres</c>).</summary>
public sealed class PostgresStoreOptions
{
    public const string Section = "Gateway:Storage:Postgres";

    /// <summary>
    /// Npgsql's connection string (<c>Host=...;Port=...;Database=...;Username=...;Password=...</c>). Every instance that
    /// shares the store names the same database. Npgsql's pool settings apply (<c>Maximum Pool Size</c>, default 100).
    /// </summary>
    public string ConnectionString { get; set; } = string.Empty;
}
