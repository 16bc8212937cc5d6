using Gateway.Core.Audit;
using Gateway.Core.Intake;
using Gateway.Core.Lifecycle;
using Gateway.Core.Storage;
using Gateway.Tests.Shared;

namespace Gateway.Storage.Sqlite.Tests;

public class SqliteMessageStoreTests
{
    [Fact]
    public async Task Replays_interleaved_with_new_messages_in_shared_commits_are_each_recognised()
    {
        // A change set whose id is taken must fail, and leave nothing, even when the one before it in the same
        // transaction was applied.
        await using var temp = new TempStore();
        var stored = StoreSamples.Message();
        await temp.Store.AcceptAsync(stored, default);

        var results = await Task.WhenAll(Enumerable.Range(0, 400).Select(i =>
            temp.Store.AcceptAsync(i % 2 == 0 ? StoreSamples.Message() : stored, default)));

        Assert.True(temp.Store.CommitCount < 400, $"{temp.Store.CommitCount} commits: the replays did not share transactions with new messages");
        Assert.All(results.Where((_, i) => i % 2 == 0), r => Assert.True(r.Applied));
        Assert.All(results.Where((_, i) => i % 2 == 1), r => Assert.Equal(new MessageIdFree(stored.MessageId), r.Failed));
        Assert.Single(await temp.Store.GetDeliveriesAsync(stored.MessageId, default));
        Assert.Equal(201, await temp.Store.ReadAuditAsync(default).CountAsync());
    }

    [Fact]
    public async Task Concurrent_accepts_share_commits()
    {
        await using var temp = new TempStore();
        var before = temp.Store.CommitCount;

        var results = await Task.WhenAll(Enumerable.Range(0, 400).Select(_ => temp.Store.AcceptAsync(StoreSamples.Message(), default)));

        Assert.All(results, r => Assert.True(r.Applied));
        Assert.Equal(400, results.Select(r => r.Receipt!.AuditSequence).Distinct().Count());
        Assert.True(temp.Store.CommitCount - before < 400, $"{temp.Store.CommitCount - before} commits for 400 messages");
        Assert.True(AuditVerifier.Verify(await temp.Store.ReadAuditAsync(default).ToListAsync(), await temp.Store.ReadAuditHeadAsync(default)).IsIntact);
    }

    [Fact]
    public async Task Deliveries_held_for_review_are_not_claimed()
    {
        await using var temp = new TempStore();
        await temp.Store.AcceptAsync(StoreSamples.Message(state: DeliveryState.HeldForReview), default);

        Assert.Empty(await temp.Store.ClaimDeliveriesAsync("worker-a", TimeSpan.FromMinutes(1), 10, [], default));
    }

    [Fact]
    public async Task Of_a_workers_outcomes_only_those_the_store_recorded_are_returned_to_be_counted()
    {
        var clock = TempStore.Clock();
        await using var temp = new TempStore(clock);
        var first = StoreSamples.Message(null, "CASE-1");
        var second = StoreSamples.Message(null, "CASE-2");
        await temp.Store.AcceptAsync(first, default);
        var stale = Assert.Single(await temp.Store.ClaimDeliveriesAsync("worker-a", TimeSpan.FromSeconds(30), 10, [], default)).Delivery;
        clock.Advance(TimeSpan.FromSeconds(31));
        await temp.Store.AcceptAsync(second, default);

        // The lease ran out: the next claim takes the first delivery again, for its second attempt, with the second.
        var claimed = await temp.Store.ClaimDeliveriesAsync("worker-a", TimeSpan.FromSeconds(30), 10, [], default);
        var current = Assert.Single(claimed, c => c.Delivery.MessageId == second.MessageId).Delivery;
        DeliveryCompletion[] outcomes = [new(stale, DeliveryResolution.Delivered), new(current, DeliveryResolution.Delivered)];

        var recorded = await temp.Store.RecordDeliveriesAsync("worker-a", outcomes, default);

        Assert.Equal([outcomes[1]], recorded);
    }

