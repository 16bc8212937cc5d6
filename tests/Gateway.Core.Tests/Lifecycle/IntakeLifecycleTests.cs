using Gateway.Core.Agencies;
using Gateway.Core.Audit;
using Gateway.Core.Intake;
using Gateway.Core.Lifecycle;
using Gateway.Core.Storage;
using Interagency.V1;

namespace Gateway.Core.Tests.Lifecycle;

/// <summary>The accept transition over every kind of link and every state of the message it answers, refusals included.</summary>
public sealed class IntakeLifecycleTests
{
    private const string Target = "00000000-0000-4000-8000-000000000001";
    private const string Id = "00000000-0000-4000-8000-000000000002";

    private static readonly DateTimeOffset At = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Rows compared by value, their lists by content (records compare lists by reference).</summary>
    private static readonly IEqualityComparer<RowChange> RowComparer = EqualityComparer<RowChange>.Create(
        (a, b) => a is InsertMessage x && b is InsertMessage y
            ? x.Message == y.Message && x.State == y.State && x.Recipients.SequenceEqual(y.Recipients) && x.DeliveryState == y.DeliveryState && x.AuditIndex == y.AuditIndex
            : Equals(a, b),
        row => row.GetType().GetHashCode());

    public static TheoryData<MessageState, DeliveryState, string> PlainMessages => new()
    {
        { MessageState.Accepted, DeliveryState.Pending, AuditKinds.MessageAccepted },
        { MessageState.HeldForReview, DeliveryState.HeldForReview, AuditKinds.MessageHeldForReview },
    };

    [Theory]
    [MemberData(nameof(PlainMessages))]
    public void A_message_that_answers_none_is_stored_with_a_delivery_per_recipient_if_its_id_is_free(MessageState state, DeliveryState deliveries, string kind)
    {
        var message = Message(MessageKind.Referral, "CN/PLO-RU", "CN/FJPSD", "RU/MVD") with { State = state, InitialDeliveryState = deliveries };

        var changes = Accepted(IntakeLifecycle.Accept(message, null));

        Assert.Equal([new MessageIdFree(Id)], changes.Preconditions);
        Assert.Equal([new InsertMessage(message, state, ["CN/FJPSD", "RU/MVD"], deliveries, 0)], changes.Rows, RowComparer);
        var entry = Assert.Single(changes.Audit);
        Assert.Equal(new AuditEntry(kind, "CN/PLO-RU", Id, new AuditDetails
        {
            Kind = MessageKind.Referral,
            Case = "CASE-1",
            Recipients = ["CN/FJPSD", "RU/MVD"],
            State = state,
            Deliveries = deliveries,
        }), entry);
    }

    [Fact]
    public void A_referral_with_a_coordination_hold_opens_it_and_names_its_release_party()
    {
        var message = Message(MessageKind.Referral, "CN/PLO-RU", "CN/FJPSD") with { HoldReleaseParty = AgencyId.Parse("RU/MVD") };

        var changes = Accepted(IntakeLifecycle.Accept(message, null));

        Assert.Equal(new OpenHold(Id, "RU/MVD", "CN/PLO-RU"), changes.Rows[1]);
        Assert.Equal(HoldState.Open, ((OpenHold)changes.Rows[1]).State);
        Assert.Equal("RU/MVD", Assert.Single(changes.Audit).Details.HoldReleaseParty);
    }

    /// <summary>Every (withdrawn, the replier's deadline open) state of the request a reply answers.</summary>
    public static TheoryData<bool, bool, MessageState> Replies => new()
    {
        { false, true, MessageState.Accepted },
        { false, false, MessageState.Accepted },
        { true, true, MessageState.Late },
        { true, false, MessageState.Late },
    };

