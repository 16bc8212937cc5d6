using Interagency.V1;
using Gateway.Core.Audit;

namespace Gateway.Core.Storage;

/// <summary>
/// The durable store behind the gateway. Every state lives here, none only in memory: a crash loses
/// nothing that a method returned as committed, and work is shared between workers by claims with leases.
/// </summary>
public interface IMessageStore
{
    /// <summary>
    /// Commits the message, one delivery per recipient and their audit entries in one transaction, and
    /// returns only once that transaction is on disk. A replayed id returns the stored receipt.
    /// </summary>
    Task<AcceptResult> AcceptAsync(NewMessage message, CancellationToken cancellationToken);

    /// <summary>Appends the audit entry of a refused call and returns its sequence once it is on disk.</summary>
    Task<long> RecordRefusalAsync(RefusalRecord refusal, CancellationToken cancellationToken);

    /// <summary>Appends one entry counting refusals that were not audited one by one, and returns its sequence once it is on disk.</summary>
    Task<long> RecordSuppressedRefusalsAsync(SuppressedRefusals suppressed, CancellationToken cancellationToken);

    /// <summary>Appends the audit entry of an operator call, allowed or refused, and returns its sequence once it is on disk.</summary>
    Task<long> RecordOperatorCallAsync(OperatorCallRecord call, CancellationToken cancellationToken);

    Task<StoredMessage?> FindMessageAsync(string messageId, CancellationToken cancellationToken);

    Task<IReadOnlyList<DeliveryRecord>> GetDeliveriesAsync(string messageId, CancellationToken cancellationToken);

    Task<HoldRecord?> FindHoldAsync(string referralMessageId, CancellationToken cancellationToken);

    /// <summary>The agencies taking part in a case: senders and recipients of its accepted messages, by id.</summary>
    Task<IReadOnlyList<string>> GetCasePartiesAsync(string caseReference, CancellationToken cancellationToken);

    /// <summary>
    /// Case updates addressed to <paramref name="recipient"/> with a sequence after <paramref name="afterSequence"/>, in
    /// sequence order, at most <paramref name="limit"/>; only of <paramref name="caseReferences"/> unless it is empty.
    /// </summary>
    Task<IReadOnlyList<FeedEntry>> ReadFeedAsync(
        string recipient, IReadOnlyCollection<string> caseReferences, long afterSequence, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Claims up to <paramref name="max"/> deliveries that are due (pending or waiting for a retry whose time has
    /// come, or in flight with an expired lease) for <paramref name="worker"/> until the lease runs out. Per recipient
    /// and case only the oldest open delivery is ever claimed, so a case's messages reach a recipient in order.
    /// Deliveries to <paramref name="excludedRecipients"/> (endpoints backed off as a whole) are left alone.
    /// </summary>
    Task<IReadOnlyList<ClaimedDelivery>> ClaimDeliveriesAsync(
        string worker, TimeSpan lease, int max, IReadOnlyCollection<string> excludedRecipients, CancellationToken cancellationToken);

    /// <summary>
    /// Claims like <see cref="ClaimDeliveriesAsync"/>, but only deliveries to <paramref name="recipients"/>: the probe of
    /// one endpoint whose breaker is half-open takes its oldest due deliveries, at most <paramref name="max"/>.
    /// </summary>
    Task<IReadOnlyList<ClaimedDelivery>> ClaimDeliveriesToAsync(
        string worker, TimeSpan lease, int max, IReadOnlyCollection<string> recipients, CancellationToken cancellationToken);

    /// <summary>
    /// Gives back the leases of deliveries <paramref name="worker"/> claimed but never sent: the attempt their claim
    /// counted is taken off and they are due again as before the claim, in their place in their case's order. A delivery
    /// whose lease the worker no longer holds is left alone. Returns how many were released.
    /// </summary>
    Task<int> ReleaseDeliveriesAsync(string worker, IReadOnlyList<long> deliveryIds, CancellationToken cancellationToken);

    /// <summary>
    /// Records the outcomes of attempts at deliveries <paramref name="worker"/> claimed; an outcome for a delivery whose
    /// lease the worker no longer holds is ignored. Returns how many were recorded.
    /// </summary>
    Task<int> CompleteDeliveriesAsync(string worker, IReadOnlyList<DeliveryCompletion> completions, CancellationToken cancellationToken);

    /// <summary>The earliest time after <paramref name="after"/> at which a waiting delivery falls due, or null if none waits.</summary>
    Task<DateTimeOffset?> NextRetryDueAsync(DateTimeOffset after, CancellationToken cancellationToken);

    Task<IReadOnlyList<DeadLetterRecord>> ListDeadLettersAsync(DeadLetterQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Puts dead letters back to pending (by id, or every one matching <paramref name="query"/> when no ids are given),
    /// with a fresh count of attempts, and audits who did it and why. Returns the ids replayed.
    /// </summary>
    Task<IReadOnlyList<long>> ReplayDeadLettersAsync(
        IReadOnlyList<long> deliveryIds, DeadLetterQuery? query, string actor, string reason, CancellationToken cancellationToken);

    /// <summary>
    /// Messages awaiting human review, in order of acceptance: those after <paramref name="afterPosition"/>, at most
    /// <paramref name="limit"/>.
    /// </summary>
    Task<IReadOnlyList<HeldMessageRecord>> ListHeldMessagesAsync(long afterPosition, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Records that <paramref name="actor"/> is shown the content of these messages, one audit entry each (who looked
    /// at what, and through which call), before it is shown.
    /// </summary>
    Task RecordConsultationAsync(string actor, IReadOnlyList<string> messageIds, string via, CancellationToken cancellationToken);

    /// <summary>
    /// Records a reviewer's decision on a held message: its deliveries still held become pending (released) or are
    /// refused for good, with one audit entry naming the reviewer and the reason, in one transaction.
    /// </summary>
    Task<ReviewResult> ReviewHeldMessageAsync(
        string messageId, ReviewDecision decision, string actor, string reason, CancellationToken cancellationToken);

    /// <summary>Raises (audits, once) an overdue event for every request whose reply-by passed without a reply; returns the ids.</summary>
    Task<IReadOnlyList<string>> RaiseOverdueAsync(CancellationToken cancellationToken);

    /// <summary>The audit log in sequence order.</summary>
    IAsyncEnumerable<AuditRecord> ReadAuditAsync(CancellationToken cancellationToken);

    Task<AuditHead?> ReadAuditHeadAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Why the store takes no more writes, or null while it does. Once set it stays set: every write then fails at once
    /// with <see cref="StoreUnavailableException"/>, until the gateway is restarted.
    /// </summary>
    StoreUnavailableException? WriteFailure { get; }
}
