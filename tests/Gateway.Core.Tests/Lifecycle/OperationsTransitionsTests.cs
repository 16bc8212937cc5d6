using Gateway.Core.Lifecycle;
using Gateway.Core.Storage;
using Gateway.Tests.Shared;
using Interagency.V1;

namespace Gateway.Core.Tests.Lifecycle;

/// <summary>Optimistic concurrency of a review: a decision whose precondition failed is taken again on what is read then.</summary>
public sealed class OperationsTransitionsTests
{
    [Fact]
    public async Task A_review_overtaken_by_a_withdrawal_decides_again_on_the_deliveries_still_held()
    {
        var store = new ScriptedStore(
            [[Held(1, "CN/FJPSD"), Held(2, "RU/MVD")], [Held(1, "CN/FJPSD"), Held(2, "RU/MVD") with { State = DeliveryState.Withdrawn }]],
            appliedOnAttempt: 2);

        var result = await store.ReviewHeldMessageAsync(FixedRouteCheck.AllAgreed, "message-1", ReviewDecision.Release, "operator:legal", "cleared", default);

        Assert.Equal(ReviewStatus.Decided, result.Status);
        Assert.Equal(["CN/FJPSD"], result.Recipients);
        Assert.Equal(2, store.Applied.Count);
        Assert.Equal([new RestartDelivery(1, DeliveryState.Pending, Replayed: false)], store.Applied[1].Rows);
    }

    [Fact]
    public async Task A_review_that_finds_nothing_held_any_more_on_its_second_read_answers_not_held()
    {
        var store = new ScriptedStore(
            [[Held(1, "CN/FJPSD")], [Held(1, "CN/FJPSD") with { State = DeliveryState.Withdrawn }]],
            appliedOnAttempt: 2);

        var result = await store.ReviewHeldMessageAsync(FixedRouteCheck.AllAgreed, "message-1", ReviewDecision.Refuse, "operator:legal", "r", default);

        Assert.Equal(ReviewStatus.NotHeld, result.Status);
        Assert.Single(store.Applied);
    }

    [Fact]
    public async Task A_review_overtaken_every_time_gives_up_after_a_bounded_number_of_attempts()
    {
        var store = new ScriptedStore([.. Enumerable.Repeat<IReadOnlyList<DeliveryRecord>>([Held(1, "CN/FJPSD")], 5)], appliedOnAttempt: int.MaxValue);

        await Assert.ThrowsAsync<InvalidOperationException>(
            () => store.ReviewHeldMessageAsync(FixedRouteCheck.AllAgreed, "message-1", ReviewDecision.Release, "operator:legal", "r", default));
        Assert.Equal(3, store.Applied.Count);
    }

    private static DeliveryRecord Held(long id, string recipient) =>
        new(id, "message-1", recipient, "CN-FJ-2026-0042", DeliveryState.HeldForReview, 0, null, null);

    /// <summary>Answers each read of the message's deliveries with the next of <paramref name="reads"/>; applies only the given attempt.</summary>
    private sealed class ScriptedStore(IReadOnlyList<IReadOnlyList<DeliveryRecord>> reads, int appliedOnAttempt) : IOperationsStore
    {
        private int _reads;

        public List<ChangeSet> Applied { get; } = [];

        public Task<IReadOnlyList<DeliveryRecord>?> FindDeliveriesOfMessageAsync(string messageId, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<DeliveryRecord>?>(reads[_reads++]);

        public Task<IReadOnlyList<ChangeOutcome>> ApplyEachAsync(IReadOnlyList<ChangeSet> changes, CancellationToken cancellationToken)
        {
            Applied.AddRange(changes);
            var failed = Applied.Count == appliedOnAttempt ? null : changes[0].Preconditions[^1];
            return Task.FromResult<IReadOnlyList<ChangeOutcome>>([.. changes.Select(_ => new ChangeOutcome(failed, DateTimeOffset.UnixEpoch, []))]);
        }

        public Task<IReadOnlyList<DeadLetterRecord>> ListDeadLettersAsync(DeadLetterQuery query, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<IReadOnlyList<HeldMessageRecord>> ListHeldMessagesAsync(long afterPosition, int limit, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<IReadOnlyList<DeliveryRecord>> GetDeliveriesByIdAsync(IReadOnlyCollection<long> deliveryIds, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<IReadOnlyList<AwaitedReply>> FindRepliesDueAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<IReadOnlyList<OverdueReplyRecord>> ListOverdueAsync(OverdueQuery query, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }
}
