using Gateway.Core.Lifecycle;

namespace Gateway.Core.Storage;

/// <summary>
/// The deliveries waiting to be made, shared between workers by claims with leases: a crash loses nothing a method
/// returned as committed. The queue finds what is due, in order, and applies the change sets Core decides
/// (<see cref="DeliveryTransitions"/>); it decides no transition itself.
/// </summary>
public interface IDeliveryQueue
{
    /// <summary>
    /// Claims, in one transaction, up to <paramref name="max"/> due deliveries, oldest first: pending, waiting for a retry
    /// whose time has come, or in flight under a lease that ran out. Per recipient and case a delivery is due only with
    /// every older open delivery of its case to its recipient (none in flight, none waiting for a later retry), so a case's
    /// messages reach a recipient in order. Deliveries to <paramref name="excludedRecipients"/> (endpoints backed off as a
    /// whole) are left out. Each due delivery gets the change set <paramref name="decide"/> returns for it (Core's claim;
    /// none when it returns null), applied in that transaction; the ones applied are returned.
    /// </summary>
    Task<DueClaim> ClaimDueAsync(
        int max, IReadOnlyCollection<string> excludedRecipients, Func<DueDelivery, ChangeSet?> decide, CancellationToken cancellationToken);

    /// <summary>
    /// Like <see cref="ClaimDueAsync"/>, but only deliveries to <paramref name="recipients"/>: the probe of one endpoint
    /// whose breaker is half-open takes its oldest due deliveries, at most <paramref name="max"/>.
    /// </summary>
    Task<DueClaim> ClaimDueToAsync(
        int max, IReadOnlyCollection<string> recipients, Func<DueDelivery, ChangeSet?> decide, CancellationToken cancellationToken);

    /// <summary>
    /// Applies <paramref name="changes"/> in one transaction, each on its own: one whose precondition no longer holds is
    /// skipped, the others still apply. Returns each one's outcome, in order, once committed.
    /// </summary>
    Task<IReadOnlyList<ChangeOutcome>> ApplyEachAsync(IReadOnlyList<ChangeSet> changes, CancellationToken cancellationToken);

    /// <summary>The earliest time after <paramref name="after"/> at which a waiting delivery falls due, or null if none waits.</summary>
    Task<DateTimeOffset?> NextRetryDueAsync(DateTimeOffset after, CancellationToken cancellationToken);
}
