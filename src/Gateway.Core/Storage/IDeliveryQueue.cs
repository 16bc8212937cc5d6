
namespace Gateway.Core.Storage;

/// <summary>
/// The deliveries waiting to be made, shared between workers by claims with leases: a crash loses nothing a method
/// returned as committed.
/// </summary>
public interface IDeliveryQueue
{
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
}
