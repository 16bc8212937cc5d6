using Gateway.Core.Audit;
using Gateway.Core.Intake;
using Gateway.Core.Lifecycle;
using Gateway.Core.Storage;
using Interagency.V1;

namespace Gateway.Core.Tests.Lifecycle;

/// <summary>Every (delivery state, queue event) pair: claim, what a claim is sent as, release, and each outcome of an attempt.</summary>
public sealed class DeliveryLifecycleTests
{
    private const string Me = "worker-a";
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset RetryAt = new(2026, 11, 27, 12, 0, 10, TimeSpan.Zero);

    /// <summary>The trace context stored with the message: its claims and the notices about it carry it on.</summary>
    private const string TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    public static TheoryData<DeliveryState, bool> ClaimByState => new()
    {
        { DeliveryState.Pending, true },
        { DeliveryState.RetryWait, true },
        { DeliveryState.InFlight, true },
        { DeliveryState.HeldForReview, false },
        { DeliveryState.Delivered, false },
        { DeliveryState.DeadLettered, false },
        { DeliveryState.Withdrawn, false },
        { DeliveryState.RefusedOnReview, false },
        { DeliveryState.RefusedByRecipient, false },
        { DeliveryState.ClarificationRequested, false },
        { DeliveryState.ClarificationAnswered, false },
    };

    [Fact]
    public void Every_delivery_state_is_in_the_tables() =>
        Assert.Equal(Enum.GetValues<DeliveryState>().Order(), ClaimByState.Select(row => (DeliveryState)row[0]).Order());

    [Theory]
    [MemberData(nameof(ClaimByState))]
    public void A_claim_leases_a_due_delivery_with_one_attempt_more_if_it_is_still_as_read_and_refuses_any_other(DeliveryState state, bool claimed)
    {
        var delivery = Delivery(state, attempts: 2, owner: state == DeliveryState.InFlight ? "crashed-worker" : null);

        var changes = DeliveryLifecycle.Claim(delivery, Me, Lease);

        if (!claimed)
        {
            Assert.Null(changes);
            return;
        }

        Assert.NotNull(changes);
        Assert.Equal([new DeliveryInState(7, state, 2)], changes.Preconditions);
        Assert.Equal([new LeaseDelivery(7, DeliveryState.InFlight, Me, Lease, 3)], changes.Rows);
        Assert.Empty(changes.Audit);
    }

    [Theory]
    [InlineData(null, MessageState.Accepted, false, false)]
    [InlineData(HoldState.Open, MessageState.Accepted, true, false)]
    [InlineData(HoldState.Released, MessageState.Accepted, false, false)]
    [InlineData(HoldState.Cancelled, MessageState.Accepted, false, false)]
    [InlineData(null, MessageState.Late, false, true)]
    [InlineData(HoldState.Open, MessageState.Late, true, true)]
    [InlineData(null, MessageState.HeldForReview, false, false)]
    public void A_claimed_delivery_is_prepare_only_while_its_hold_is_open_and_late_when_its_message_is(
        HoldState? hold, MessageState message, bool prepareOnly, bool late)
    {
        var until = RetryAt + Lease;
        var due = new DueDelivery(Delivery(DeliveryState.Pending, attempts: 0, owner: null), MessageKind.Referral, [1, 2], message, hold)
        {
            TraceParent = TraceParent,
        };

        var claimed = DeliveryLifecycle.Claimed(due, Me, until);

        Assert.Equal((prepareOnly, late), (claimed.PrepareOnly, claimed.Late));
        Assert.Equal((DeliveryState.InFlight, 1, Me, until), (claimed.Delivery.State, claimed.Delivery.Attempts, claimed.Delivery.LeaseOwner, claimed.Delivery.LeaseUntil));
        Assert.Equal(MessageKind.Referral, claimed.Kind);
        Assert.Equal([1, 2], claimed.Payload);
        Assert.Equal(TraceParent, claimed.TraceParent);
    }

    public static TheoryData<DeliveryState, string?, int, DeliveryState?> ReleaseTable()
    {
        var table = new TheoryData<DeliveryState, string?, int, DeliveryState?>
        {
            { DeliveryState.InFlight, Me, 1, DeliveryState.Pending },
            { DeliveryState.InFlight, Me, 3, DeliveryState.RetryWait },
            { DeliveryState.InFlight, "worker-b", 1, null },
            { DeliveryState.InFlight, Me, 0, null },
        };
        foreach (var state in Enum.GetValues<DeliveryState>().Where(s => s != DeliveryState.InFlight))
        {
            table.Add(state, null, 1, null);
        }

        return table;
    }

