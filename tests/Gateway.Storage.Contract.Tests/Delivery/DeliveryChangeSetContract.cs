using Gateway.Core.Audit;
using Gateway.Core.Encryption;
using Gateway.Core.Intake;
using Gateway.Core.Lifecycle;
using Gateway.Core.Storage;
using Gateway.Storage.Contract.Tests.Infrastructure;
using Gateway.Tests.Shared;
using Interagency.V1;

namespace Gateway.Storage.Contract.Tests.Delivery;

/// <summary>
/// The store's side of the delivery and operations change sets: rows written as given, each precondition checked in the
/// transaction, and a batch in which one change set fails its precondition still applying the others. Ported from the
/// SQLite store's DeliveryChangeSetTests.
/// </summary>
public abstract class DeliveryChangeSetContract : StoreContract
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    private IDeliveryQueue Queue => (IDeliveryQueue)Store.Intake;

    [StoreFact]
    public async Task A_lease_is_written_as_given_and_lasts_from_the_transactions_time()
    {
        var message = StoreSamples.Message();
        await Store.Intake.AcceptAsync(message, default);
        var pending = Assert.Single(await Store.Intake.GetDeliveriesAsync(message.MessageId, default));

        var outcome = Assert.Single(await Queue.ApplyEachAsync(
            [new ChangeSet([new DeliveryInState(pending.DeliveryId, DeliveryState.Pending, 0)], [new LeaseDelivery(pending.DeliveryId, DeliveryState.InFlight, "w", Lease, 4)], [])],
            default));

        Assert.True(outcome.Applied);
        var leased = Assert.Single(await Store.Intake.GetDeliveriesAsync(message.MessageId, default));
        Assert.Equal((DeliveryState.InFlight, 4, "w", outcome.At + Lease), (leased.State, leased.Attempts, leased.LeaseOwner, leased.LeaseUntil));
    }

    [StoreFact]
    public async Task In_a_batch_an_outcome_for_a_lease_no_longer_held_is_skipped_and_the_others_apply()
    {
        await Store.Intake.AcceptAsync(StoreSamples.Message(null, "CASE-A"), default);
        await Store.Intake.AcceptAsync(StoreSamples.Message(null, "CASE-B"), default);
        var claimed = await Queue.ClaimDeliveriesAsync("w", Lease, 10, [], default);
        Assert.Equal(2, claimed.Count);
        var (first, second) = (claimed[0].Delivery, claimed[1].Delivery);

        // The second outcome is of an earlier attempt than the one the lease is held for now.
        var outcomes = await Queue.ApplyEachAsync(
            [
                DeliveryLifecycle.Complete("w", new DeliveryCompletion(first, DeliveryResolution.Delivered))!,
                DeliveryLifecycle.Complete("w", new DeliveryCompletion(second with { Attempts = 0 }, DeliveryResolution.Delivered))!,
            ],
            default);

        Assert.True(outcomes[0].Applied);
        Assert.Equal(new DeliveryLeasedBy(second.DeliveryId, "w", 0), outcomes[1].Failed);
        Assert.Empty(outcomes[1].AuditSequences);
        Assert.Equal(DeliveryState.Delivered, Assert.Single(await Store.Intake.GetDeliveriesAsync(first.MessageId, default)).State);
        var left = Assert.Single(await Store.Intake.GetDeliveriesAsync(second.MessageId, default));
        Assert.Equal((DeliveryState.InFlight, "w"), (left.State, left.LeaseOwner));
        var audited = Assert.Single(await Store.Audit.ReadAuditAsync(default).Where(a => a.Kind.StartsWith("delivery.", StringComparison.Ordinal)).ToListAsync());
        Assert.Equal((AuditKinds.DeliveryDelivered, first.MessageId, outcomes[0].AuditSequences[0]), (audited.Kind, audited.MessageId, audited.Sequence));
    }

    [StoreFact]
    public async Task A_refusal_finishes_the_delivery_and_stores_the_notice_with_a_delivery_to_the_sender_due_at_once()
    {
        var message = StoreSamples.Message();
        await Store.Intake.AcceptAsync(message, default);
        var claimed = Assert.Single(await Queue.ClaimDeliveriesAsync("w", Lease, 10, [], default)).Delivery;
        var about = new Header
        {
            MessageId = message.MessageId, CaseReference = message.CaseReference, Sender = "CN/PLO-RU", Recipients = { "CN/FJPSD" }, Priority = Priority.Urgent,
        };
        var refusal = new EndpointRefusal { Reason = EndpointRefusalReason.NotCompetent, Text = "Not ours." };
        var completion = new DeliveryCompletion(claimed, DeliveryResolution.Refused)
        {
            Answer = new EndpointAnswer(MessageKind.Referral, about, DateTimeOffset.UtcNow) { Refusal = refusal },
        };

        var outcome = Assert.Single(await Queue.ApplyEachAsync([DeliveryLifecycle.Complete("w", completion)!], default));

        Assert.True(outcome.Applied);
        var refused = Assert.Single(await Store.Intake.GetDeliveriesAsync(message.MessageId, default));
        Assert.Equal((DeliveryState.RefusedByRecipient, (string?)null), (refused.State, refused.LeaseOwner));
        var issued = Assert.Single(await Store.Audit.ReadAuditAsync(default).Where(a => a.Kind == AuditKinds.NoticeIssued).ToListAsync());
        Assert.Equal(outcome.AuditSequences[1], issued.Sequence);
        var notice = await Store.Intake.FindMessageAsync(issued.MessageId, default);
        Assert.NotNull(notice);
        Assert.Equal((MessageKind.Notice, "CN/FJPSD", issued.Sequence), (notice.Kind, notice.Sender, notice.Receipt.AuditSequence));
        Assert.Equal(["CN/PLO-RU"], notice.Receipt.Recipients);
        var sent = Assert.Single(await Queue.ClaimDeliveriesAsync("w", Lease, 10, [], default));
        Assert.Equal((MessageKind.Notice, "CN/PLO-RU"), (sent.Kind, sent.Delivery.Recipient));
        Assert.Equal(refusal, GatewayNotice.Parser.ParseFrom(sent.Payload).Notice.Refusal);
    }

    [StoreFact]
    public async Task An_answered_question_marks_its_delivery_answered()
    {
        var message = StoreSamples.Message();
        await Store.Intake.AcceptAsync(message, default);
        var delivery = Assert.Single(await Store.Intake.GetDeliveriesAsync(message.MessageId, default));

        await Queue.ApplyEachAsync([new ChangeSet([], [new AnswerClarification(delivery.DeliveryId)], [])], default);

        Assert.Equal(DeliveryState.ClarificationAnswered, Assert.Single(await Store.Intake.GetDeliveriesAsync(message.MessageId, default)).State);
    }

    [StoreFact]
    public async Task An_outcome_recorded_as_given_keeps_the_retry_time_and_error_and_finishes_only_what_it_says()
    {
        await Store.Intake.AcceptAsync(StoreSamples.Message(), default);
        var claimed = Assert.Single(await Queue.ClaimDeliveriesAsync("w", Lease, 10, [], default)).Delivery;
        var retryAt = AuditChain.FromMicroseconds(AuditChain.ToMicroseconds(DateTimeOffset.UtcNow.AddMinutes(5)));

        await Queue.ApplyEachAsync(
            [new ChangeSet([new DeliveryLeasedBy(claimed.DeliveryId, "w", 1)], [new RecordDeliveryAttempt(claimed.DeliveryId, DeliveryState.RetryWait, retryAt, "Unavailable", Finished: false)], [])],
            default);

        var waiting = Assert.Single(await Store.Intake.GetDeliveriesAsync(claimed.MessageId, default));
        Assert.Equal((DeliveryState.RetryWait, "Unavailable", (string?)null), (waiting.State, waiting.LastError, waiting.LeaseOwner));
        Assert.Equal(retryAt, await Queue.NextRetryDueAsync(DateTimeOffset.UtcNow, default));
    }

    [StoreFact]
    public async Task A_replay_of_a_delivery_that_is_not_a_dead_letter_fails_its_precondition_and_writes_nothing()
    {
        var message = StoreSamples.Message();
        await Store.Intake.AcceptAsync(message, default);
        var pending = Assert.Single(await Store.Intake.GetDeliveriesAsync(message.MessageId, default));
        var replay = OperationsLifecycle.Replay(pending with { State = DeliveryState.DeadLettered }, "operator:duty", "stale read")!;

        var outcome = Assert.Single(await Queue.ApplyEachAsync([replay], default));

        Assert.Equal(new DeliveryInState(pending.DeliveryId, DeliveryState.DeadLettered, 0), outcome.Failed);
        Assert.Equal(pending, Assert.Single(await Store.Intake.GetDeliveriesAsync(message.MessageId, default)));
        Assert.DoesNotContain(await Store.Audit.ReadAuditAsync(default).ToListAsync(), a => a.Kind == AuditKinds.DeliveryReplayed);
    }

    [StoreFact]
    public async Task A_replay_of_a_dead_letter_makes_it_pending_again_with_fresh_attempts_and_is_audited()
    {
        var message = StoreSamples.Message();
        await Store.Intake.AcceptAsync(message, default);
        var claimed = Assert.Single(await Queue.ClaimDeliveriesAsync("w", Lease, 10, [], default));
        await Queue.CompleteDeliveriesAsync("w", [new(claimed.Delivery, DeliveryResolution.DeadLettered, null, "Unavailable")], default);
        var dead = Assert.Single(await Store.Intake.GetDeliveriesAsync(message.MessageId, default));

        var outcome = Assert.Single(await Queue.ApplyEachAsync([OperationsLifecycle.Replay(dead, "operator:duty", "endpoint fixed")!], default));

        Assert.True(outcome.Applied);
        var again = Assert.Single(await Queue.ClaimDeliveriesAsync("w", Lease, 10, [], default));
        Assert.Equal((1, true), (again.Delivery.Attempts, again.Delivery.Replayed));
        Assert.Contains(
            await Store.Audit.ReadAuditAsync(default).ToListAsync(),
            a => a.Kind == AuditKinds.DeliveryReplayed && a.Actor == "operator:duty" && a.Details.Justification?.Text == "endpoint fixed");
    }

    [StoreFact]
    public async Task A_review_whose_held_delivery_was_decided_on_since_it_was_read_fails_as_a_whole_and_writes_nothing()
    {
        var message = StoreSamples.Message(null, 1, DeliveryState.HeldForReview, "CN/FJPSD", "RU/MVD") with { State = MessageState.HeldForReview };
        await Store.Intake.AcceptAsync(message, default);
        var held = await Store.Intake.GetDeliveriesAsync(message.MessageId, default);
        var verdict = OperationsLifecycle.Review(message.MessageId, held, ReviewDecision.Release, "operator:legal", "cleared", new HashSet<long>());
        await Queue.ApplyEachAsync([new ChangeSet([], [new RefuseHeldDelivery(held[1].DeliveryId, DeliveryState.RefusedOnReview)], [])], default);

        var outcome = Assert.Single(await Queue.ApplyEachAsync([verdict.Changes!], default));

        Assert.Equal(new DeliveryInState(held[1].DeliveryId, DeliveryState.HeldForReview, 0), outcome.Failed);
        Assert.Equal(DeliveryState.HeldForReview, (await Store.Intake.GetDeliveriesAsync(message.MessageId, default))[0].State);
    }
}

public sealed class SqliteDeliveryChangeSetTests : DeliveryChangeSetContract
{
    protected override Task<StoreUnderTest> OpenAsync(DataKeyRing? keys) => Task.FromResult<StoreUnderTest>(new SqliteStoreUnderTest(keys));
}

[RequiresPostgres]
public sealed class PostgresDeliveryChangeSetTests : DeliveryChangeSetContract
{
    protected override async Task<StoreUnderTest> OpenAsync(DataKeyRing? keys) => await PostgresStoreUnderTest.CreateAsync(keys);
}
