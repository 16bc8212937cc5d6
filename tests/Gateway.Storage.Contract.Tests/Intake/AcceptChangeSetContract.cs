using Gateway.Core.Agencies;
using Gateway.Core.Audit;
using Gateway.Core.Encryption;
using Gateway.Core.Lifecycle;
using Gateway.Core.Storage;
using Gateway.Storage.Contract.Tests.Infrastructure;
using Gateway.Tests.Shared;
using Interagency.V1;

namespace Gateway.Storage.Contract.Tests.Intake;

/// <summary>
/// A store applies the accept change set's rows as given and checks its preconditions as given: states, recipients and
/// audit entries come from the change set, and a precondition that no longer holds leaves nothing behind.
/// </summary>
public abstract class AcceptChangeSetContract : StoreContract
{
    private const string Sender = StoreSamples.Sender;

    [StoreFact]
    public async Task A_message_is_inserted_in_the_state_with_the_recipients_and_delivery_state_given_and_the_sequence_of_its_entry()
    {
        var message = StoreSamples.Message(recipients: ["CN/FJPSD"]);
        AuditEntry[] audit = [Entry("first"), Entry("second"), Entry(AuditKinds.MessageAccepted)];

        // A combination the lifecycle never makes: the store must not notice, let alone correct it.
        var outcome = await Store.Intake.AcceptAsync(
            new ChangeSet([], [new InsertMessage(message, MessageState.Late, ["RU/MVD", "US/FBI"], DeliveryState.HeldForReview, 2)], audit), default);

        Assert.True(outcome.Applied);
        var stored = await Store.Intake.FindMessageAsync(message.MessageId, default);
        Assert.Equal(MessageState.Late, stored!.Receipt.State);
        Assert.Equal(["RU/MVD", "US/FBI"], stored.Receipt.Recipients);
        Assert.Equal(outcome.AuditSequences[2], stored.Receipt.AuditSequence);
        Assert.Equal(outcome.At, stored.Receipt.AcceptedAt);
        var deliveries = await Store.Intake.GetDeliveriesAsync(message.MessageId, default);
        Assert.Equal(["RU/MVD", "US/FBI"], deliveries.Select(d => d.Recipient));
        Assert.All(deliveries, d => Assert.Equal((DeliveryState.HeldForReview, 0), (d.State, d.Attempts)));
        Assert.Equal(["first", "second", AuditKinds.MessageAccepted], await Store.Audit.ReadAuditAsync(default).Select(a => a.Kind).ToListAsync());
    }

    [StoreFact]
    public async Task A_request_is_marked_withdrawn_one_recipients_deadline_closed_and_a_delivery_ended_in_the_state_given()
    {
        var request = StoreSamples.Message(recipients: ["RU/MVD", "US/FBI"]) with { ReplyDue = DateTimeOffset.UtcNow.AddDays(1) };
        await Store.Intake.AcceptAsync(request, default);
        var delivery = (await Store.Intake.GetDeliveriesAsync(request.MessageId, default))[1];

        var outcome = await Store.Intake.AcceptAsync(
            new ChangeSet(
                [],
                [new WithdrawRequest(request.MessageId), new CloseAwaitedReply(request.MessageId, "RU/MVD", ReplyClosure.Answered, "reply-1"), new WithdrawDelivery(delivery.DeliveryId)],
                []),
            default);

        var stored = await Store.Intake.FindMessageAsync(request.MessageId, default);
        Assert.Equal(outcome.At, stored!.WithdrawnAt);
        Assert.False(await Store.Intake.IsReplyAwaitedAsync(request.MessageId, "RU/MVD", default));
        Assert.True(await Store.Intake.IsReplyAwaitedAsync(request.MessageId, "US/FBI", default));
        var states = (await Store.Intake.GetDeliveriesAsync(request.MessageId, default)).Select(d => d.State);
        Assert.Equal([DeliveryState.Pending, DeliveryState.Withdrawn], states);
    }

    [StoreTheory]
    [InlineData(HoldState.Released)]
    [InlineData(HoldState.Cancelled)]
    public async Task A_hold_is_opened_and_resolved_as_given(HoldState resolved)
    {
        var referral = StoreSamples.Message();
        var by = Guid.NewGuid().ToString();
        await Store.Intake.AcceptAsync(
            new ChangeSet([], [new InsertMessage(referral, MessageState.Accepted, ["CN/FJPSD"], DeliveryState.Pending, 0), new OpenHold(referral.MessageId, "RU/MVD", Sender)], [Entry("accepted")]),
            default);
        Assert.Equal(new HoldRecord(referral.MessageId, "RU/MVD", Sender, HoldState.Open, null, null), await Store.Intake.FindHoldAsync(referral.MessageId, default));

        var outcome = await Store.Intake.AcceptAsync(new ChangeSet([], [new ResolveHold(referral.MessageId, resolved, by)], []), default);

        Assert.Equal(new HoldRecord(referral.MessageId, "RU/MVD", Sender, resolved, by, outcome.At), await Store.Intake.FindHoldAsync(referral.MessageId, default));
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

    [StoreTheory]
    [MemberData(nameof(Preconditions))]
    public async Task A_precondition_is_checked_as_given_and_one_that_fails_leaves_nothing_behind(string kind, bool holds)
    {
        var referral = StoreSamples.Message(recipients: ["RU/MVD"]) with { HoldReleaseParty = AgencyId.Parse("RU/MVD"), ReplyDue = DateTimeOffset.UtcNow.AddDays(1) };
        await Store.Intake.AcceptAsync(referral, default);
        var delivery = Assert.Single(await Store.Intake.GetDeliveriesAsync(referral.MessageId, default));
        if (!holds)
        {
            // What another writer did meanwhile: resolved the hold, withdrew the request, closed the recipient's deadline
            // (for ReplyStillAwaited: raised it overdue), claimed the delivery.
            RowChange deadline = kind == nameof(ReplyStillAwaited)
                ? new MarkReplyOverdue(referral.MessageId, "RU/MVD")
                : new CloseAwaitedReply(referral.MessageId, "RU/MVD", ReplyClosure.Answered, "other");
            await Store.Intake.AcceptAsync(
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
        var message = StoreSamples.Message();
        var auditBefore = await Store.Audit.ReadAuditAsync(default).CountAsync();

        var outcome = await Store.Intake.AcceptAsync(
            new ChangeSet([new MessageIdFree(message.MessageId), precondition], [new InsertMessage(message, MessageState.Accepted, ["CN/FJPSD"], DeliveryState.Pending, 0)], [Entry("accepted")]),
            default);

        Assert.Equal(holds ? null : precondition, outcome.Failed);
        Assert.Equal(holds, await Store.Intake.FindMessageAsync(message.MessageId, default) is not null);
        Assert.Equal(auditBefore + (holds ? 1 : 0), await Store.Audit.ReadAuditAsync(default).CountAsync());
    }

    private static AuditEntry Entry(string kind) => new(kind, Sender, null, new AuditDetails());
}

public sealed class SqliteAcceptChangeSetTests : AcceptChangeSetContract
{
    protected override Task<StoreUnderTest> OpenAsync(DataKeyRing? keys) => Task.FromResult<StoreUnderTest>(new SqliteStoreUnderTest(keys));
}

[RequiresPostgres]
public sealed class PostgresAcceptChangeSetTests : AcceptChangeSetContract
{
    protected override async Task<StoreUnderTest> OpenAsync(DataKeyRing? keys) => await PostgresStoreUnderTest.CreateAsync(keys);
}
