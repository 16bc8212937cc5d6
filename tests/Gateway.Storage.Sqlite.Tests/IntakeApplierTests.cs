using Gateway.Core.Agencies;
using Gateway.Core.Audit;
using Gateway.Core.Lifecycle;
using Gateway.Core.Storage;
using Gateway.Tests.Shared;
using Interagency.V1;

namespace Gateway.Storage.Sqlite.Tests;

/// <summary>
/// The SQLite store applies the accept change set's rows as given and checks its preconditions as given: states, recipients
/// and audit entries come from the change set, and a precondition that no longer holds leaves nothing behind.
/// </summary>
public sealed class IntakeApplierTests
{
    private const string Sender = "CN/PLO-RU";

    [Fact]
    public async Task A_message_is_inserted_in_the_state_with_the_recipients_and_delivery_state_given_and_the_sequence_of_its_entry()
    {
        await using var temp = new TempStore();
        var message = TempStore.Message(recipients: ["CN/FJPSD"]);
        AuditEntry[] audit = [Entry("first"), Entry("second"), Entry(AuditKinds.MessageAccepted)];

        // A combination the lifecycle never makes: the store must not notice, let alone correct it.
        var outcome = await temp.Store.AcceptAsync(
            new ChangeSet([], [new InsertMessage(message, MessageState.Late, ["RU/MVD", "US/FBI"], DeliveryState.HeldForReview, 2)], audit), default);

        Assert.True(outcome.Applied);
        var stored = await temp.Store.FindMessageAsync(message.MessageId, default);
        Assert.Equal(MessageState.Late, stored!.Receipt.State);
        Assert.Equal(["RU/MVD", "US/FBI"], stored.Receipt.Recipients);
        Assert.Equal(outcome.AuditSequences[2], stored.Receipt.AuditSequence);
        Assert.Equal(outcome.At, stored.Receipt.AcceptedAt);
        var deliveries = await temp.Store.GetDeliveriesAsync(message.MessageId, default);
        Assert.Equal(["RU/MVD", "US/FBI"], deliveries.Select(d => d.Recipient));
        Assert.All(deliveries, d => Assert.Equal((DeliveryState.HeldForReview, 0), (d.State, d.Attempts)));
        Assert.Equal(["first", "second", AuditKinds.MessageAccepted], await temp.Store.ReadAuditAsync(default).Select(a => a.Kind).ToListAsync());
    }

    [Fact]
    public async Task A_request_is_marked_withdrawn_one_recipients_deadline_closed_and_a_delivery_ended_in_the_state_given()
    {
        await using var temp = new TempStore();
        var request = TempStore.Message(recipients: ["RU/MVD", "US/FBI"]) with { ReplyDue = DateTimeOffset.UtcNow.AddDays(1) };
        await temp.Store.AcceptAsync(request, default);
        var delivery = (await temp.Store.GetDeliveriesAsync(request.MessageId, default))[1];

        var outcome = await temp.Store.AcceptAsync(
            new ChangeSet(
                [],
                [new WithdrawRequest(request.MessageId), new CloseAwaitedReply(request.MessageId, "RU/MVD", ReplyClosure.Answered, "reply-1"), new WithdrawDelivery(delivery.DeliveryId)],
                []),
            default);

        var stored = await temp.Store.FindMessageAsync(request.MessageId, default);
        Assert.Equal(outcome.At, stored!.WithdrawnAt);
        Assert.False(await temp.Store.IsReplyAwaitedAsync(request.MessageId, "RU/MVD", default));
        Assert.True(await temp.Store.IsReplyAwaitedAsync(request.MessageId, "US/FBI", default));
        var states = (await temp.Store.GetDeliveriesAsync(request.MessageId, default)).Select(d => d.State);
        Assert.Equal([DeliveryState.Pending, DeliveryState.Withdrawn], states);
    }

    [Theory]
    [InlineData(HoldState.Released)]
    [InlineData(HoldState.Cancelled)]
    public async Task A_hold_is_opened_and_resolved_as_given(HoldState resolved)
    {
        await using var temp = new TempStore();
        var referral = TempStore.Message();
        var by = Guid.NewGuid().ToString();
        await temp.Store.AcceptAsync(
            new ChangeSet([], [new InsertMessage(referral, MessageState.Accepted, ["CN/FJPSD"], DeliveryState.Pending, 0), new OpenHold(referral.MessageId, "RU/MVD", Sender)], [Entry("accepted")]),
            default);
        Assert.Equal(new HoldRecord(referral.MessageId, "RU/MVD", Sender, HoldState.Open, null, null), await temp.Store.FindHoldAsync(referral.MessageId, default));

        var outcome = await temp.Store.AcceptAsync(new ChangeSet([], [new ResolveHold(referral.MessageId, resolved, by)], []), default);

        Assert.Equal(new HoldRecord(referral.MessageId, "RU/MVD", Sender, resolved, by, outcome.At), await temp.Store.FindHoldAsync(referral.MessageId, default));
    }

