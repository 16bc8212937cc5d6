using Gateway.Core.Encryption;
using Gateway.Core.Storage;
using Gateway.Storage.Contract.Tests.Infrastructure;
using Gateway.Tests.Shared;

namespace Gateway.Storage.Contract.Tests.Trace;

/// <summary>
/// Several gateway instances on one database: a subscriber or a flow on one instance follows what the others commit,
/// woken by their commits, and never skips an update committed while it reads.
/// </summary>
[RequiresPostgres]
public sealed class SharedFeedTests : StoreContract
{
    protected override async Task<StoreUnderTest> OpenAsync(DataKeyRing? keys) => await PostgresStoreUnderTest.CreateAsync(keys);

    [StoreFact]
    public async Task A_flow_waiting_on_one_instance_wakes_when_another_commits_and_reads_the_entry_up_to_its_durable_sequence()
    {
        await using var other = await PostgresStoreUnderTest.OpenStoreAsync(((PostgresStoreUnderTest)Store).ConnectionString, null);
        var head = Store.Trace().DurableAuditSequence;
        var waiting = Store.Trace().WaitForAuditAfterAsync(head, default);

        var message = StoreSamples.Message();
        var accepted = (await other.AcceptAsync(message, default)).Receipt!.AuditSequence;

        await waiting.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(accepted, Store.Trace().DurableAuditSequence);
        var flow = Assert.Single(await Store.Trace().ReadFlowAsync(head, Store.Trace().DurableAuditSequence, 10, default));
        Assert.Equal(message.MessageId, flow.Entry.MessageId);
    }

    [StoreFact]
    public async Task A_flow_still_wakes_after_the_connection_that_listens_for_commits_was_cut()
    {
        var head = Store.Trace().DurableAuditSequence;
        var cut = await Store.QueryBehindTheStoreAsync(
            """
            SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid() AND query = 'SELECT seq FROM audit_head WHERE id = 1'
            """);
        Assert.Equal(1L, cut);
        var waiting = Store.Trace().WaitForAuditAfterAsync(head, default);

        var accepted = (await Store.Intake.AcceptAsync(StoreSamples.Message(), default)).Receipt!.AuditSequence;

        await waiting.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(accepted, Store.Trace().DurableAuditSequence);
    }

    [StoreFact]
    public async Task A_subscriber_reading_while_three_instances_publish_gets_every_update_once_in_order()
    {
        var connectionString = ((PostgresStoreUnderTest)Store).ConnectionString;
        await using var second = await PostgresStoreUnderTest.OpenStoreAsync(connectionString, null);
        await using var third = await PostgresStoreUnderTest.OpenStoreAsync(connectionString, null);
        IIntakeStore[] instances = [Store.Intake, second, third];
        var updates = Enumerable.Range(0, 150).Select(i => UpdateFeedContract.Update($"CASE-{i % 5}", (byte)i, "CN/FJPSD")).ToArray();

        var publishing = Task.WhenAll(updates.Select((update, i) => instances[i % 3].AcceptAsync(update, default)));
        var read = new List<FeedEntry>();
        while (read.Count < updates.Length)
        {
            var page = await second.ReadFeedAsync("CN/FJPSD", [], read.Count == 0 ? 0 : read[^1].Sequence, 7, default);
            read.AddRange(page);
            Assert.False(publishing.IsCompleted && page.Count == 0 && read.Count < updates.Length, "The feed skipped an update.");
        }

        Assert.All(await publishing, a => Assert.True(a.Applied));
        Assert.Equal(updates.Select(u => u.MessageId).Order(), read.Select(e => e.MessageId).Order());
        Assert.Equal(read.Select(e => e.Sequence).Order(), read.Select(e => e.Sequence));
    }
}
