using Gateway.Core.Audit;
using Gateway.Core.Intake;
using Gateway.Core.Lifecycle;
using Gateway.Core.Storage;
using Gateway.Tests.Shared;
using Interagency.V1;

namespace Gateway.Storage.Sqlite.Tests;

/// <summary>
/// The store's side of the delivery and operations change sets: rows written as given, each precondition checked in the
/// transaction, and a batch in which one change set fails its precondition still applying the others.
/// </summary>
public sealed class DeliveryChangeSetTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task An_outcome_recorded_as_given_keeps_the_retry_time_and_error_and_finishes_only_what_it_says()
    {
        var clock = TempStore.Clock();
        await using var temp = new TempStore(clock);
        await temp.Store.AcceptAsync(StoreSamples.Message(), default);
        var claimed = Assert.Single(await temp.Store.ClaimDeliveriesAsync("w", Lease, 10, [], default)).Delivery;
        var retryAt = clock.GetUtcNow().AddMinutes(5);

        await temp.Store.ApplyEachAsync(
            [new ChangeSet([new DeliveryLeasedBy(claimed.DeliveryId, "w", 1)], [new RecordDeliveryAttempt(claimed.DeliveryId, DeliveryState.RetryWait, retryAt, "Unavailable", Finished: false)], [])],
            default);

        var waiting = Assert.Single(await temp.Store.GetDeliveriesAsync(claimed.MessageId, default));
        Assert.Equal((DeliveryState.RetryWait, "Unavailable", (string?)null), (waiting.State, waiting.LastError, waiting.LeaseOwner));
        Assert.Equal(retryAt, await temp.Store.NextRetryDueAsync(clock.GetUtcNow(), default));
    }

    [Fact]
    public async Task A_replay_of_a_delivery_that_is_not_a_dead_letter_fails_its_precondition_and_writes_nothing()
    {
        await using var temp = new TempStore();
        var message = StoreSamples.Message();
        await temp.Store.AcceptAsync(message, default);
        var pending = Assert.Single(await temp.Store.GetDeliveriesAsync(message.MessageId, default));
        var replay = OperationsLifecycle.Replay(pending with { State = DeliveryState.DeadLettered }, "operator:duty", "stale read")!;

        var outcome = Assert.Single(await temp.Store.ApplyEachAsync([replay], default));

        Assert.Equal(new DeliveryInState(pending.DeliveryId, DeliveryState.DeadLettered, 0), outcome.Failed);
        Assert.Equal(pending, Assert.Single(await temp.Store.GetDeliveriesAsync(message.MessageId, default)));
        Assert.DoesNotContain(await temp.Store.ReadAuditAsync(default).ToListAsync(), a => a.Kind == AuditKinds.DeliveryReplayed);
        Assert.Empty((await temp.Store.ReplayDeadLettersAsync(FixedRouteCheck.AllAgreed, [pending.DeliveryId], null, "operator:duty", "not dead", default)).Replayed);
    }

    [Fact]
    public async Task An_overdue_decided_before_the_request_was_answered_fails_its_precondition_and_writes_nothing()
    {
        var clock = TempStore.Clock();
        await using var temp = new TempStore(clock);
        var request = StoreSamples.Request("CASE-A", clock.GetUtcNow().AddHours(1), "CN/FJPSD");
        await temp.Store.AcceptAsync(request, default);
        clock.Advance(TimeSpan.FromHours(2));
        var due = Assert.Single(await temp.Store.FindRepliesDueAsync(clock.GetUtcNow(), default));
        var overdue = OperationsLifecycle.Overdue(due, clock.GetUtcNow())!;
        await temp.Store.AcceptAsync(
            StoreSamples.Message(null, "CASE-A", recipients: "CN/PLO-RU") with
            {
                Kind = MessageKind.LocationReport,
                Sender = Gateway.Core.Agencies.AgencyId.Parse("CN/FJPSD"),
                Link = new MessageLink(LinkKind.Reply, request.MessageId),
            },
            default);

        var outcome = Assert.Single(await temp.Store.ApplyEachAsync([overdue], default));

        Assert.Equal(new ReplyStillAwaited(request.MessageId, "CN/FJPSD"), outcome.Failed);
        Assert.Empty(await temp.Store.FindRepliesDueAsync(clock.GetUtcNow(), default));
        Assert.DoesNotContain(await temp.Store.ReadAuditAsync(default).ToListAsync(), a => a.Kind is AuditKinds.ReplyOverdue or AuditKinds.NoticeIssued);
    }

}
