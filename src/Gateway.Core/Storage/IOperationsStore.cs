using Interagency.V1;

namespace Gateway.Core.Storage;

/// <summary>What duty operators and reviewers read and change: dead letters, held messages, overdue replies.</summary>
public interface IOperationsStore
{
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
    /// Records a reviewer's decision on a held message: its deliveries still held become pending (released) or are
    /// refused for good, with one audit entry naming the reviewer and the reason, in one transaction.
    /// </summary>
    Task<ReviewResult> ReviewHeldMessageAsync(
        string messageId, ReviewDecision decision, string actor, string reason, CancellationToken cancellationToken);

    /// <summary>Raises (audits, once) an overdue event for every request whose reply-by passed without a reply; returns the ids.</summary>
    Task<IReadOnlyList<string>> RaiseOverdueAsync(CancellationToken cancellationToken);
}