    [Theory]
    [MemberData(nameof(ReleaseTable))]
    public void A_release_gives_back_only_my_lease_taking_off_the_attempt_its_claim_counted(
        DeliveryState state, string? owner, int attempts, DeliveryState? after)
    {
        var changes = DeliveryLifecycle.Release(Delivery(state, attempts, owner), Me);

        if (after is null)
        {
            Assert.Null(changes);
            return;
        }

        Assert.NotNull(changes);
        Assert.Equal([new DeliveryLeasedBy(7, Me, attempts)], changes.Preconditions);
        Assert.Equal([new ReturnDeliveryLease(7, after.Value, attempts - 1)], changes.Rows);
        Assert.Empty(changes.Audit);
    }

    public static TheoryData<DeliveryResolution, DeliveryState, string, bool> Outcomes => new()
    {
        { DeliveryResolution.Delivered, DeliveryState.Delivered, AuditKinds.DeliveryDelivered, true },
        { DeliveryResolution.DeliveredDuplicate, DeliveryState.Delivered, AuditKinds.DeliveryDuplicate, true },
        { DeliveryResolution.RetryLater, DeliveryState.RetryWait, AuditKinds.DeliveryRetry, false },
        { DeliveryResolution.DeadLettered, DeliveryState.DeadLettered, AuditKinds.DeliveryDeadLettered, true },
    };

    [Theory]
    [MemberData(nameof(Outcomes))]
    public void An_outcome_of_my_attempt_ends_the_lease_in_its_state_and_is_audited_with_the_attempt(
        DeliveryResolution resolution, DeliveryState state, string kind, bool finished)
    {
        var retryAt = resolution == DeliveryResolution.RetryLater ? RetryAt : (DateTimeOffset?)null;
        var error = resolution is DeliveryResolution.RetryLater or DeliveryResolution.DeadLettered ? "Unavailable" : null;

        var changes = DeliveryLifecycle.Complete(Me, new DeliveryCompletion(Delivery(DeliveryState.InFlight, 2, Me), resolution, retryAt, error));

        Assert.NotNull(changes);
        Assert.Equal([new DeliveryLeasedBy(7, Me, 2)], changes.Preconditions);
        Assert.Equal([new RecordDeliveryAttempt(7, state, retryAt, error, finished)], changes.Rows);
        var entry = Assert.Single(changes.Audit);
        Assert.Equal((kind, Me, "message-1"), (entry.Kind, entry.Actor, entry.MessageId));
        Assert.Equal(new AuditDetails { Delivery = 7, Recipient = "CN/FJPSD", Attempt = 2, RetryAt = retryAt, Error = error }, entry.Details);
    }

    /// <summary>The two answers of a recipient that end its delivery without applying it, with what each leaves behind.</summary>
    public static TheoryData<DeliveryResolution, DeliveryState, string, ReplyClosure, NoticeKind, string?> EndpointAnswers => new()
    {
        { DeliveryResolution.Refused, DeliveryState.RefusedByRecipient, AuditKinds.DeliveryRefusedByRecipient, ReplyClosure.Refused, NoticeKind.DeliveryRefused, "legal_grounds" },
        {
            DeliveryResolution.ClarificationRequested, DeliveryState.ClarificationRequested, AuditKinds.DeliveryClarificationRequested,
            ReplyClosure.ClarificationRequested, NoticeKind.ClarificationRequested, null
        },
    };

