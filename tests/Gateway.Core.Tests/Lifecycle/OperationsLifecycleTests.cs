using Gateway.Core.Audit;
using Gateway.Core.Intake;
using Gateway.Core.Lifecycle;
using Gateway.Core.Storage;
using Gateway.Tests.Shared;
using Google.Protobuf;
using Interagency.V1;

namespace Gateway.Core.Tests.Lifecycle;

/// <summary>Every (state, operations event) pair: replay of a dead letter, a review decision, a reply overdue.</summary>
public sealed class OperationsLifecycleTests
{
    private static readonly IReadOnlySet<long> NoneBlocked = new HashSet<long>();

    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<DeliveryState> States() => [.. Enum.GetValues<DeliveryState>()];

    [Theory]
    [MemberData(nameof(States))]
    public void Only_a_dead_letter_is_replayed_to_pending_with_fresh_attempts_and_audited_with_who_and_why(DeliveryState state)
    {
        var changes = OperationsLifecycle.Replay(Delivery(3, "CN/FJPSD", state, attempts: 5), "operator:duty", "endpoint fixed");

        if (state != DeliveryState.DeadLettered)
        {
            Assert.Null(changes);
            return;
        }

        Assert.NotNull(changes);
        Assert.Equal([new DeliveryInState(3, DeliveryState.DeadLettered, 5)], changes.Preconditions);
        Assert.Equal([new RestartDelivery(3, DeliveryState.Pending, Replayed: true)], changes.Rows);
        var entry = Assert.Single(changes.Audit);
        Assert.Equal((AuditKinds.DeliveryReplayed, "operator:duty", "message-1"), (entry.Kind, entry.Actor, entry.MessageId));
        Assert.Equal(new AuditDetails { Delivery = 3, Recipient = "CN/FJPSD", Justification = SealedText.Clear("endpoint fixed") }, entry.Details);
    }

    [Theory]
    [InlineData(ReviewDecision.Release)]
    [InlineData(ReviewDecision.Refuse)]
    public void A_decision_on_an_unknown_message_is_not_found_and_changes_nothing(ReviewDecision decision)
    {
        var verdict = OperationsLifecycle.Review("message-1", null, decision, "operator:legal", "r", NoneBlocked);

        Assert.Equal((ReviewStatus.NotFound, 0), (verdict.Result.Status, verdict.Result.Recipients.Count));
        Assert.Null(verdict.Changes);
    }

    public static TheoryData<ReviewDecision, DeliveryState> NotHeld()
    {
        var table = new TheoryData<ReviewDecision, DeliveryState>();
        foreach (var decision in new[] { ReviewDecision.Release, ReviewDecision.Refuse })
        {
            foreach (var state in Enum.GetValues<DeliveryState>().Where(s => s != DeliveryState.HeldForReview))
            {
                table.Add(decision, state);
            }
        }

        return table;
    }

    [Theory]
    [MemberData(nameof(NotHeld))]
    public void A_decision_on_a_message_with_nothing_held_is_not_held_and_changes_nothing(ReviewDecision decision, DeliveryState state)
    {
        var verdict = OperationsLifecycle.Review("message-1", [Delivery(1, "CN/FJPSD", state)], decision, "operator:legal", "r", NoneBlocked);

        Assert.Equal((ReviewStatus.NotHeld, 0), (verdict.Result.Status, verdict.Result.Recipients.Count));
        Assert.Null(verdict.Changes);
    }

    [Fact]
    public void A_release_makes_each_delivery_still_held_pending_as_new_in_id_order_with_one_audit_entry()
    {
        var deliveries = new[]
        {
            Delivery(9, "RU/MVD", DeliveryState.HeldForReview),
            Delivery(4, "CN/FJPSD", DeliveryState.HeldForReview),
            Delivery(6, "CN/MPS", DeliveryState.Withdrawn),
        };

        var verdict = OperationsLifecycle.Review("message-1", deliveries, ReviewDecision.Release, "operator:legal", "ordinary crime", NoneBlocked);

        Assert.Equal(ReviewStatus.Decided, verdict.Result.Status);
        Assert.Equal(["CN/FJPSD", "RU/MVD"], verdict.Result.Recipients);
        Assert.NotNull(verdict.Changes);
        Assert.Equal(
            [new DeliveryInState(4, DeliveryState.HeldForReview, 0), new DeliveryInState(9, DeliveryState.HeldForReview, 0)],
            verdict.Changes.Preconditions);
        Assert.Equal(
            [new RestartDelivery(4, DeliveryState.Pending, Replayed: false), new RestartDelivery(9, DeliveryState.Pending, Replayed: false)],
            verdict.Changes.Rows);
        var entry = Assert.Single(verdict.Changes.Audit);
        Assert.Equal((AuditKinds.MessageReleasedOnReview, "operator:legal", "message-1"), (entry.Kind, entry.Actor, entry.MessageId));
        Assert.Equal(new AuditDetails { Recipients = ["CN/FJPSD", "RU/MVD"], Justification = SealedText.Clear("ordinary crime") }, entry.Details);
    }

