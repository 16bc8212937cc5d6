using Gateway.Core.Audit;

namespace Gateway.Core.Storage;

/// <summary>
/// The durable store behind the gateway. Every state lives here, none only in memory: a crash loses
/// nothing that a method returned as committed, and work is shared between workers by claims with leases.
/// </summary>
public interface IMessageStore
{
    /// <summary>
    /// Commits the message, one delivery per recipient and their audit entries in one transaction, and
    /// returns only once that transaction is on disk. A replayed id returns the stored receipt.
    /// </summary>
    Task<AcceptResult> AcceptAsync(NewMessage message, CancellationToken cancellationToken);

    /// <summary>Appends the audit entry of a refused call and returns its sequence once it is on disk.</summary>
    Task<long> RecordRefusalAsync(RefusalRecord refusal, CancellationToken cancellationToken);

    Task<StoredMessage?> FindMessageAsync(string messageId, CancellationToken cancellationToken);

    Task<IReadOnlyList<DeliveryRecord>> GetDeliveriesAsync(string messageId, CancellationToken cancellationToken);

    /// <summary>
    /// Claims up to <paramref name="max"/> deliveries that are due (pending, or in flight with an expired
    /// lease) for <paramref name="worker"/> until the lease runs out.
    /// </summary>
    Task<IReadOnlyList<DeliveryRecord>> ClaimDeliveriesAsync(string worker, TimeSpan lease, int max, CancellationToken cancellationToken);

    /// <summary>Marks a claimed delivery delivered; false if the worker no longer holds its lease.</summary>
    Task<bool> MarkDeliveredAsync(long deliveryId, string worker, CancellationToken cancellationToken);

    /// <summary>The audit log in sequence order.</summary>
    IAsyncEnumerable<AuditRecord> ReadAuditAsync(CancellationToken cancellationToken);

    Task<AuditHead?> ReadAuditHeadAsync(CancellationToken cancellationToken);
}
