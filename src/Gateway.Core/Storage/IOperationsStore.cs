using Gateway.Core.Lifecycle;

namespace Gateway.Core.Storage;

/// <summary>
/// What duty operators and reviewers read, and where the changes they cause are applied: dead letters, held messages,
/// overdue replies. Core decides those changes (<see cref="OperationsTransitions"/>); the store applies them.
/// </summary>
public interface IOperationsStore
{
    Task<IReadOnlyList<DeadLetterRecord>> ListDeadLettersAsync(DeadLetterQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Messages awaiting human review, in order of acceptance: those after <paramref name="afterPosition"/>, at most
    /// <paramref name="limit"/>.
    /// </summary>
    Task<IReadOnlyList<HeldMessageRecord>> ListHeldMessagesAsync(long afterPosition, int limit, CancellationToken cancellationToken);

    /// <summary>The deliveries with these ids that exist, in id order.</summary>
    Task<IReadOnlyList<DeliveryRecord>> GetDeliveriesByIdAsync(IReadOnlyCollection<long> deliveryIds, CancellationToken cancellationToken);

    /// <summary>The deliveries of a message in id order, or null when no message has that id.</summary>
    Task<IReadOnlyList<DeliveryRecord>?> FindDeliveriesOfMessageAsync(string messageId, CancellationToken cancellationToken);

    /// <summary>
    /// Replies still awaited (deadline not closed, not yet raised overdue) whose deadline is before
    /// <paramref name="before"/>, by deadline; not those whose delivery is held for review or was refused on review, as
    /// the recipient was never sent the request.
    /// </summary>
    Task<IReadOnlyList<AwaitedReply>> FindRepliesDueAsync(DateTimeOffset before, CancellationToken cancellationToken);

    /// <summary>Replies raised overdue and still not answered, most overdue first, one page of <paramref name="query"/>.</summary>
    Task<IReadOnlyList<OverdueReplyRecord>> ListOverdueAsync(OverdueQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Applies <paramref name="changes"/> in one transaction, each on its own: one whose precondition no longer holds is
    /// skipped, the others still apply. Returns each one's outcome, in order, once committed.
    /// </summary>
    Task<IReadOnlyList<ChangeOutcome>> ApplyEachAsync(IReadOnlyList<ChangeSet> changes, CancellationToken cancellationToken);
}