    [Fact]
    public void A_release_refuses_instead_the_held_deliveries_whose_route_is_no_longer_agreed()
    {
        var deliveries = new[] { Delivery(4, "CN/FJPSD", DeliveryState.HeldForReview), Delivery(9, "RU/MVD", DeliveryState.HeldForReview) };

        var verdict = OperationsLifecycle.Review("message-1", deliveries, ReviewDecision.Release, "operator:legal", "cleared", new HashSet<long> { 9 });

        Assert.Equal(["CN/FJPSD"], verdict.Result.Recipients);
        Assert.Equal(["RU/MVD"], verdict.Result.NotAgreed);
        Assert.Equal(
            [new RestartDelivery(4, DeliveryState.Pending, Replayed: false), new RefuseHeldDelivery(9, DeliveryState.RefusedOnReview)],
            verdict.Changes!.Rows);
        Assert.Equal([AuditKinds.MessageReleasedOnReview, AuditKinds.MessageRefusedOnReview], verdict.Changes.Audit.Select(a => a.Kind));
        Assert.Equal(
            new AuditDetails { Recipients = ["RU/MVD"], Reason = "route_not_agreed", Justification = SealedText.Clear("cleared") },
            verdict.Changes.Audit[1].Details);
    }

    [Fact]
    public void A_refused_replay_changes_no_row_and_is_audited_while_the_delivery_is_still_a_dead_letter()
    {
        var changes = OperationsLifecycle.RefuseReplay(Delivery(3, "CN/FJPSD", DeliveryState.DeadLettered, attempts: 5), "operator:duty");

        Assert.Equal([new DeliveryInState(3, DeliveryState.DeadLettered, 5)], changes!.Preconditions);
        Assert.Empty(changes.Rows);
        var entry = Assert.Single(changes.Audit);
        Assert.Equal((AuditKinds.DeliveryReplayRefused, "operator:duty"), (entry.Kind, entry.Actor));
        Assert.Null(OperationsLifecycle.RefuseReplay(Delivery(3, "CN/FJPSD", DeliveryState.Pending), "operator:duty"));
    }

    [Fact]
    public void A_refusal_refuses_each_delivery_still_held_for_good_with_one_audit_entry()
    {
        var deliveries = new[] { Delivery(4, "CN/FJPSD", DeliveryState.HeldForReview), Delivery(5, "RU/MVD", DeliveryState.Delivered) };

        var verdict = OperationsLifecycle.Review("message-1", deliveries, ReviewDecision.Refuse, "operator:legal", "political", NoneBlocked);

        Assert.Equal(ReviewStatus.Decided, verdict.Result.Status);
        Assert.Equal(["CN/FJPSD"], verdict.Result.Recipients);
        Assert.NotNull(verdict.Changes);
        Assert.Equal([new DeliveryInState(4, DeliveryState.HeldForReview, 0)], verdict.Changes.Preconditions);
        Assert.Equal([new RefuseHeldDelivery(4, DeliveryState.RefusedOnReview)], verdict.Changes.Rows);
        var entry = Assert.Single(verdict.Changes.Audit);
        Assert.Equal(AuditKinds.MessageRefusedOnReview, entry.Kind);
        Assert.Equal(new AuditDetails { Recipients = ["CN/FJPSD"], Justification = SealedText.Clear("political") }, entry.Details);
    }

    [Theory]
    [InlineData(-1, false, false, true)]
    [InlineData(0, false, false, false)]
    [InlineData(1, false, false, false)]
    [InlineData(-1, true, false, false)]
    [InlineData(-1, false, true, false)]
    [InlineData(-1, true, true, false)]
    public void A_deadline_passed_while_open_and_not_yet_overdue_is_raised_overdue_with_a_notice_to_the_sender_and_no_other(
        int dueFromNowSeconds, bool closed, bool overdue, bool raised)
    {
        var due = Now.AddSeconds(dueFromNowSeconds);
        var request = Samples.LocationRequest("TH");
        var reply = new AwaitedReply(
            request.Header.MessageId, MessageKind.LocationRequest, request.ToByteArray(), "CN/MPS", "TH/RTP", due, closed, overdue)
        {
            TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        };

        var changes = OperationsLifecycle.Overdue(reply, Now);

        if (!raised)
        {
            Assert.Null(changes);
            return;
        }

        Assert.NotNull(changes);
        var notice = Notices.Issue(
            request.Header, "TH/RTP", new DeliveryNotice { Kind = NoticeKind.ReplyOverdue, ReplyDue = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(due) }, Now, reply.TraceParent);
        Assert.Equal([new ReplyStillAwaited(request.Header.MessageId, "TH/RTP"), notice.Precondition], changes.Preconditions);
        Assert.Equal(new MarkReplyOverdue(request.Header.MessageId, "TH/RTP"), changes.Rows[0]);
        var inserted = Assert.IsType<InsertMessage>(changes.Rows[1]);
        Assert.Equal((MessageKind.Notice, "TH/RTP", 1), (inserted.Message.Kind, inserted.Message.Sender.ToString(), inserted.AuditIndex));
        Assert.Equal(["CN/MPS"], inserted.Recipients);
        Assert.Equal(reply.TraceParent, inserted.Message.TraceParent);
        var stored = GatewayNotice.Parser.ParseFrom(inserted.Message.Payload);
        Assert.Equal((NoticeKind.ReplyOverdue, request.Header.MessageId, "TH/RTP", due), (stored.Notice.Kind, stored.Notice.MessageId, stored.Notice.Recipient, stored.Notice.ReplyDue.ToDateTimeOffset()));
        Assert.Equal(2, changes.Audit.Count);
        var entry = changes.Audit[0];
        Assert.Equal((AuditKinds.ReplyOverdue, "gateway", request.Header.MessageId), (entry.Kind, entry.Actor, entry.MessageId));
        Assert.Equal(new AuditDetails { Sender = "CN/MPS", Recipient = "TH/RTP", ReplyBy = due }, entry.Details);
        Assert.Equal(notice.Entry, changes.Audit[1]);
    }

    private static DeliveryRecord Delivery(long id, string recipient, DeliveryState state, int attempts = 0) =>
        new(id, "message-1", recipient, "CN-FJ-2026-0042", state, attempts, null, null);
}
