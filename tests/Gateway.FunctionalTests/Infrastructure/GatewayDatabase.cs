using System.Data.Common;
using Gateway.Core.Audit;
using Gateway.Core.Storage;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Gateway.FunctionalTests.Infrastructure;

/// <summary>
/// Read-only look into a gateway's store, for what a test must check behind its API. A store is named by its SQLite
/// file's path or, for gateways on PostgreSQL, by the database's connection string (<see cref="DeliveryNetwork.Store"/>):
/// both stores name their tables and columns alike.
/// </summary>
public static class GatewayDatabase
{
    /// <summary>Ids of the stored messages of each case, in the order the gateway accepted them.</summary>
    public static Dictionary<string, List<string>> MessagesByCase(string path)
    {
        var cases = new Dictionary<string, List<string>>();
        Query(path, "SELECT case_reference, message_id FROM messages ORDER BY audit_sequence", r =>
        {
            var key = r.GetString(0);
            if (!cases.TryGetValue(key, out var ids))
            {
                cases[key] = ids = [];
            }

            ids.Add(r.GetString(1));
        });
        return cases;
    }

    /// <summary>Number of deliveries in each state (DeliveryState values).</summary>
    public static Dictionary<int, long> DeliveryStates(string path)
    {
        var states = new Dictionary<int, long>();
        Query(path, "SELECT state, count(*) FROM deliveries GROUP BY state", r => states[r.GetInt32(0)] = r.GetInt64(1));
        return states;
    }

    /// <summary>The audit entries of one kind, in order: the message each is about and its details.</summary>
    public static List<(string MessageId, AuditDetails Details)> Audit(string path, string kind)
    {
        var entries = new List<(string, AuditDetails)>();
        Query(path, "SELECT message_id, detail FROM audit WHERE kind = $kind ORDER BY seq", r => entries.Add((r.GetString(0), AuditDetails.Parse(r.GetString(1)))), ("$kind", kind));
        return entries;
    }

    /// <summary>The deliveries of one message: recipient, state (a DeliveryState value) and attempts, by delivery id.</summary>
    public static List<(string Recipient, int State, int Attempts)> Deliveries(string path, string messageId)
    {
        var deliveries = new List<(string, int, int)>();
        Query(
            path,
            "SELECT recipient, state, attempts FROM deliveries WHERE message_id = $id ORDER BY delivery_id",
            r => deliveries.Add((r.GetString(0), r.GetInt32(1), r.GetInt32(2))),
            ("$id", messageId));
        return deliveries;
    }

    /// <summary>
    /// The deliveries in flight under the lease of a worker whose name begins with <paramref name="workerPrefix"/>: a
    /// dispatcher's begins with its instance's <c>machine/process id/</c>.
    /// </summary>
    public static List<(string MessageId, string Recipient)> LeasedTo(string path, string workerPrefix)
    {
        var deliveries = new List<(string, string)>();
        Query(
            path,
            $"SELECT message_id, recipient FROM deliveries WHERE state = {(int)DeliveryState.InFlight} AND substr(lease_owner, 1, length($prefix)) = $prefix",
            r => deliveries.Add((r.GetString(0), r.GetString(1))),
            ("$prefix", workerPrefix));
        return deliveries;
    }

    /// <summary>The most attempts any delivery took.</summary>
    public static int MostAttempts(string path)
    {
        var most = 0;
        Query(path, "SELECT coalesce(max(attempts), 0) FROM deliveries", r => most = r.GetInt32(0));
        return most;
    }

    /// <summary>The audit entries of one kind, in order, with who wrote each and when.</summary>
    public static List<(string MessageId, string Actor, DateTimeOffset At, AuditDetails Details)> AuditBy(string path, string kind)
    {
        var entries = new List<(string, string, DateTimeOffset, AuditDetails)>();
        Query(
            path,
            "SELECT message_id, actor, at, detail FROM audit WHERE kind = $kind ORDER BY seq",
            r => entries.Add((r.GetString(0), r.GetString(1), AuditChain.FromMicroseconds(r.GetInt64(2)), AuditDetails.Parse(r.GetString(3)))),
            ("$kind", kind));
        return entries;
    }

    /// <summary>The audit entries about one message, in order: kind and details as stored.</summary>
    public static List<(string Kind, string Details)> AuditAbout(string path, string messageId)
    {
        var entries = new List<(string, string)>();
        Query(path, "SELECT kind, detail FROM audit WHERE message_id = $id ORDER BY seq", r => entries.Add((r.GetString(0), r.GetString(1))), ("$id", messageId));
        return entries;
    }

    private static void Query(string path, string sql, Action<DbDataReader> row, params (string Name, object Value)[] parameters)
    {
        using var connection = IsPostgres(path)
            ? (DbConnection)new NpgsqlConnection(path)
            : new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        // Npgsql names parameters @name, SQLite also takes $name.
        command.CommandText = IsPostgres(path) ? sql.Replace('$', '@') : sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name.TrimStart('$');
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            row(reader);
        }
    }

    private static bool IsPostgres(string store) => store.StartsWith("Host=", StringComparison.OrdinalIgnoreCase);
}
