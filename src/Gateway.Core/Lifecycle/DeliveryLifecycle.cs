using System.Globalization;
using Gateway.Core.Audit;
using Gateway.Core.Intake;
using Gateway.Core.Storage;
using Interagency.V1;

namespace Gateway.Core.Lifecycle;

/// <summary>
/// The transitions of a delivery in the queue, decided from the delivery as read and the event: claim, release of a
/// claim never sent, and the outcome of an attempt. Each returns the change set that makes it, or null when the
/// delivery's state refuses the event. What happens after a failed attempt (retry at a time, or dead letter) is the
/// dispatcher's <see cref="Delivery.RetryPolicy"/>'s call; here it is recorded.
/// </summary>
public static class DeliveryLifecycle
{
    /// <summary>
    /// A claim of a due delivery for <paramref name="worker"/>: it goes in flight under a lease of <paramref name="lease"/>
    /// and counts an attempt. Pending deliveries and retries are claimed; one in flight is claimed again only because the
    /// queue found its lease run out (a crashed worker's). A claim is not audited: the outcome of each attempt is, with
    /// its attempt number, so an attempt cut short by a crash shows as a gap in the numbers.
    /// </summary>
    public static ChangeSet? Claim(DeliveryRecord delivery, string worker, TimeSpan lease) =>
        delivery.State is DeliveryState.Pending or DeliveryState.RetryWait or DeliveryState.InFlight
            ? new ChangeSet(
                [new DeliveryInState(delivery.DeliveryId, delivery.State, delivery.Attempts)],
                [new LeaseDelivery(delivery.DeliveryId, DeliveryState.InFlight, worker, lease, delivery.Attempts + 1)],
                [])
            : null;

    /// <summary>
    /// What a delivery <paramref name="worker"/> claimed is sent as: prepare-only while its referral's coordination hold is
    /// open, late when its message answers a request already withdrawn.
    /// </summary>
    public static ClaimedDelivery Claimed(DueDelivery due, string worker, DateTimeOffset leaseUntil) =>
        new(
            due.Delivery with { State = DeliveryState.InFlight, Attempts = due.Delivery.Attempts + 1, LeaseOwner = worker, LeaseUntil = leaseUntil },
            due.Kind,
            due.Payload,
            PrepareOnly: due.Hold == HoldState.Open,
            Late: due.MessageState == MessageState.Late)
        {
            TraceParent = due.TraceParent,
        };

    /// <summary>
    /// Gives back a lease <paramref name="worker"/> holds on a delivery it never sent: the attempt its claim counted is
    /// taken off, and it is as before the claim, pending if it was never tried, else waiting for a retry that is due, so
    /// nothing is dead-lettered for a call never made. Not audited: nothing was attempted.
    /// </summary>
    public static ChangeSet? Release(DeliveryRecord claimed, string worker)
    {
        if (!LeasedBy(claimed, worker) || claimed.Attempts < 1)
        {
            return null;
        }

        var attempts = claimed.Attempts - 1;
        return new ChangeSet(
            [new DeliveryLeasedBy(claimed.DeliveryId, worker, claimed.Attempts)],
            [new ReturnDeliveryLease(claimed.DeliveryId, attempts == 0 ? DeliveryState.Pending : DeliveryState.RetryWait, attempts)],
            []);
    }

