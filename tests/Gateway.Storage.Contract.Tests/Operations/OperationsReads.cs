using Gateway.Core.Storage;
using Gateway.Storage.Contract.Tests.Infrastructure;
using Gateway.Storage.Postgres;

namespace Gateway.Storage.Contract.Tests.Operations;

/// <summary>
/// The queries of <see cref="IOperationsStore"/>, as the contract reads them. The PostgreSQL store has them as public
/// members until it declares the interface together with the delivery slice's <c>ApplyEachAsync</c>; this view then
/// gives way to the interface itself.
/// </summary>
public interface IOperationsReads
{
    Task<IReadOnlyList<DeadLetterRecord>> ListDeadLettersAsync(DeadLetterQuery query, CancellationToken cancellationToken);

    Task<IReadOnlyList<HeldMessageRecord>> ListHeldMessagesAsync(long afterPosition, int limit, CancellationToken cancellationToken);

    Task<IReadOnlyList<DeliveryRecord>> GetDeliveriesByIdAsync(IReadOnlyCollection<long> deliveryIds, CancellationToken cancellationToken);

    Task<IReadOnlyList<DeliveryRecord>?> FindDeliveriesOfMessageAsync(string messageId, CancellationToken cancellationToken);

    Task<IReadOnlyList<AwaitedReply>> FindRepliesDueAsync(DateTimeOffset before, CancellationToken cancellationToken);

    Task<IReadOnlyList<OverdueReplyRecord>> ListOverdueAsync(OverdueQuery query, CancellationToken cancellationToken);
}

internal static class OperationsViews
{
    public static IOperationsReads Operations(this StoreUnderTest store) => store.Intake switch
    {
        IOperationsStore operations => new Declared(operations),
        PostgresMessageStore postgres => new Postgres(postgres),
        var other => throw new NotSupportedException($"{other.GetType().Name} has no operator queries."),
    };

    private sealed class Declared(IOperationsStore store) : IOperationsReads
    {
        public Task<IReadOnlyList<DeadLetterRecord>> ListDeadLettersAsync(DeadLetterQuery query, CancellationToken cancellationToken) =>
            store.ListDeadLettersAsync(query, cancellationToken);

        public Task<IReadOnlyList<HeldMessageRecord>> ListHeldMessagesAsync(long afterPosition, int limit, CancellationToken cancellationToken) =>
            store.ListHeldMessagesAsync(afterPosition, limit, cancellationToken);

        public Task<IReadOnlyList<DeliveryRecord>> GetDeliveriesByIdAsync(IReadOnlyCollection<long> deliveryIds, CancellationToken cancellationToken) =>
            store.GetDeliveriesByIdAsync(deliveryIds, cancellationToken);

        public Task<IReadOnlyList<DeliveryRecord>?> FindDeliveriesOfMessageAsync(string messageId, CancellationToken cancellationToken) =>
            store.FindDeliveriesOfMessageAsync(messageId, cancellationToken);

        public Task<IReadOnlyList<AwaitedReply>> FindRepliesDueAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
            store.FindRepliesDueAsync(before, cancellationToken);

        public Task<IReadOnlyList<OverdueReplyRecord>> ListOverdueAsync(OverdueQuery query, CancellationToken cancellationToken) =>
            store.ListOverdueAsync(query, cancellationToken);
    }

    private sealed class Postgres(PostgresMessageStore store) : IOperationsReads
    {
        public Task<IReadOnlyList<DeadLetterRecord>> ListDeadLettersAsync(DeadLetterQuery query, CancellationToken cancellationToken) =>
            store.ListDeadLettersAsync(query, cancellationToken);

        public Task<IReadOnlyList<HeldMessageRecord>> ListHeldMessagesAsync(long afterPosition, int limit, CancellationToken cancellationToken) =>
            store.ListHeldMessagesAsync(afterPosition, limit, cancellationToken);

        public Task<IReadOnlyList<DeliveryRecord>> GetDeliveriesByIdAsync(IReadOnlyCollection<long> deliveryIds, CancellationToken cancellationToken) =>
            store.GetDeliveriesByIdAsync(deliveryIds, cancellationToken);

        public Task<IReadOnlyList<DeliveryRecord>?> FindDeliveriesOfMessageAsync(string messageId, CancellationToken cancellationToken) =>
            store.FindDeliveriesOfMessageAsync(messageId, cancellationToken);

        public Task<IReadOnlyList<AwaitedReply>> FindRepliesDueAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
            store.FindRepliesDueAsync(before, cancellationToken);

        public Task<IReadOnlyList<OverdueReplyRecord>> ListOverdueAsync(OverdueQuery query, CancellationToken cancellationToken) =>
            store.ListOverdueAsync(query, cancellationToken);
    }
}