    [Theory]
    [MemberData(nameof(EndpointAnswers))]
    public void A_refusal_or_a_question_ends_the_delivery_closes_that_recipients_deadline_and_issues_a_notice_to_the_sender(
        DeliveryResolution resolution, DeliveryState state, string kind, ReplyClosure closure, NoticeKind noticeKind, string? reason)
    {
        var completion = Answered(MessageKind.LocationRequest, resolution);

        var changes = DeliveryLifecycle.Complete(Me, completion);

        Assert.NotNull(changes);
        var notice = Notices.Issue(About, "CN/FJPSD", NoticeOf(completion.Answer!, noticeKind), RetryAt, TraceParent);
        Assert.Equal([new DeliveryLeasedBy(7, Me, 2), notice.Precondition], changes.Preconditions);
        Assert.Equal(3, changes.Rows.Count);
        Assert.Equal(new RecordDeliveryAttempt(7, state, null, null, Finished: true), changes.Rows[0]);
        Assert.Equal(new CloseAwaitedReply("message-1", "CN/FJPSD", closure, "7"), changes.Rows[1]);
        var stored = Assert.IsType<InsertMessage>(changes.Rows[2]);
        Assert.Equal((MessageKind.Notice, "CN/FJPSD", 1), (stored.Message.Kind, stored.Message.Sender.ToString(), stored.AuditIndex));
        Assert.Equal(["CN/MPS"], stored.Recipients);
        Assert.Equal(TraceParent, stored.Message.TraceParent);
        var sent = GatewayNotice.Parser.ParseFrom(stored.Message.Payload);
        var expected = NoticeOf(completion.Answer!, noticeKind);
        expected.MessageId = About.MessageId;
        expected.Recipient = "CN/FJPSD";
        Assert.Equal(expected, sent.Notice);
        Assert.Equal(2, changes.Audit.Count);
        Assert.Equal(
            new AuditEntry(kind, Me, "message-1", new AuditDetails { Reason = reason, Delivery = 7, Recipient = "CN/FJPSD", Attempt = 2 }),
            changes.Audit[0]);
        Assert.Equal(notice.Entry, changes.Audit[1]);
        Assert.All(changes.Audit, entry => Assert.DoesNotContain("free text", entry.Details.Serialize(), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(DeliveryResolution.Refused, DeliveryState.RefusedByRecipient)]
    [InlineData(DeliveryResolution.ClarificationRequested, DeliveryState.ClarificationRequested)]
    public void A_notice_refused_or_asked_about_is_only_recorded_with_no_notice_about_it(DeliveryResolution resolution, DeliveryState state)
    {
        var changes = DeliveryLifecycle.Complete(Me, Answered(MessageKind.Notice, resolution));

        Assert.NotNull(changes);
        Assert.Equal([new DeliveryLeasedBy(7, Me, 2)], changes.Preconditions);
        Assert.Equal([new RecordDeliveryAttempt(7, state, null, null, Finished: true)], changes.Rows);
        Assert.Single(changes.Audit);
    }

    [Theory]
    [InlineData(DeliveryResolution.Refused)]
    [InlineData(DeliveryResolution.ClarificationRequested)]
    public void A_refusal_or_a_question_cannot_be_recorded_without_the_recipients_answer(DeliveryResolution resolution) =>
        Assert.Throws<ArgumentException>(() => DeliveryLifecycle.Complete(Me, new DeliveryCompletion(Delivery(DeliveryState.InFlight, 2, Me), resolution)));

    [Theory]
    [InlineData(EndpointRefusalReason.NotCompetent, "not_competent")]
    [InlineData(EndpointRefusalReason.LegalGrounds, "legal_grounds")]
    [InlineData(EndpointRefusalReason.Malformed, "malformed")]
    [InlineData(EndpointRefusalReason.Other, "other")]
    public void A_refusal_reason_is_audited_by_its_contract_name_in_snake_case(EndpointRefusalReason reason, string name) =>
        Assert.Equal(name, EndpointAnswer.ReasonName(reason));

    public static TheoryData<DeliveryResolution, DeliveryState, string?> RefusedOutcomes()
    {
        var table = new TheoryData<DeliveryResolution, DeliveryState, string?>();
        foreach (var resolution in Enum.GetValues<DeliveryResolution>())
        {
            table.Add(resolution, DeliveryState.InFlight, "worker-b");
            foreach (var state in Enum.GetValues<DeliveryState>().Where(s => s != DeliveryState.InFlight))
            {
                table.Add(resolution, state, null);
            }
        }

        return table;
    }

    [Theory]
    [MemberData(nameof(RefusedOutcomes))]
    public void An_outcome_for_a_delivery_not_leased_by_me_is_refused(DeliveryResolution resolution, DeliveryState state, string? owner) =>
        Assert.Null(DeliveryLifecycle.Complete(Me, new DeliveryCompletion(Delivery(state, 1, owner), resolution, RetryAt, "Unavailable")));

    private static readonly Header About = new()
    {
        MessageId = "00000000-0000-4000-8000-000000000007",
        CaseReference = "CN-FJ-2026-0042",
        Sender = "CN/MPS",
        Recipients = { "CN/FJPSD" },
        Priority = Priority.Urgent,
        Handling = new Handling { Code = HandlingCode.H2 },
    };

    private static DeliveryCompletion Answered(MessageKind kind, DeliveryResolution resolution) =>
        new(Delivery(DeliveryState.InFlight, 2, Me), resolution)
        {
            Answer = resolution == DeliveryResolution.Refused
                ? new EndpointAnswer(kind, About, RetryAt) { Refusal = new EndpointRefusal { Reason = EndpointRefusalReason.LegalGrounds, Text = "free text" }, TraceParent = TraceParent }
                : new EndpointAnswer(kind, About, RetryAt) { Question = "free text?", TraceParent = TraceParent },
        };

    private static DeliveryNotice NoticeOf(EndpointAnswer answer, NoticeKind kind) =>
        kind == NoticeKind.DeliveryRefused
            ? new DeliveryNotice { Kind = kind, Refusal = answer.Refusal }
            : new DeliveryNotice { Kind = kind, ClarificationQuestion = answer.Question };

    private static DeliveryRecord Delivery(DeliveryState state, int attempts, string? owner) =>
        new(7, "message-1", "CN/FJPSD", "CN-FJ-2026-0042", state, attempts, owner, owner is null ? null : RetryAt);
}
