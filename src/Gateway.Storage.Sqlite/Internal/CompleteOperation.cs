using Gateway.Core.Audit;
using Gateway.Core.Storage;

namespace Gateway.Storage.Sqlite.Internal;

/// <summary>Records the outcomes of a worker's attempts; an outcome for a lease the worker no longer holds is dropped.</summary>
internal sealed class CompleteOperation(string worker, IReadOnlyList<DeliveryCompletion> completions) : WriteOperation<int>
{
    // Built once: the writer looks its prepared statements up by their text.
    private static readonly string UpdateSql =
        $"""
        UPDATE deliveries SET state = ?1, next_attempt_at = coalesce(?2, next_attempt_at), last_error = coalesce(?3, last_error),
               finished_at = ?4, lease_owner = NULL, lease_until = NULL
        WHERE delivery_id = ?5 AND lease_owner = ?6 AND state = {(int)DeliveryState.InFlight}
        """;

    // Read after the update rather than through RETURNING, which SQLite answers through a temporary table.
    private const string UpdatedSql = "SELECT message_id, recipient, attempts FROM deliveries WHERE delivery_id = ?1";

    protected override int Execute(WriterSession session)
    {
        var update = session.Statement(UpdateSql).Bind(6, worker);
        var read = session.Statement(UpdatedSql);
        var now = AuditChain.ToMicroseconds(session.Now);
        var recorded = 0;
        foreach (var completion in completions)
        {
            var (state, kind) = completion.Resolution switch
            {
                DeliveryResolution.Delivered => (DeliveryState.Delivered, AuditKinds.DeliveryDelivered),
                DeliveryResolution.DeliveredDuplicate => (DeliveryState.Delivered, AuditKinds.DeliveryDuplicate),
                DeliveryResolution.RetryLater => (DeliveryState.RetryWait, AuditKinds.DeliveryRetry),
                _ => (DeliveryState.DeadLettered, AuditKinds.DeliveryDeadLettered),
            };
            var changed = update
                .Bind(1, (long)state)
                .Bind(2, completion.RetryAt is { } at ? AuditChain.ToMicroseconds(at) : (long?)null)
                .Bind(3, completion.Error)
                .Bind(4, state == DeliveryState.RetryWait ? (long?)null : now)
                .Bind(5, completion.DeliveryId)
                .ExecuteChanges();
            if (changed == 0
                || !read.Bind(1, completion.DeliveryId).TryExecuteRow(static row => (MessageId: row.Text(0), Recipient: row.Text(1), Attempts: row.Int64(2)), out var updated))
            {
                continue;
            }

            var (messageId, recipient, attempts) = updated;
            session.AppendAudit(new AuditEntry(
                kind,
                worker,
                messageId,
                new AuditDetails
                {
                    Delivery = completion.DeliveryId,
                    Recipient = recipient,
                    Attempt = attempts,
                    RetryAt = completion.RetryAt,
                    Error = completion.Error,
                }));
            recorded++;
        }

        return recorded;
    }
}
