using Gateway.Core.Storage;

namespace Gateway.Core.Lifecycle;

/// <summary>
/// The delivery queue's operations as Core runs them: decide each transition with <see cref="DeliveryLifecycle"/> and
/// have the queue apply the change sets in one transaction. A claim is decided on each due delivery inside the queue's
/// transaction (the queue finds what is due, Core decides what it becomes). A release or an outcome is decided on the
/// delivery as its claim returned it; if its precondition failed, the lease was overtaken (it ran out and another claim
/// took it) and the change set is dropped, which is what deciding again on the new state would do.
/// </summary>
public static class DeliveryTransitions
{
    /// <summary>
    /// Claims up to <paramref name="max"/> due deliveries for <paramref name="worker"/> until the lease runs out, oldest
    /// first and a case's deliveries to a recipient in order (<see cref="IDeliveryQueue.ClaimDueAsync"/>),
    /// leaving deliveries to <paramref name="excludedRecipients"/> alone.
    /// </summary>
    public static async Task<IReadOnlyList<ClaimedDelivery>> ClaimDeliveriesAsync(
        this IDeliveryQueue queue, string worker, TimeSpan lease, int max, IReadOnlyCollection<string> excludedRecipients, CancellationToken cancellationToken) =>
        Claimed(await queue.ClaimDueAsync(max, excludedRecipients, due => DeliveryLifecycle.Claim(due.Delivery, worker, lease), cancellationToken), worker, lease);

    /// <summary>Claims like <see cref="ClaimDeliveriesAsync"/>, but only deliveries to <paramref name="recipients"/> (a probe).</summary>
    public static async Task<IReadOnlyList<ClaimedDelivery>> ClaimDeliveriesToAsync(
        this IDeliveryQueue queue, string worker, TimeSpan lease, int max, IReadOnlyCollection<string> recipients, CancellationToken cancellationToken) =>
        Claimed(await queue.ClaimDueToAsync(max, recipients, due => DeliveryLifecycle.Claim(due.Delivery, worker, lease), cancellationToken), worker, lease);

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
    public static async Task<int> CompleteDeliveriesAsync(
        this IDeliveryQueue queue, string worker, IReadOnlyList<DeliveryCompletion> completions, CancellationToken cancellationToken) =>
        (await RecordDeliveriesAsync(queue, worker, completions, cancellationToken)).Count;

    /// <summary>
    /// Records the outcomes as <see cref="CompleteDeliveriesAsync"/> does and returns those recorded, in order: what is
    /// counted as delivered, retried or dead-lettered, since an outcome the store did not take did not happen.
    /// </summary>
    public static async Task<IReadOnlyList<DeliveryCompletion>> RecordDeliveriesAsync(
        this IDeliveryQueue queue, string worker, IReadOnlyList<DeliveryCompletion> completions, CancellationToken cancellationToken)
    {
        var decided = completions.Select(c => (Completion: c, Changes: DeliveryLifecycle.Complete(worker, c))).Where(d => d.Changes is not null).ToList();
        if (decided.Count == 0)
        {
            return [];
        }

        var outcomes = await queue.ApplyEachAsync([.. decided.Select(d => d.Changes!)], cancellationToken);
        return [.. decided.Where((_, i) => outcomes[i].Applied).Select(d => d.Completion)];
    }

    private static List<ClaimedDelivery> Claimed(DueClaim claim, string worker, TimeSpan lease) =>
        [.. claim.Claimed.Select(due => DeliveryLifecycle.Claimed(due, worker, claim.At + lease))];

    private static async Task<int> ApplyAsync(IDeliveryQueue queue, IReadOnlyList<ChangeSet> changes, CancellationToken cancellationToken) =>
        changes.Count == 0 ? 0 : (await queue.ApplyEachAsync(changes, cancellationToken)).Count(o => o.Applied);
}