    [Theory]
    [MemberData(nameof(Replies))]
    public void A_reply_is_late_once_its_request_is_withdrawn_and_closes_its_senders_deadline_while_open(bool withdrawn, bool answers, MessageState state)
    {
        var report = Message(MessageKind.LocationReport, "RU/MVD", "CN/MPS") with { Link = new MessageLink(LinkKind.Reply, Target) };

        var changes = Accepted(IntakeLifecycle.Accept(report, new AnsweredMessage(withdrawn, answers, null, [])));

        // Only what can still change is checked: a withdrawn request stays so, and so does a closed deadline.
        List<Precondition> preconditions = [new MessageIdFree(Id)];
        if (!withdrawn)
        {
            preconditions.Add(new RequestNotWithdrawn(Target));
        }

        if (answers)
        {
            preconditions.Add(new AwaitedReplyOpen(Target, "RU/MVD"));
        }

        Assert.Equal(preconditions, changes.Preconditions);
        List<RowChange> rows = [new InsertMessage(report, state, ["CN/MPS"], DeliveryState.Pending, 0)];
        if (answers)
        {
            rows.Add(new CloseAwaitedReply(Target, "RU/MVD", ReplyClosure.Answered, Id));
        }

        Assert.Equal(rows, changes.Rows, RowComparer);
        Assert.Equal(answers ? [AuditKinds.MessageAccepted, AuditKinds.RequestAnswered] : [AuditKinds.MessageAccepted], changes.Audit.Select(a => a.Kind));
        Assert.Equal(state, changes.Audit[0].Details.State);
        if (answers)
        {
            Assert.Equal(new AuditEntry(AuditKinds.RequestAnswered, "RU/MVD", Target, new AuditDetails { By = Id, Recipient = "RU/MVD" }), changes.Audit[1]);
        }
    }

    [Fact]
    public void A_reply_held_for_review_stays_held_unless_its_request_was_withdrawn()
    {
        var report = Message(MessageKind.LocationReport, "RU/MVD", "CN/MPS") with
        {
            Link = new MessageLink(LinkKind.Reply, Target),
            State = MessageState.HeldForReview,
            InitialDeliveryState = DeliveryState.HeldForReview,
        };

        Assert.Equal(AuditKinds.MessageHeldForReview, Accepted(IntakeLifecycle.Accept(report, new AnsweredMessage(false, false, null, []))).Audit[0].Kind);
        var late = Accepted(IntakeLifecycle.Accept(report, new AnsweredMessage(true, false, null, [])));
        Assert.Equal((AuditKinds.MessageAccepted, MessageState.Late), (late.Audit[0].Kind, late.Audit[0].Details.State));
    }

    [Fact]
    public void A_withdrawal_withdraws_the_deliveries_never_attempted_closes_every_deadline_and_goes_to_every_other_recipient()
    {
        var withdrawal = Message(MessageKind.Withdrawal, "CN/MPS") with { Link = new MessageLink(LinkKind.Withdraw, Target) };
        DeliveryRecord[] deliveries =
        [
            Delivery(14, "US/FBI", DeliveryState.Pending, 0),
            Delivery(11, "RU/MVD", DeliveryState.InFlight, 1),
            Delivery(12, "CN/PLO-TH", DeliveryState.HeldForReview, 0),
            Delivery(13, "TH/RTP", DeliveryState.RetryWait, 2),
            Delivery(15, "DE/BKA", DeliveryState.Pending, 1),
            Delivery(16, "FR/PN", DeliveryState.Delivered, 1),
            Delivery(17, "IT/PS", DeliveryState.DeadLettered, 5),
            Delivery(18, "ES/PN", DeliveryState.RefusedOnReview, 0),
        ];

        var decision = IntakeLifecycle.Accept(withdrawal, new AnsweredMessage(false, false, null, deliveries));
        var changes = Accepted(decision);

        Assert.Equal(
            [new MessageIdFree(Id), new RequestNotWithdrawn(Target), .. deliveries.OrderBy(d => d.DeliveryId).Select(d => new DeliveryUnchanged(d.DeliveryId, d.State, d.Attempts))],
            changes.Preconditions);
        string[] recipients = ["RU/MVD", "TH/RTP", "DE/BKA", "FR/PN", "IT/PS", "ES/PN"];
        Assert.Equal(
            [
                new InsertMessage(withdrawal, MessageState.Accepted, recipients, DeliveryState.Pending, 3),
                new WithdrawRequest(Target),
                new WithdrawDelivery(12),
                new WithdrawDelivery(14),
                .. deliveries.OrderBy(d => d.DeliveryId).Select(d => new CloseAwaitedReply(Target, d.Recipient, ReplyClosure.Withdrawn, Id)),
            ],
            changes.Rows,
            RowComparer);
        Assert.All(changes.Rows.OfType<WithdrawDelivery>(), w => Assert.Equal(DeliveryState.Withdrawn, w.State));
        Assert.Equal(
            [
                new AuditEntry(AuditKinds.RequestWithdrawn, "CN/MPS", Target, new AuditDetails { By = Id }),
                new AuditEntry(AuditKinds.DeliveryWithdrawn, "CN/MPS", Target, new AuditDetails { Delivery = 12, Recipient = "CN/PLO-TH" }),
                new AuditEntry(AuditKinds.DeliveryWithdrawn, "CN/MPS", Target, new AuditDetails { Delivery = 14, Recipient = "US/FBI" }),
            ],
            changes.Audit.Take(3));
        Assert.Equal(AuditKinds.MessageAccepted, changes.Audit[3].Kind);
        Assert.Equal(recipients, changes.Audit[3].Details.Recipients);
        Assert.Equal(recipients, decision.ReceiptOf(new ChangeOutcome(null, At, [7, 8, 9, 10])).Recipients);
        Assert.Equal(10, decision.ReceiptOf(new ChangeOutcome(null, At, [7, 8, 9, 10])).AuditSequence);
    }

