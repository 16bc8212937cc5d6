using Gateway.Core.Audit;
using Gateway.Core.Encryption;
using Gateway.Core.Lifecycle;
using Gateway.Core.Storage;
using Gateway.Storage.Contract.Tests.Infrastructure;
using Gateway.Tests.Shared;

namespace Gateway.Storage.Contract.Tests.Delivery;

/// <summary>
/// The delivery queue: claims take due deliveries oldest first under a lease, a case's deliveries reach a recipient in
/// order, retries fall due at their time, leases are given back or run out, and an outcome is recorded (and audited) only
/// for the lease its worker still holds. Ported from the SQLite store's DeliveryStoreTests; the store's clock is the real
/// one here, so a retry not yet due is an hour away and one that is due was set in the past.
/// </summary>
public abstract class DeliveryQueueContract : StoreContract
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    private IDeliveryQueue Queue => (IDeliveryQueue)Store.Intake;

    [StoreFact]
    public async Task A_cases_pending_deliveries_to_a_recipient_are_claimed_together_in_order()
    {
        var (first, other, second) = (StoreSamples.Message(null, "CASE-A"), StoreSamples.Message(null, "CASE-B"), StoreSamples.Message(null, "CASE-A"));
        await AcceptAsync(first, other, second);

        var claimed = await Queue.ClaimDeliveriesAsync("w", Lease, 10, [], default);

        Assert.Equal([first.MessageId, other.MessageId, second.MessageId], claimed.Select(c => c.Delivery.MessageId));
        Assert.All(claimed, c => Assert.Equal((DeliveryState.InFlight, 1, "w"), (c.Delivery.State, c.Delivery.Attempts, c.Delivery.LeaseOwner)));
        var stored = Assert.Single(await Store.Intake.GetDeliveriesAsync(first.MessageId, default));
        Assert.Equal((DeliveryState.InFlight, 1, "w", claimed[0].Delivery.LeaseUntil), (stored.State, stored.Attempts, stored.LeaseOwner, stored.LeaseUntil));
    }

    [StoreFact]
    public async Task No_later_delivery_of_a_case_is_claimed_while_an_earlier_one_is_in_flight_or_waiting_for_a_retry()
    {
        var first = StoreSamples.Message(null, "CASE-A");
        await AcceptAsync(first);
        var claimed = Assert.Single(await Queue.ClaimDeliveriesAsync("w", Lease, 10, [], default));
        var (second, other) = (StoreSamples.Message(null, "CASE-A"), StoreSamples.Message(null, "CASE-B"));
        await AcceptAsync(second, other);

        Assert.Equal([other.MessageId], (await Queue.ClaimDeliveriesAsync("w", Lease, 10, [], default)).Select(c => c.Delivery.MessageId));
        await Queue.CompleteDeliveriesAsync("w", [new(claimed.Delivery, DeliveryResolution.RetryLater, DateTimeOffset.UtcNow.AddMinutes(5), "Unavailable")], default);
        Assert.Empty(await Queue.ClaimDeliveriesAsync("w", Lease, 10, [], default));
    }

    [StoreFact]
    public async Task A_claim_cut_by_its_limit_takes_a_cases_oldest_deliveries_first()
    {
        var messages = Enumerable.Range(0, 3).Select(_ => StoreSamples.Message(null, "CASE-A")).ToArray();
        await AcceptAsync(messages);

        var claimed = await Queue.ClaimDeliveriesAsync("w", Lease, 2, [], default);

        Assert.Equal(messages.Take(2).Select(m => m.MessageId), claimed.Select(c => c.Delivery.MessageId));
        Assert.Empty(await Queue.ClaimDeliveriesAsync("w", Lease, 2, [], default));
    }

    [StoreFact]
    public async Task The_next_message_of_a_case_is_claimed_once_the_earlier_one_is_delivered_and_the_delivery_is_audited()
    {
        var (first, second) = (StoreSamples.Message(null, "CASE-A"), StoreSamples.Message(null, "CASE-A"));
        await AcceptAsync(first, second);

        var claimed = Assert.Single(await Queue.ClaimDeliveriesAsync("w", Lease, 1, [], default));
        Assert.Empty(await Queue.ClaimDeliveriesAsync("w", Lease, 10, [], default));
        Assert.Equal(1, await Queue.CompleteDeliveriesAsync("w", [new(claimed.Delivery, DeliveryResolution.Delivered)], default));

        Assert.Equal(second.MessageId, Assert.Single(await Queue.ClaimDeliveriesAsync("w", Lease, 10, [], default)).Delivery.MessageId);
        var delivered = Assert.Single(await Store.Intake.GetDeliveriesAsync(first.MessageId, default));
        Assert.Equal((DeliveryState.Delivered, null), (delivered.State, delivered.LeaseOwner));
        var audit = await Store.Audit.ReadAuditAsync(default).ToListAsync();
        var entry = Assert.Single(audit, a => a.Kind == AuditKinds.DeliveryDelivered);
        Assert.Equal(("w", first.MessageId, claimed.Delivery.DeliveryId, 1), (entry.Actor, entry.MessageId, entry.Details.Delivery, entry.Details.Attempt));
        Assert.True(AuditVerifier.Verify(audit, await Store.Audit.ReadAuditHeadAsync(default)).IsIntact);
    }

    [StoreFact]
    public async Task A_retry_is_claimed_when_its_time_has_come_and_not_before()
    {
        var (soon, later) = (StoreSamples.Message(null, "CASE-A"), StoreSamples.Message(null, "CASE-B"));
        await AcceptAsync(soon, later);
        var claimed = (await Queue.ClaimDeliveriesAsync("w", Lease, 10, [], default)).ToDictionary(c => c.Delivery.MessageId, c => c.Delivery);
        var (past, hence) = (DateTimeOffset.UtcNow.AddSeconds(-1), DateTimeOffset.UtcNow.AddHours(1));
        await Queue.CompleteDeliveriesAsync("w", [
            new(claimed[soon.MessageId], DeliveryResolution.RetryLater, past, "Unavailable"),
            new(claimed[later.MessageId], DeliveryResolution.RetryLater, hence, "Unavailable")], default);

        Assert.Equal(AuditChain.FromMicroseconds(AuditChain.ToMicroseconds(hence)), await Queue.NextRetryDueAsync(DateTimeOffset.UtcNow, default));
        var again = Assert.Single(await Queue.ClaimDeliveriesAsync("w", Lease, 10, [], default));
        Assert.Equal((soon.MessageId, 2, "Unavailable"), (again.Delivery.MessageId, again.Delivery.Attempts, again.Delivery.LastError));
        Assert.Empty(await Queue.ClaimDeliveriesAsync("w", Lease, 10, [], default));
        Assert.Null(await Queue.NextRetryDueAsync(hence, default));
    }

    [StoreFact]
    public async Task Deliveries_to_excluded_recipients_are_left_alone()
    {
        await AcceptAsync(StoreSamples.Message(null, "CASE-A", recipients: ["CN/FJPSD", "RU/MVD"]));

        var claimed = Assert.Single(await Queue.ClaimDeliveriesAsync("w", Lease, 10, ["CN/FJPSD"], default));
        Assert.Equal("RU/MVD", claimed.Delivery.Recipient);
    }

    [StoreFact]
    public async Task A_claim_to_named_recipients_takes_only_theirs_oldest_first_up_to_its_limit()
    {
        var first = StoreSamples.Message(null, "CASE-A", recipients: ["CN/FJPSD", "RU/MVD"]);
        var second = StoreSamples.Message(null, "CASE-B", recipients: ["RU/MVD"]);
        await AcceptAsync(first, second);

        var probe = Assert.Single(await Queue.ClaimDeliveriesToAsync("w", Lease, 1, ["RU/MVD"], default));

        Assert.Equal((first.MessageId, "RU/MVD"), (probe.Delivery.MessageId, probe.Delivery.Recipient));
        Assert.Equal([second.MessageId], (await Queue.ClaimDeliveriesToAsync("w", Lease, 10, ["RU/MVD"], default)).Select(c => c.Delivery.MessageId));
    }

    [StoreFact]
    public async Task Deliveries_given_back_unsent_lose_the_attempt_their_claim_counted_and_are_claimed_again_in_order()
    {
        var messages = new[] { StoreSamples.Message(null, "CASE-A"), StoreSamples.Message(null, "CASE-B"), StoreSamples.Message(null, "CASE-A") };
        await AcceptAsync(messages);
        var claimed = await Queue.ClaimDeliveriesAsync("w", Lease, 10, [], default);

        Assert.Equal(3, await Queue.ReleaseDeliveriesAsync("w", [.. claimed.Select(c => c.Delivery)], default));

        foreach (var m in messages)
        {
            var delivery = Assert.Single(await Store.Intake.GetDeliveriesAsync(m.MessageId, default));
            Assert.Equal((DeliveryState.Pending, 0, null), (delivery.State, delivery.Attempts, delivery.LeaseOwner));
        }

        var again = await Queue.ClaimDeliveriesAsync("w", Lease, 10, [], default);
        Assert.Equal(messages.Select(m => m.MessageId), again.Select(c => c.Delivery.MessageId));
        Assert.All(again, c => Assert.Equal(1, c.Delivery.Attempts));
        Assert.DoesNotContain(await Store.Audit.ReadAuditAsync(default).ToListAsync(), a => a.Kind.StartsWith("delivery.", StringComparison.Ordinal));
    }

    [StoreFact]
    public async Task A_lease_is_given_back_only_by_the_worker_holding_it()
    {
        await AcceptAsync(StoreSamples.Message());
        var claimed = Assert.Single(await Queue.ClaimDeliveriesAsync("w", Lease, 10, [], default));

        Assert.Equal(0, await Queue.ReleaseDeliveriesAsync("other", [claimed.Delivery], default));

        var delivery = Assert.Single(await Store.Intake.GetDeliveriesAsync(claimed.Delivery.MessageId, default));
        Assert.Equal((DeliveryState.InFlight, 1, "w"), (delivery.State, delivery.Attempts, delivery.LeaseOwner));
    }

    [StoreFact]
    public async Task A_delivery_whose_lease_ran_out_is_claimed_again_and_the_first_workers_outcome_no_longer_applies()
    {
        await AcceptAsync(StoreSamples.Message());
        var lapsed = Assert.Single(await Queue.ClaimDeliveriesAsync("crashed", TimeSpan.Zero, 10, [], default));

        var again = Assert.Single(await Queue.ClaimDeliveriesAsync("w", Lease, 10, [], default));
        Assert.Equal((lapsed.Delivery.DeliveryId, 2, "w"), (again.Delivery.DeliveryId, again.Delivery.Attempts, again.Delivery.LeaseOwner));
        Assert.Empty(await Queue.ClaimDeliveriesAsync("other", Lease, 10, [], default));

        Assert.Equal(0, await Queue.CompleteDeliveriesAsync("crashed", [new(lapsed.Delivery, DeliveryResolution.Delivered)], default));
        Assert.Equal(1, await Queue.CompleteDeliveriesAsync("w", [new(again.Delivery, DeliveryResolution.Delivered)], default));
        Assert.Equal([2], await Store.Audit.ReadAuditAsync(default).Where(a => a.Kind == AuditKinds.DeliveryDelivered).Select(a => a.Details.Attempt).ToListAsync());
    }

    [StoreFact]
    public async Task A_dead_lettered_delivery_is_finished_audited_with_its_error_and_never_claimed_again_nor_keeps_its_case_waiting()
    {
        var (first, second) = (StoreSamples.Message(null, "CASE-A"), StoreSamples.Message(null, "CASE-A"));
        await AcceptAsync(first, second);
        var claimed = Assert.Single(await Queue.ClaimDeliveriesAsync("w", Lease, 1, [], default));

        Assert.Equal(1, await Queue.CompleteDeliveriesAsync("w", [new(claimed.Delivery, DeliveryResolution.DeadLettered, null, "Unavailable")], default));

        var dead = Assert.Single(await Store.Intake.GetDeliveriesAsync(first.MessageId, default));
        Assert.Equal((DeliveryState.DeadLettered, "Unavailable", null), (dead.State, dead.LastError, dead.LeaseOwner));
        var entry = Assert.Single(await Store.Audit.ReadAuditAsync(default).ToListAsync(), a => a.Kind == AuditKinds.DeliveryDeadLettered);
        Assert.Equal((claimed.Delivery.DeliveryId, "CN/FJPSD", 1), (entry.Details.Delivery, entry.Details.Recipient, entry.Details.Attempt));
        Assert.Equal([second.MessageId], (await Queue.ClaimDeliveriesAsync("w", Lease, 10, [], default)).Select(c => c.Delivery.MessageId));
    }

    private async Task AcceptAsync(params NewMessage[] messages)
    {
        foreach (var message in messages)
        {
            Assert.True((await Store.Intake.AcceptAsync(message, default)).Applied);
        }
    }
}

public sealed class SqliteDeliveryQueueTests : DeliveryQueueContract
{
    protected override Task<StoreUnderTest> OpenAsync(DataKeyRing? keys) => Task.FromResult<StoreUnderTest>(new SqliteStoreUnderTest(keys));
}

[RequiresPostgres]
public sealed class PostgresDeliveryQueueTests : DeliveryQueueContract
{
    protected override async Task<StoreUnderTest> OpenAsync(DataKeyRing? keys) => await PostgresStoreUnderTest.CreateAsync(keys);
}
