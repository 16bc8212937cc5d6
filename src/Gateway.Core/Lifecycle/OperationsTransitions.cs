using Gateway.Core.Routing;
using Gateway.Core.Storage;
using Interagency.V1;

namespace Gateway.Core.Lifecycle;

/// <summary>
/// Operators', reviewers' and the reply-deadline watch's changes as Core runs them: read the facts, decide with
/// <see cref="OperationsLifecycle"/>, have the store apply the change sets.
/// </summary>
public static class OperationsTransitions
{
    // A review that finds its deliveries changed under it (a withdrawal between the read and the write) decides again on
    // what it reads then; more than a few such races in a row would mean something else is wrong.
    private const int ReviewAttempts = 3;

    /// <summary>
    /// Puts dead letters back to pending (by id, or every one matching <paramref name="query"/> when no ids are given),
    /// with a fresh count of attempts, and audits who did it and why. A dead letter whose route the agreements in effect
    /// no longer allow stays one, its refused replay audited. A delivery that is not a dead letter (any more) is left alone.
    /// </summary>
    public static async Task<ReplayResult> ReplayDeadLettersAsync(
        this IOperationsStore store,
        IDeliveryRouteCheck routes,
        IReadOnlyList<long> deliveryIds,
        DeadLetterQuery? query,
        string actor,
        string reason,
        CancellationToken cancellationToken)
    {
        var deliveries = deliveryIds.Count > 0
            ? await store.GetDeliveriesByIdAsync([.. deliveryIds.Distinct()], cancellationToken)
            : [.. (await store.ListDeadLettersAsync(
                (query ?? new DeadLetterQuery(null, null, null)) with { AfterDeliveryId = 0, Limit = int.MaxValue }, cancellationToken)).Select(d => d.Delivery)];
        var dead = deliveries.Where(d => d.State == DeliveryState.DeadLettered).ToList();
        var notAgreed = dead.Count == 0 ? new HashSet<long>() : await routes.NotPermittedAsync(dead, cancellationToken);
        var decided = new List<(long Id, bool Replayed, ChangeSet Changes)>();
        foreach (var delivery in dead)
        {
            var replayed = !notAgreed.Contains(delivery.DeliveryId);
            if ((replayed ? OperationsLifecycle.Replay(delivery, actor, reason) : OperationsLifecycle.RefuseReplay(delivery, actor)) is { } changes)
            {
                decided.Add((delivery.DeliveryId, replayed, changes));
            }
        }

        if (decided.Count == 0)
        {
            return new ReplayResult([], []);
        }

        var outcomes = await store.ApplyEachAsync([.. decided.Select(d => d.Changes)], cancellationToken);
        var applied = decided.Where((_, i) => outcomes[i].Applied).ToList();
        return new ReplayResult([.. applied.Where(d => d.Replayed).Select(d => d.Id)], [.. applied.Where(d => !d.Replayed).Select(d => d.Id)]);
    }

    /// <summary>
    /// Records a reviewer's decision on a held message (<see cref="OperationsLifecycle.Review"/>) in one transaction; when
    /// its deliveries changed since they were read, decides again on what they are then. A release repeats the route
    /// check of each delivery it would send.
    /// </summary>
    public static async Task<ReviewResult> ReviewHeldMessageAsync(
        this IOperationsStore store,
        IDeliveryRouteCheck routes,
        string messageId,
        ReviewDecision decision,
        string actor,
        string reason,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var deliveries = await store.FindDeliveriesOfMessageAsync(messageId, cancellationToken);
            var held = deliveries?.Where(d => d.State == DeliveryState.HeldForReview).ToList() ?? [];
            var notAgreed = decision == ReviewDecision.Release && held.Count > 0
                ? await routes.NotPermittedAsync(held, cancellationToken)
                : new HashSet<long>();
            var verdict = OperationsLifecycle.Review(messageId, deliveries, decision, actor, reason, notAgreed);
            if (verdict.Changes is null || (await store.ApplyEachAsync([verdict.Changes], cancellationToken))[0].Applied)
            {
                return verdict.Result;
            }

            if (attempt == ReviewAttempts)
            {
                throw new InvalidOperationException($"The review decision was overtaken by other changes {ReviewAttempts} times in a row.");
            }
        }
    }

    /// <summary>
    /// Raises an overdue event (audited, with a notice to the request's sender), once, for every recipient whose deadline
    /// on a request passed before <paramref name="now"/> without its reply; returns the request and recipient of each.
    /// </summary>
    public static async Task<IReadOnlyList<AwaitedReply>> RaiseOverdueAsync(this IOperationsStore store, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var decided = new List<(AwaitedReply Reply, ChangeSet Changes)>();
        foreach (var reply in await store.FindRepliesDueAsync(now, cancellationToken))
        {
            if (OperationsLifecycle.Overdue(reply, now) is { } changes)
            {
                decided.Add((reply, changes));
            }
        }

        if (decided.Count == 0)
        {
            return [];
        }

        var outcomes = await store.ApplyEachAsync([.. decided.Select(d => d.Changes)], cancellationToken);
        return [.. decided.Where((_, i) => outcomes[i].Applied).Select(d => d.Reply)];
    }
}