    /// <summary>Each precondition kind, against a store where it holds and one where it no longer does.</summary>
    public static TheoryData<string, bool> Preconditions()
    {
        var data = new TheoryData<string, bool>();
        foreach (var name in new[] { nameof(MessageIdFree), nameof(HoldOpen), nameof(RequestNotWithdrawn), nameof(AwaitedReplyOpen), nameof(ReplyStillAwaited), "DeliveryUnchanged.State", "DeliveryUnchanged.Attempts" })
        {
            data.Add(name, true);
            data.Add(name, false);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Preconditions))]
    public async Task A_precondition_is_checked_as_given_and_one_that_fails_leaves_nothing_behind(string kind, bool holds)
    {
        await using var temp = new TempStore();
        var referral = TempStore.Message(recipients: ["RU/MVD"]) with { HoldReleaseParty = AgencyId.Parse("RU/MVD"), ReplyDue = DateTimeOffset.UtcNow.AddDays(1) };
        await temp.Store.AcceptAsync(referral, default);
        var delivery = Assert.Single(await temp.Store.GetDeliveriesAsync(referral.MessageId, default));
        if (!holds)
        {
            // What another writer did meanwhile: resolved the hold, withdrew the request, closed the recipient's deadline
            // (for ReplyStillAwaited: raised it overdue), claimed the delivery.
            RowChange deadline = kind == nameof(ReplyStillAwaited)
                ? new MarkReplyOverdue(referral.MessageId, "RU/MVD")
                : new CloseAwaitedReply(referral.MessageId, "RU/MVD", ReplyClosure.Answered, "other");
            await temp.Store.AcceptAsync(
                new ChangeSet([], [new ResolveHold(referral.MessageId, HoldState.Released, "other"), new WithdrawRequest(referral.MessageId), deadline], []),
                default);
        }

        Precondition precondition = kind switch
        {
            nameof(MessageIdFree) => new MessageIdFree(holds ? Guid.NewGuid().ToString() : referral.MessageId),
            nameof(HoldOpen) => new HoldOpen(referral.MessageId),
            nameof(RequestNotWithdrawn) => new RequestNotWithdrawn(referral.MessageId),
            nameof(AwaitedReplyOpen) => new AwaitedReplyOpen(referral.MessageId, "RU/MVD"),
            nameof(ReplyStillAwaited) => new ReplyStillAwaited(referral.MessageId, "RU/MVD"),
            "DeliveryUnchanged.State" => new DeliveryUnchanged(delivery.DeliveryId, holds ? DeliveryState.Pending : DeliveryState.HeldForReview, 0),
            _ => new DeliveryUnchanged(delivery.DeliveryId, DeliveryState.Pending, holds ? 0 : 1),
        };
        var message = TempStore.Message();
        var auditBefore = await temp.Store.ReadAuditAsync(default).CountAsync();

        var outcome = await temp.Store.AcceptAsync(
            new ChangeSet([new MessageIdFree(message.MessageId), precondition], [new InsertMessage(message, MessageState.Accepted, ["CN/FJPSD"], DeliveryState.Pending, 0)], [Entry("accepted")]),
            default);

        Assert.Equal(holds ? null : precondition, outcome.Failed);
        Assert.Equal(holds, await temp.Store.FindMessageAsync(message.MessageId, default) is not null);
        Assert.Equal(auditBefore + (holds ? 1 : 0), await temp.Store.ReadAuditAsync(default).CountAsync());
    }

    [Fact]
    public async Task A_failed_change_set_leaves_nothing_behind_in_a_transaction_shared_with_applied_ones()
    {
        await using var temp = new TempStore();
        var taken = TempStore.Message();
        await temp.Store.AcceptAsync(taken, default);

        // The failing change set's rows and entries would come first; every one of its preconditions is checked before.
        var sameId = TempStore.Message(taken.MessageId, content: 7);
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => temp.Store.AcceptAsync(
            i % 2 == 0
                ? IntakeLifecycle.Accept(TempStore.Message(), null).Changes!
                : new ChangeSet([new MessageIdFree(taken.MessageId)], [new InsertMessage(sameId, MessageState.Accepted, ["RU/MVD"], DeliveryState.Pending, 0)], [Entry("never")]),
            default)));

        Assert.True(temp.Store.CommitCount < 200, $"{temp.Store.CommitCount} commits: the change sets did not share transactions");
        Assert.All(outcomes.Where((_, i) => i % 2 == 1), o => Assert.Equal(new MessageIdFree(taken.MessageId), o.Failed));
        Assert.DoesNotContain("never", await temp.Store.ReadAuditAsync(default).Select(a => a.Kind).ToListAsync());
        Assert.Equal(101, await temp.Store.ReadAuditAsync(default).CountAsync());
        Assert.True(AuditVerifier.Verify(await temp.Store.ReadAuditAsync(default).ToListAsync(), await temp.Store.ReadAuditHeadAsync(default)).IsIntact);
    }

    private static AuditEntry Entry(string kind) => new(kind, Sender, null, new AuditDetails());
}
