using System.Text.RegularExpressions;
using Gateway.Core.Lifecycle;
using Gateway.Core.Storage;
using Gateway.Storage.Sqlite.Internal;
using Microsoft.Data.Sqlite;
using Gateway.Tests.Shared;

namespace Gateway.Storage.Sqlite.Tests;

/// <summary>
/// A claim runs every few milliseconds for as long as the gateway lives, while the deliveries table only grows: what it
/// reads must be the open deliveries, never the whole table. SQLite's own query plan says which it is.
/// </summary>
public sealed partial class ClaimPlanTests
{
    [Fact]
    public async Task A_claim_finds_recipients_with_work_by_seeks_and_reads_only_their_open_deliveries()
    {
        await using var temp = new TempStore();

        var recipients = Plan(temp.Path, DeliveryQueueQueries.WaitingRecipientsSql);
        var pending = Plan(temp.Path, DeliveryQueueQueries.DuePendingSql, "$recipient", "$now", "$max");
        var retries = Plan(temp.Path, DeliveryQueueQueries.DueRetriesSql, "$recipient", "$now", "$max");
        var expired = Plan(temp.Path, DeliveryQueueQueries.LeaseExpiredSql, "$now");
        var nextRetry = Plan(temp.Path, DeliveryQueueQueries.NextRetryDueSql, "$after");

        // The next recipient after the last one found is a seek: a recipient's backlog is stepped over, not read.
        Assert.Contains(recipients, step => Uses(step, "deliveries_pending_by_recipient", "(recipient>?)"));
        Assert.Contains(recipients, step => Uses(step, "deliveries_retrying_by_recipient", "(recipient>?)"));
        Assert.Contains(pending, step => Uses(step, "deliveries_pending_by_recipient", "(recipient=?)"));

        // Retries are read up to the claim's time: those not yet due are not read at all.
        Assert.Contains(retries, step => Uses(step, "deliveries_retrying_by_recipient", "(recipient=? AND next_attempt_at<?)"));
        Assert.Contains(expired, step => Uses(step, "deliveries_leased", "(lease_until<?)"));
        Assert.Contains(nextRetry, step => Uses(step, "deliveries_retry_due", "(next_attempt_at>?)"));
        Assert.All(recipients.Concat(pending).Concat(retries).Concat(expired).Concat(nextRetry), step => Assert.DoesNotMatch(WholeTableScan(), step));
    }

    [Fact]
    public async Task A_store_made_with_earlier_claim_indexes_gets_the_current_ones_at_open_and_loses_the_ones_they_replace()
    {
        await using var temp = new TempStore();
        var message = StoreSamples.Message();
        await temp.Store.AcceptAsync(message, default);
        await temp.ReopenAsync(path => Execute(path, """
            DROP INDEX deliveries_pending_by_recipient;
            DROP INDEX deliveries_retrying_by_recipient;
            DROP INDEX deliveries_leased;
            DROP INDEX deliveries_retry_due;
            DROP TABLE changelog;
            CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE state IN (1, 6);
            CREATE INDEX deliveries_in_flight ON deliveries (delivery_id, lease_until, recipient) WHERE state = 4;
            CREATE INDEX deliveries_waiting ON deliveries (delivery_id, next_attempt_at, recipient) WHERE state IN (1, 6);
            CREATE INDEX deliveries_waiting_by_recipient ON deliveries (recipient, delivery_id, next_attempt_at) WHERE state IN (1, 6);
            """));

        Assert.Equal(
            ["deliveries_leased", "deliveries_pending_by_recipient", "deliveries_retry_due", "deliveries_retrying_by_recipient"],
            Indexes(temp.Path).Intersect([
                "deliveries_due", "deliveries_in_flight", "deliveries_leased", "deliveries_pending_by_recipient", "deliveries_retry_due",
                "deliveries_retrying_by_recipient", "deliveries_waiting", "deliveries_waiting_by_recipient"]));
        var claimed = await temp.Store.ClaimDeliveriesAsync("w", TimeSpan.FromSeconds(30), 10, [], default);
        Assert.Equal(message.MessageId, Assert.Single(claimed).Delivery.MessageId);
    }

    // "SCAN d", "SCAN deliveries": a table read row by row from its first row. "SCAN waiting" reads the query's own list
    // of recipients, and "SCAN ... USING INDEX" a partial index of open deliveries.
    [GeneratedRegex(@"^SCAN (deliveries|messages|holds|audit|d|e|m|h)$")]
    private static partial Regex WholeTableScan();

    // "SEARCH d USING INDEX name (recipient=?)", or "USING COVERING INDEX" where the index holds every column read.
    private static bool Uses(string step, string index, string constraint) =>
        step.EndsWith($"USING INDEX {index} {constraint}", StringComparison.Ordinal)
        || step.EndsWith($"USING COVERING INDEX {index} {constraint}", StringComparison.Ordinal);

    private static List<string> Plan(string path, string sql, params string[] parameters)
    {
        using var connection = Open(path);
        using var explain = connection.CreateCommand();
        explain.CommandText = "EXPLAIN QUERY PLAN " + sql;
        foreach (var name in parameters)
        {
            explain.Parameters.AddWithValue(name, name == "$recipient" ? "CN/FJPSD" : 1);
        }

        var steps = new List<string>();
        using var reader = explain.ExecuteReader();
        while (reader.Read())
        {
            steps.Add(reader.GetString(3));
        }

        return steps;
    }

    private static List<string> Indexes(string path)
    {
        using var connection = Open(path);
        using var list = connection.CreateCommand();
        list.CommandText = "SELECT name FROM sqlite_schema WHERE type = 'index' ORDER BY name";
        var names = new List<string>();
        using var reader = list.ExecuteReader();
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    private static void Execute(string path, string sql)
    {
        using var connection = Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        return connection;
    }
}