    /// <summary>
    /// Records the outcome of <paramref name="worker"/>'s attempt at a delivery it claimed: delivered (or found applied
    /// before, a duplicate), waiting for a retry, dead-lettered, refused by the recipient or a question of the recipient;
    /// audited with the attempt's number and error. A refusal or a question is final for the delivery: it closes that
    /// recipient's reply deadline on the message and issues a notice to the message's sender, carrying the refusal's text
    /// or the question, which the audit never holds. A notice refused or asked about is only recorded: no notice is
    /// issued about a notice.
    /// </summary>
    public static ChangeSet? Complete(string worker, DeliveryCompletion completion)
    {
        var claimed = completion.Delivery;
        if (!LeasedBy(claimed, worker))
        {
            return null;
        }

        var (state, kind) = completion.Resolution switch
        {
            DeliveryResolution.Delivered => (DeliveryState.Delivered, AuditKinds.DeliveryDelivered),
            DeliveryResolution.DeliveredDuplicate => (DeliveryState.Delivered, AuditKinds.DeliveryDuplicate),
            DeliveryResolution.RetryLater => (DeliveryState.RetryWait, AuditKinds.DeliveryRetry),
            DeliveryResolution.DeadLettered => (DeliveryState.DeadLettered, AuditKinds.DeliveryDeadLettered),
            DeliveryResolution.Refused => (DeliveryState.RefusedByRecipient, AuditKinds.DeliveryRefusedByRecipient),
            DeliveryResolution.ClarificationRequested => (DeliveryState.ClarificationRequested, AuditKinds.DeliveryClarificationRequested),
            _ => throw new ArgumentOutOfRangeException(nameof(completion), completion.Resolution, "Not a resolution of an attempt."),
        };
        var answer = completion.Resolution is DeliveryResolution.Refused or DeliveryResolution.ClarificationRequested
            ? Answer(completion)
            : null;
        List<Precondition> preconditions = [new DeliveryLeasedBy(claimed.DeliveryId, worker, claimed.Attempts)];
        List<RowChange> rows =
            [new RecordDeliveryAttempt(claimed.DeliveryId, state, completion.RetryAt, completion.Error, Finished: state != DeliveryState.RetryWait)];
        List<AuditEntry> audit =
        [
            new AuditEntry(kind, worker, claimed.MessageId, new AuditDetails
            {
                Reason = answer?.Refusal is { } refusal ? EndpointAnswer.ReasonName(refusal.Reason) : null,
                Delivery = claimed.DeliveryId,
                Recipient = claimed.Recipient,
                Attempt = claimed.Attempts,
                RetryAt = completion.RetryAt,
                Error = completion.Error,
                DurationUs = completion.Duration is { } duration ? (long)duration.TotalMicroseconds : null,
            }),
        ];
        if (answer is not null && answer.Kind != MessageKind.Notice)
        {
            var refused = completion.Resolution == DeliveryResolution.Refused;
            rows.Add(new CloseAwaitedReply(
                claimed.MessageId,
                claimed.Recipient,
                refused ? ReplyClosure.Refused : ReplyClosure.ClarificationRequested,
                claimed.DeliveryId.ToString(CultureInfo.InvariantCulture)));
            var notice = Notices.Issue(
                answer.Message,
                claimed.Recipient,
                refused
                    ? new DeliveryNotice { Kind = NoticeKind.DeliveryRefused, Refusal = answer.Refusal }
                    : new DeliveryNotice { Kind = NoticeKind.ClarificationRequested, ClarificationQuestion = answer.Question },
                answer.At,
                answer.TraceParent);
            preconditions.Add(notice.Precondition);
            rows.Add(notice.RowAt(audit.Count));
            audit.Add(notice.Entry);
        }

        return new ChangeSet(preconditions, rows, audit);
    }

    private static EndpointAnswer Answer(DeliveryCompletion completion) =>
        completion switch
        {
            { Resolution: DeliveryResolution.Refused, Answer: { Refusal: not null } answer } => answer,
            { Resolution: DeliveryResolution.ClarificationRequested, Answer: { Question.Length: > 0 } answer } => answer,
            _ => throw new ArgumentException("A refusal needs the recipient's refusal, a clarification request its question.", nameof(completion)),
        };

    private static bool LeasedBy(DeliveryRecord delivery, string worker) =>
        delivery.State == DeliveryState.InFlight && string.Equals(delivery.LeaseOwner, worker, StringComparison.Ordinal);
}