    [Fact]
    public void A_withdrawal_of_a_request_none_of_whose_deliveries_was_attempted_goes_to_nobody()
    {
        var withdrawal = Message(MessageKind.Withdrawal, "CN/MPS") with { Link = new MessageLink(LinkKind.Withdraw, Target) };

        var changes = Accepted(IntakeLifecycle.Accept(withdrawal, new AnsweredMessage(false, false, null, [Delivery(1, "RU/MVD", DeliveryState.Pending, 0)])));

        Assert.Empty(((InsertMessage)changes.Rows[0]).Recipients);
        Assert.Equal([AuditKinds.RequestWithdrawn, AuditKinds.DeliveryWithdrawn, AuditKinds.MessageAccepted], changes.Audit.Select(a => a.Kind));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_withdrawal_of_a_request_already_withdrawn_is_refused(bool answered)
    {
        var withdrawal = Message(MessageKind.Withdrawal, "CN/MPS") with { Link = new MessageLink(LinkKind.Withdraw, Target) };

        var decision = IntakeLifecycle.Accept(withdrawal, new AnsweredMessage(true, answered, null, []));

        Assert.Null(decision.Changes);
        Assert.Equal((RefusalCode.FailedPrecondition, "request_already_withdrawn"), (decision.Refusal!.Code, decision.Refusal.Reason));
        Assert.Equal("withdrawal.request_message_id", Assert.Single(decision.Refusal.Violations).Field);
    }

    /// <summary>Every message that resolves a hold, against every state of the hold.</summary>
    public static TheoryData<MessageKind, LinkKind, HoldState, string?> HoldNotices()
    {
        var data = new TheoryData<MessageKind, LinkKind, HoldState, string?>();
        foreach (var (kind, link) in new[] { (MessageKind.HoldRelease, LinkKind.ReleaseHold), (MessageKind.CaseUpdate, LinkKind.ReleaseHold), (MessageKind.HoldCancellation, LinkKind.CancelHold) })
        {
            foreach (var state in Enum.GetValues<HoldState>())
            {
                data.Add(kind, link, state, state == HoldState.Open ? null : "hold_not_open");
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(HoldNotices))]
    public void A_release_or_cancellation_resolves_an_open_hold_and_is_refused_once_it_is_resolved(MessageKind kind, LinkKind link, HoldState hold, string? refusal)
    {
        var notice = Message(kind, "RU/MVD", "CN/FJPSD", "CN/PLO-RU") with { Link = new MessageLink(link, Target) };

        var decision = IntakeLifecycle.Accept(notice, new AnsweredMessage(false, false, hold, []));

        if (refusal is not null)
        {
            Assert.Null(decision.Changes);
            Assert.Equal((RefusalCode.FailedPrecondition, refusal), (decision.Refusal!.Code, decision.Refusal.Reason));
            var field = kind switch { MessageKind.HoldRelease => "release", MessageKind.HoldCancellation => "cancellation", _ => "update.hold_release" };
            Assert.Equal(field + ".referral_message_id", Assert.Single(decision.Refusal.Violations).Field);
            return;
        }

        var changes = Accepted(decision);
        var resolved = link == LinkKind.ReleaseHold ? HoldState.Released : HoldState.Cancelled;
        Assert.Equal([new MessageIdFree(Id), new HoldOpen(Target)], changes.Preconditions);
        Assert.Equal([new InsertMessage(notice, MessageState.Accepted, ["CN/FJPSD", "CN/PLO-RU"], DeliveryState.Pending, 0), new ResolveHold(Target, resolved, Id)], changes.Rows, RowComparer);
        Assert.Equal(
            new AuditEntry(resolved == HoldState.Released ? AuditKinds.HoldReleased : AuditKinds.HoldCancelled, "RU/MVD", Target, new AuditDetails { By = Id }),
            changes.Audit[1]);
        Assert.Equal(AuditKinds.MessageAccepted, changes.Audit[0].Kind);
    }

    /// <summary>Every state the delivery of the asking recipient can be in: only an open question takes an answer.</summary>
    public static TheoryData<DeliveryState> DeliveryStates() => [.. Enum.GetValues<DeliveryState>()];

    [Theory]
    [MemberData(nameof(DeliveryStates))]
    public void A_clarification_answer_answers_an_open_question_once_and_starts_the_reply_deadline_again(DeliveryState state)
    {
        var due = At.AddDays(3);
        var answer = Message(MessageKind.ClarificationAnswer, "CN/MPS", "RU/MVD") with { Link = new MessageLink(LinkKind.Clarify, Target) };

        var decision = IntakeLifecycle.Accept(answer, AnsweredMessage.Question(Delivery(31, "RU/MVD", state, 1), due));

        if (state != DeliveryState.ClarificationRequested)
        {
            Assert.Null(decision.Changes);
            Assert.Equal((RefusalCode.FailedPrecondition, "no_open_question"), (decision.Refusal!.Code, decision.Refusal.Reason));
            Assert.Equal("answer.recipient", Assert.Single(decision.Refusal.Violations).Field);
            return;
        }

        var changes = Accepted(decision);
        Assert.Equal([new MessageIdFree(Id), new DeliveryUnchanged(31, DeliveryState.ClarificationRequested, 1)], changes.Preconditions);
        Assert.Equal(
            [
                new InsertMessage(answer, MessageState.Accepted, ["RU/MVD"], DeliveryState.Pending, 0),
                new AnswerClarification(31),
                new ReopenAwaitedReply(Target, "RU/MVD", due),
            ],
            changes.Rows,
            RowComparer);
        Assert.Equal(AuditKinds.MessageAccepted, changes.Audit[0].Kind);
        Assert.Equal(
            new AuditEntry(AuditKinds.ClarificationAnswered, "CN/MPS", Target, new AuditDetails { By = Id, Delivery = 31, Recipient = "RU/MVD" }),
            changes.Audit[1]);
    }

    [Fact]
    public void The_receipt_carries_the_transaction_time_and_the_sequence_of_the_entry_that_records_the_message()
    {
        var report = Message(MessageKind.LocationReport, "RU/MVD", "CN/MPS") with { Link = new MessageLink(LinkKind.Reply, Target) };
        var decision = IntakeLifecycle.Accept(report, new AnsweredMessage(true, false, null, []));

        var receipt = decision.ReceiptOf(new ChangeOutcome(null, At, [41, 42]));

        Assert.Equal((Id, At, 41L, MessageState.Late), (receipt.MessageId, receipt.AcceptedAt, receipt.AuditSequence, receipt.State));
        Assert.Equal(["CN/MPS"], receipt.Recipients);
        Assert.Throws<InvalidOperationException>(() => decision.ReceiptOf(new ChangeOutcome(new MessageIdFree(Id), At, [])));
    }

    [Fact]
    public void A_message_that_answers_another_cannot_be_decided_without_what_was_read_of_it()
    {
        var report = Message(MessageKind.LocationReport, "RU/MVD", "CN/MPS") with { Link = new MessageLink(LinkKind.Reply, Target) };

        Assert.Throws<ArgumentNullException>(() => IntakeLifecycle.Accept(report, null));
    }

    private static ChangeSet Accepted(AcceptDecision decision)
    {
        Assert.Null(decision.Refusal);
        return decision.Changes!;
    }

    private static NewMessage Message(MessageKind kind, string sender, params string[] recipients) =>
        new(Id, kind, "CASE-1", AgencyId.Parse(sender), recipients.Select(AgencyId.Parse).ToArray(), [1, 2], [3], At, MessageState.Accepted, DeliveryState.Pending);

    private static DeliveryRecord Delivery(long id, string recipient, DeliveryState state, int attempts) =>
        new(id, Target, recipient, "CASE-1", state, attempts, null, null);
}
