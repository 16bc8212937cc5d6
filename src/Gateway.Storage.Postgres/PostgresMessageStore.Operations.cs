using Gateway.Core.Storage;

namespace Gateway.Storage.Postgres;

/// <summary>
/// <see cref="IOperationsStore"/>'s queries: dead letters, held messages, deliveries by id, replies due and overdue.
/// The interface itself is declared with <c>ApplyEachAsync</c>, which the delivery slice implements for both it and
/// <see cref="IDeliveryQueue"/>.
/// </summary>
public sealed partial class PostgresMessageStore : IOperationsStore
{
    public Task<IReadOnlyList<DeadLetterRecord>> ListDeadLettersAsync(DeadLetterQuery query, CancellationToken cancellationToken) =>
        Guarded(() => _operations.ListDeadLettersAsync(query, cancellationToken));

    public Task<IReadOnlyList<HeldMessageRecord>> ListHeldMessagesAsync(long afterPosition, int limit, CancellationToken cancellationToken) =>
        Guarded(() => _operations.ListHeldMessagesAsync(afterPosition, limit, cancellationToken));

    public Task<IReadOnlyList<DeliveryRecord>> GetDeliveriesByIdAsync(IReadOnlyCollection<long> deliveryIds, CancellationToken cancellationToken) =>
        Guarded(() => _operations.GetDeliveriesByIdAsync(deliveryIds, cancellationToken));

    public Task<IReadOnlyList<DeliveryRecord>?> FindDeliveriesOfMessageAsync(string messageId, CancellationToken cancellationToken) =>
        Guarded(() => _operations.FindDeliveriesOfMessageAsync(messageId, cancellationToken));

    public Task<IReadOnlyList<AwaitedReply>> FindRepliesDueAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        Guarded(() => _operations.FindRepliesDueAsync(before, cancellationToken));

    public Task<IReadOnlyList<OverdueReplyRecord>> ListOverdueAsync(OverdueQuery query, CancellationToken cancellationToken) =>
        Guarded(() => _operations.ListOverdueAsync(query, cancellationToken));
}
