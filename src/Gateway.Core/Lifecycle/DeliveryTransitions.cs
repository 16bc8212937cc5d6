using Gateway.Core.Storage;

namespace Gateway.Core.Lifecycle;

/// <summary>
/// The delivery queue's operations as Core runs them: read what is due or claimed, decide each transition with
/// <see cref="DeliveryLifecycle"/>, and have the queue apply the change sets in one transaction. A change set whose
/// precondition failed was overtaken by another writer (another worker's claim, a withdrawal): it is dropped, which is
/// what deciding again on the new state would do.
/// </summary>
public static class DeliveryTransitions
{
    /// <summary>
    /// Claims up to <paramref name="max"/> due deliveries for <paramref name="worker"/> until the lease runs out, oldest
    /// first and a case's deliveries to a recipient in order (<see cref="IDeliveryQueue.FindDueDeliveriesAsync"/>),
    /// leaving deliveries to <paramref name="excludedRecipients"/> alone.
    /// </summary>
    public static async Task<IReadOnlyList<ClaimedDelivery>> ClaimDeliveriesAsync(
        this IDeliveryQueue queue, string worker, TimeSpan lease, int max, IReadOnlyCollection<string> excludedRecipients, CancellationToken cancellationToken) =>
        await LeaseAsync(queue, await queue.FindDueDeliveriesAsync(max, excludedRecipients, cancellationToken), worker, lease, cancellationToken);

    /// <summary>Claims like <see cref="ClaimDeliveriesAsync"/>, but only deliveries to <paramref name="recipients"/> (a probe).</summary>
    public static async Task<IReadOnlyList<ClaimedDelivery>> ClaimDeliveriesToAsync(
        this IDeliveryQueue queue, string worker, TimeSpan lease, int max, IReadOnlyCollection<string> recipients, CancellationToken cancellationToken) =>
        await LeaseAsync(queue, await queue.FindDueDeliveriesToAsync(max, recipients, cancellationToken), worker, lease, cancellationToken);

    /// <summary>
    /// Gives back the leases of deliveries <paramref name="worker"/> claimed but never sent (<see cref="DeliveryLifecycle.Release"/>);
    /// one it no longer holds is left alone. Returns how many were released.
    /// </summary>
    public static Task<int> ReleaseDeliveriesAsync(
        this IDeliveryQueue queue, string worker, IReadOnlyList<DeliveryRecord> claimed, CancellationToken cancellationToken) =>
        ApplyAsync(queue, [.. claimed.Select(d => DeliveryLifecycle.Release(d, worker)).OfType<ChangeSet>()], cancellationToken);

    /// <summary>
    /// Records the outcomes of <paramref name="worker"/>'s attempts (<see cref="DeliveryLifecycle.Complete"/>); an outcome
    /// for a lease the worker no longer holds is ignored. Returns how many were recorded.
    /// </summary>
    public static Task<int> CompleteDeliveriesAsync(
        this IDeliveryQueue queue, string worker, IReadOnlyList<DeliveryCompletion> completions, CancellationToken cancellationToken) =>
        ApplyAsync(queue, [.. completions.Select(c => DeliveryLifecycle.Complete(worker, c)).OfType<ChangeSet>()], cancellationToken);

    private static async Task<IReadOnlyList<ClaimedDelivery>> LeaseAsync(
        IDeliveryQueue queue, IReadOnlyList<DueDelivery> due, string worker, TimeSpan lease, CancellationToken cancellationToken)
    {
        var decided = new List<(DueDelivery Due, ChangeSet Changes)>(due.Count);
        foreach (var delivery in due)
        {
            if (DeliveryLifecycle.Claim(delivery.Delivery, worker, lease) is { } changes)
            {
                decided.Add((delivery, changes));
            }
        }

        if (decided.Count == 0)
        {
            return [];
        }

        var outcomes = await queue.ApplyEachAsync([.. decided.Select(d => d.Changes)], cancellationToken);
        var claimed = new List<ClaimedDelivery>(decided.Count);
        for (var i = 0; i < decided.Count; i++)
        {
            if (outcomes[i].Applied)
            {
                claimed.Add(DeliveryLifecycle.Claimed(decided[i].Due, worker, outcomes[i].At + lease));
            }
        }

        return claimed;
    }

    private static async Task<int> ApplyAsync(IDeliveryQueue queue, IReadOnlyList<ChangeSet> changes, CancellationToken cancellationToken) =>
        changes.Count == 0 ? 0 : (await queue.ApplyEachAsync(changes, cancellationToken)).Count(o => o.Applied);
}
