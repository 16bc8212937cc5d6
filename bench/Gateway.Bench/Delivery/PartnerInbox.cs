using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Gateway.Bench.Delivery;

/// <summary>
/// Reads what a PartnerSim applied from its inbox (<c>inbox.db</c>, table <c>applied</c>) without taking part in it,
/// so that the bench counts messages where they count: committed at the endpoint.
/// </summary>
public static class PartnerInbox
{
    /// <summary>Messages applied so far.</summary>
    public static long Count(string dataDirectory)
    {
        using var connection = Open(dataDirectory);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM applied";
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>
    /// Each applied message id with its <c>received_at</c>: PartnerSim stamps it (UTC, 100 ns resolution, this machine's
    /// clock) when the group commit that applies it begins, before that commit's flush.
    /// </summary>
    public static Dictionary<string, DateTimeOffset> AppliedAt(string dataDirectory)
    {
        using var connection = Open(dataDirectory);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT message_id, received_at FROM applied";
        using var reader = command.ExecuteReader();
        var applied = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        while (reader.Read())
        {
            applied[reader.GetString(0)] = DateTimeOffset.Parse(reader.GetString(1), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        }

        return applied;
    }

    private static SqliteConnection Open(string dataDirectory)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDirectory, "inbox.db"),
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ConnectionString);
        connection.Open();
        return connection;
    }
}
