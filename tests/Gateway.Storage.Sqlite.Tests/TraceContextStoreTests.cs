using Gateway.Core.Lifecycle;
using Gateway.Tests.Shared;
using Microsoft.Data.Sqlite;

namespace Gateway.Storage.Sqlite.Tests;

/// <summary>The trace context stored with a message comes back with every claim of its deliveries, also after a restart.</summary>
public sealed class TraceContextStoreTests
{
    private const string TraceParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_messages_trace_context_comes_with_each_claim_of_its_delivery_after_a_reopen_too()
    {
        await using var temp = new TempStore();
        var traced = StoreSamples.Message(null, "CASE-T") with { TraceParent = TraceParent };
        var untraced = StoreSamples.Message(null, "CASE-U");
        await temp.Store.AcceptAsync(traced, default);
        await temp.Store.AcceptAsync(untraced, default);

        var claimed = await temp.Store.ClaimDeliveriesAsync("w", Lease, 10, [], default);
        await temp.ReopenAsync();
        var again = await temp.Store.ClaimDeliveriesAsync("w2", Lease, 10, [], default);

        Assert.Equal([TraceParent, null], claimed.Select(c => c.TraceParent));
        Assert.Equal([TraceParent, null], again.Select(c => c.TraceParent));
    }

    [Fact]
    public async Task A_store_written_before_messages_kept_a_trace_context_gets_the_column_at_open_and_keeps_what_it_held()
    {
        await using var temp = new TempStore();
        var before = StoreSamples.Message(null, "CASE-OLD");
        await temp.Store.AcceptAsync(before, default);

        // What an older gateway left: no trace_parent column.
        await temp.ReopenAsync(path =>
        {
            using var connection = new SqliteConnection($"Data Source={path};Pooling=false");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "ALTER TABLE messages DROP COLUMN trace_parent; DROP TABLE changelog;";
            command.ExecuteNonQuery();
        });
        var after = StoreSamples.Message(null, "CASE-NEW") with { TraceParent = TraceParent };
        await temp.Store.AcceptAsync(after, default);

        var claimed = await temp.Store.ClaimDeliveriesAsync("w", Lease, 10, [], default);
        Assert.Equal([(before.MessageId, null), (after.MessageId, TraceParent)], claimed.Select(c => (c.Delivery.MessageId, c.TraceParent)));
    }
}
