using Gateway.Core.Audit;
using Gateway.Core.Messages;
using Gateway.Core.Routing;
using Gateway.Core.Storage;
using Google.Protobuf.WellKnownTypes;
using Interagency.V1;

namespace Gateway.Core.Lifecycle;

/// <summary>
/// The transitions operators, reviewers and the reply-deadline watch cause, decided from what was read and the event:
/// replay of a dead letter, a review decision on a held message, a reply overdue. Each returns the change set that makes
/// it, or null (a <see cref="ReviewStatus"/> for a review) when the state refuses the event.
/// </summary>
public static class OperationsLifecycle
{
    /// <summary>The actor of what the gateway does by itself.</summary>
    public const string Gateway = "gateway";

    /// <summary>Puts a dead letter back to pending with a fresh count of attempts, audited with who did it and why.</summary>
    public static ChangeSet? Replay(DeliveryRecord delivery, string actor, string reason) =>
        delivery.State == DeliveryState.DeadLettered
            ? new ChangeSet(
                [new DeliveryInState(delivery.DeliveryId, delivery.State, delivery.Attempts)],
                [new RestartDelivery(delivery.DeliveryId, DeliveryState.Pending, Replayed: true)],
                [new AuditEntry(AuditKinds.DeliveryReplayed, actor, delivery.MessageId, new AuditDetails
                {
                    Delivery = delivery.DeliveryId,
                    Recipient = delivery.Recipient,
                    Justification = SealedText.Clear(reason),
                })])
            : null;

    /// <summary>
    /// A dead letter whose route the agreements in effect no longer allow stays one: the replay asked for is refused
    /// and audited, so that the record shows it was asked and why nothing went out.
    /// </summary>
    public static ChangeSet? RefuseReplay(DeliveryRecord delivery, string actor) =>
        delivery.State == DeliveryState.DeadLettered
            ? new ChangeSet(
                [new DeliveryInState(delivery.DeliveryId, delivery.State, delivery.Attempts)],
                [],
                [new AuditEntry(AuditKinds.DeliveryReplayRefused, actor, delivery.MessageId, new AuditDetails
                {
                    Delivery = delivery.DeliveryId,
                    Recipient = delivery.Recipient,
                    Reason = RouteRefusals.NotAgreedReason,
                })])
            : null;

    /// <summary>
    /// A reviewer's decision on a message: its deliveries still held for review become pending, as new, on a release,
    /// or are refused for good otherwise; one audit entry names the reviewer, the recipients and the reason. A release
    /// does not reach a recipient the route agreements in effect no longer allow: that delivery is refused, in an entry
    /// of its own with the reason <c>route_not_agreed</c>.
    /// </summary>
    /// <param name="deliveries">The message's deliveries, or null when no message has that id.</param>
    /// <param name="notAgreed">The ids of deliveries whose route is no longer agreed (<see cref="IDeliveryRouteCheck"/>).</param>
    public static ReviewVerdict Review(
        string messageId, IReadOnlyList<DeliveryRecord>? deliveries, ReviewDecision decision, string actor, string reason, IReadOnlySet<long> notAgreed)
    {
        if (deliveries is null)
        {
            return new ReviewVerdict(new ReviewResult(ReviewStatus.NotFound, []), null);
        }

        var held = deliveries.Where(d => d.State == DeliveryState.HeldForReview).OrderBy(d => d.DeliveryId).ToList();
        if (held.Count == 0)
        {
            return new ReviewVerdict(new ReviewResult(ReviewStatus.NotHeld, []), null);
        }

        var release = decision == ReviewDecision.Release;
        var blocked = release ? held.Where(d => notAgreed.Contains(d.DeliveryId)).ToList() : [];
        var decided = held.Except(blocked).ToList();
        var recipients = decided.Select(d => d.Recipient).ToArray();
        List<AuditEntry> audit = [];
        if (decided.Count > 0)
        {
            audit.Add(new AuditEntry(
                release ? AuditKinds.MessageReleasedOnReview : AuditKinds.MessageRefusedOnReview,
                actor,
                messageId,
                new AuditDetails { Recipients = recipients, Justification = SealedText.Clear(reason) }));
        }

        if (blocked.Count > 0)
        {
            audit.Add(new AuditEntry(
                AuditKinds.MessageRefusedOnReview,
                actor,
                messageId,
                new AuditDetails { Recipients = [.. blocked.Select(d => d.Recipient)], Reason = RouteRefusals.NotAgreedReason, Justification = SealedText.Clear(reason) }));
        }

        var changes = new ChangeSet(
            [.. held.Select(d => new DeliveryInState(d.DeliveryId, d.State, d.Attempts))],
            [.. held.Select(d => release && !blocked.Contains(d)
                ? new RestartDelivery(d.DeliveryId, DeliveryState.Pending, Replayed: false)
                : (RowChange)new RefuseHeldDelivery(d.DeliveryId, DeliveryState.RefusedOnReview))],
            audit);
        return new ReviewVerdict(
            new ReviewResult(ReviewStatus.Decided, recipients) { NotAgreed = [.. blocked.Select(d => d.Recipient)] }, changes);
    }

    /// <summary>
    /// A recipient's deadline on a request that passed before <paramref name="now"/> while still open is raised overdue
    /// once: marked, audited, and told to the request's sender by a notice stored in the same change set. Raised on what
    /// was read, so the change set holds only while the deadline is still open and not yet raised.
    /// </summary>
    public static ChangeSet? Overdue(AwaitedReply reply, DateTimeOffset now)
    {
        if (reply is not { Closed: false, Overdue: false } || reply.Due >= now)
        {
            return null;
        }

        var kind = KindRequests.For(reply.Kind);
        var header = kind.HeaderOf(kind.Parser.ParseFrom(reply.Payload));
        var notice = Notices.Issue(
            header,
            reply.Recipient,
            new DeliveryNotice { Kind = NoticeKind.ReplyOverdue, ReplyDue = Timestamp.FromDateTimeOffset(reply.Due) },
            now,
            reply.TraceParent);
        return new ChangeSet(
            [new ReplyStillAwaited(reply.MessageId, reply.Recipient), notice.Precondition],
            [new MarkReplyOverdue(reply.MessageId, reply.Recipient), notice.RowAt(1)],
            [
                new AuditEntry(AuditKinds.ReplyOverdue, Gateway, reply.MessageId, new AuditDetails
                {
                    Sender = reply.Sender,
                    Recipient = reply.Recipient,
                    ReplyBy = reply.Due,
                }),
                notice.Entry,
            ]);
    }
}