    [Fact]
    public async Task A_claim_is_exclusive_until_its_lease_expires()
    {
        var clock = TempStore.Clock();
        await using var temp = new TempStore(clock);
        var message = StoreSamples.Message();
        await temp.Store.AcceptAsync(message, default);

        var claimedByA = Assert.Single(await temp.Store.ClaimDeliveriesAsync("worker-a", TimeSpan.FromSeconds(30), 10, [], default)).Delivery;
        Assert.Empty(await temp.Store.ClaimDeliveriesAsync("worker-b", TimeSpan.FromSeconds(30), 10, [], default));
        clock.Advance(TimeSpan.FromSeconds(31));
        var claimedByB = Assert.Single(await temp.Store.ClaimDeliveriesAsync("worker-b", TimeSpan.FromSeconds(30), 10, [], default)).Delivery;

        Assert.Equal(claimedByA.DeliveryId, claimedByB.DeliveryId);
        Assert.Equal(2, claimedByB.Attempts);
        Assert.Equal(0, await temp.Store.CompleteDeliveriesAsync("worker-a", [new(claimedByA, DeliveryResolution.Delivered)], default));
        Assert.Equal(1, await temp.Store.CompleteDeliveriesAsync("worker-b", [new(claimedByB, DeliveryResolution.Delivered)], default));
        Assert.Equal(DeliveryState.Delivered, Assert.Single(await temp.Store.GetDeliveriesAsync(message.MessageId, default)).State);
        var outcomes = await temp.Store.ReadAuditAsync(default).Where(a => a.Kind == AuditKinds.DeliveryDelivered).ToListAsync();
        var outcome = Assert.Single(outcomes);
        Assert.Equal(("worker-b", message.MessageId), (outcome.Actor, outcome.MessageId));
        Assert.Equal(new AuditDetails { Delivery = claimedByB.DeliveryId, Recipient = claimedByB.Recipient, Attempt = 2 }, outcome.Details);
    }

    [Fact]
    public async Task Each_accept_is_answered_only_after_a_flush_of_the_log_that_began_after_its_commit()
    {
        await using var temp = new TempStore();
        for (var i = 0; i < 20; i++)
        {
            var flushesBefore = temp.Store.FlushCount;
            var commitsBefore = temp.Store.CommitCount;

            var result = await temp.Store.AcceptAsync(StoreSamples.Message(), default);

            Assert.True(result.Applied);
            Assert.True(temp.Store.CommitCount > commitsBefore);
            Assert.True(temp.Store.FlushCount > flushesBefore, $"accept {i} was answered without a flush");
        }
    }

    [Fact]
    public async Task Concurrent_accepts_share_flushes()
    {
        await using var temp = new TempStore();
        var before = temp.Store.FlushCount;

        var results = await Task.WhenAll(Enumerable.Range(0, 400).Select(_ => temp.Store.AcceptAsync(StoreSamples.Message(), default)));

        Assert.All(results, r => Assert.True(r.Applied));
        var flushes = temp.Store.FlushCount - before;
        Assert.InRange(flushes, 1, 399);
    }

    [Fact]
    public async Task With_synchronous_normal_the_store_never_flushes_the_log_itself()
    {
        await using var temp = new TempStore(configure: o => o.Synchronous = "NORMAL");

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => temp.Store.AcceptAsync(StoreSamples.Message(), default)));

        Assert.Equal(0, temp.Store.FlushCount);
        Assert.Equal(20, await temp.Store.ReadAuditAsync(default).CountAsync());
    }

    [Fact]
    public async Task A_store_older_than_the_baseline_is_refused_with_a_clear_message()
    {
        await using var temp = new TempStore();
        await temp.Store.DisposeAsync();
        SetUserVersion(temp.Path, 2);

        var error = Assert.Throws<StoreSchemaException>(() => temp.Open());

        Assert.Contains("schema version 2, older than version 3", error.Message);

        // The refused open let go of the file: trying again meets the same refusal, not "in use by another gateway".
        Assert.Contains("schema version 2", Assert.Throws<StoreSchemaException>(() => temp.Open()).Message);
    }

    internal static void SetUserVersion(string path, int version)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA user_version = {version};";
        command.ExecuteNonQuery();
    }
}
