using Gateway.Core.Audit;
using Gateway.Core.Intake;
using Gateway.Core.Lifecycle;
using Gateway.Core.Storage;
using Gateway.Storage.Contract.Tests.Infrastructure;
using Gateway.Tests.Shared;

namespace Gateway.Storage.Contract.Tests.Trace;

/// <summary>Requests as the gateway stores them, and what befalls them later, written through the store's change sets.</summary>
internal static class StoreHistory
{
    /// <summary>When <see cref="FinishDeliveryAsync"/> says a delivery finished.</summary>
    public static readonly DateTimeOffset FinishedAt = new(2027, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Raises overdue, as <see cref="OperationsTransitions.RaiseOverdueAsync"/> does, every reply due before
    /// <paramref name="now"/>: Core's change set for each, applied on its own through the store's acceptance transaction
    /// (the batch of <c>ApplyEachAsync</c> belongs to the delivery slice's contract).
    /// </summary>
    /// <returns>Each reply raised, with the time its change set was applied at.</returns>
    public static async Task<IReadOnlyList<(AwaitedReply Reply, DateTimeOffset At)>> RaiseOverdueAsync(
        StoreUnderTest store, IReadOnlyList<AwaitedReply> due, DateTimeOffset now)
    {
        var raised = new List<(AwaitedReply, DateTimeOffset)>();
        foreach (var reply in due)
        {
            if (OperationsLifecycle.Overdue(reply, now) is { } changes && await store.Intake.AcceptAsync(changes, default) is { Applied: true } outcome)
            {
                raised.Add((reply, outcome.At));
            }
        }

        return raised;
    }

    /// <summary>
    /// Ends the delivery of <paramref name="messageId"/> to <paramref name="recipient"/> in <paramref name="state"/>, as a
    /// dispatcher's outcome would, with its audit entry: the rows behind the store's back and the entry through the audit
    /// log, since outcomes are the delivery slice's to apply.
    /// </summary>
    public static async Task FinishDeliveryAsync(StoreUnderTest store, string messageId, string recipient, DeliveryState state, string auditKind, long durationUs)
    {
        var delivery = (await store.Intake.GetDeliveriesAsync(messageId, default)).Single(d => d.Recipient == recipient);
        await store.ExecuteBehindTheStoreAsync(
            $"UPDATE deliveries SET state = {(int)state}, attempts = 1, finished_at = {AuditChain.ToMicroseconds(FinishedAt)} WHERE delivery_id = {delivery.DeliveryId}");
        await store.Audit.AppendAsync(
            [new AuditEntry(auditKind, "trace-tests", messageId, new AuditDetails { Delivery = delivery.DeliveryId, Recipient = recipient, Attempt = 1, DurationUs = durationUs })],
            default);
    }
}
