using Gateway.Core.Lifecycle;

namespace Gateway.Core.Storage;

/// <summary>The intake side of the store: accepting messages and reading what intake decides on.</summary>
public interface IIntakeStore
{
    /// <summary>
    /// Applies the change set that accepts a message (<see cref="IntakeLifecycle.Accept"/>) in one transaction, or
    /// nothing if a precondition no longer holds, and returns only once that transaction is on disk. The store takes
    /// the change set before this returns, so change sets given one after the other are applied in that order.
    /// </summary>
    Task<ChangeOutcome> AcceptAsync(ChangeSet accept, CancellationToken cancellationToken);

    Task<StoredMessage?> FindMessageAsync(string messageId, CancellationToken cancellationToken);

    Task<IReadOnlyList<DeliveryRecord>> GetDeliveriesAsync(string messageId, CancellationToken cancellationToken);

    /// <summary>Whether <paramref name="recipient"/> still owes its reply to the request (its deadline not closed, overdue or not).</summary>
    Task<bool> IsReplyAwaitedAsync(string messageId, string recipient, CancellationToken cancellationToken);

    Task<HoldRecord?> FindHoldAsync(string referralMessageId, CancellationToken cancellationToken);

    /// <summary>
    /// Every membership of every case under <paramref name="caseReference"/>, whoever opened it: a case's parties are
    /// its owner and the agencies that sent or were routed an accepted message of it.
    /// </summary>
    Task<IReadOnlyList<CaseParty>> GetCasePartiesAsync(string caseReference, CancellationToken cancellationToken);
}
