using Gateway.Core.Audit;
using Gateway.Core.Storage;

namespace Gateway.Storage.Sqlite.Internal;

/// <summary>Records the outcomes of a worker's attempts; an outcome for a lease the worker no longer holds is dropped.</summary>
internal sealed class CompleteOperation(string worker, IReadOnlyList<DeliveryCompletion> completions) : WriteOperation<int>
{
    // Built once: the writer looks its prepared statements up by their text.
    private static readonly string UpdateSql =
        $"""
        UPDATE deliveries SET state = $state, next_attempt_at = coalesce($retry_at, next_attempt_at), last_error = coalesce($error, last_error),
               finished_at = $finished_at, lease_owner = NULL, lease_until = NULL
        WHERE delivery_id = $id AND lease_owner = $worker AND state = {(int)DeliveryState.InFlight}
        RETURNING message_id, recipient, attempts
        """;

    protected override int Execute(WriterSession session)
    {
        var update = session.Command(UpdateSql, "$state", "$retry_at", "$error", "$finished_at", "$id", "$worker");
        var p = update.Parameters;
        p["$worker"].Value = worker;
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
            p["$id"].Value = completion.DeliveryId;
            p["$state"].Value = (int)state;
            p["$retry_at"].Value = completion.RetryAt is { } at ? AuditChain.ToMicroseconds(at) : DBNull.Value;
            p["$error"].Value = (object?)completion.Error ?? DBNull.Value;
            p["$finished_at"].Value = state == DeliveryState.RetryWait ? DBNull.Value : now;
            string messageId, recipient;
            long attempts;
            using (var reader = update.ExecuteReader())
            {
                if (!reader.Read())
                {
                    continue;
                }

                (messageId, recipient, attempts) = (reader.GetString(0), reader.GetString(1), reader.GetInt64(2));
            }

            var detail = $"delivery={completion.DeliveryId} recipient={recipient} attempt={attempts}";
            if (completion.RetryAt is { } retryAt)
            {
                detail += $" retry_at={retryAt:O}";
            }

            if (completion.Error is { } error)
            {
                detail += $" error={error}";
            }

            session.AppendAudit(kind, worker, messageId, detail);
            recorded++;
        }

        return recorded;
    }
}
