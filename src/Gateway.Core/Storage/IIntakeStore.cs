namespace Gateway.Core.Storage;

/// <summary>The intake side of the store: accepting messages and reading what intake decides on.</summary>
public interface IIntakeStore
{
    /// <summary>
    /// Commits the message, one delivery per recipient and their audit entries in one transaction, and
    /// returns only once that transaction is on disk. A replayed id returns the stored receipt.
    /// </summary>
    Task<AcceptResult> AcceptAsync(NewMessage message, CancellationToken cancellationToken);

    Task<StoredMessage?> FindMessageAsync(string messageId, CancellationToken cancellationToken);

    Task<IReadOnlyList<DeliveryRecord>> GetDeliveriesAsync(string messageId, CancellationToken cancellationToken);

    Task<HoldRecord?> FindHoldAsync(string referralMessageId, CancellationToken cancellationToken);

    /// <summary>The agencies taking part in a case: senders and recipients of its accepted messages, by id.</summary>
    Task<IReadOnlyList<string>> GetCasePartiesAsync(string caseReference, CancellationToken cancellationToken);
}
