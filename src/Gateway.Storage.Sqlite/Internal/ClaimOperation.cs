using Gateway.Core.Audit;
using Gateway.Core.Storage;

namespace Gateway.Storage.Sqlite.Internal;

/// <summary>Claims due deliveries for a worker: pending ones, and in-flight ones whose lease has run out (a crashed worker's).</summary>
internal sealed class ClaimOperation(string worker, TimeSpan lease, int max) : WriteOperation<IReadOnlyList<DeliveryRecord>>
{
    protected override IReadOnlyList<DeliveryRecord> Execute(WriterSession session)
    {
        var claim = session.Command(
            $"""
            UPDATE deliveries SET state = {(int)DeliveryState.InFlight}, lease_owner = $worker, lease_until = $until, attempts = attempts + 1
            WHERE delivery_id IN (
                SELECT delivery_id FROM deliveries WHERE state = {(int)DeliveryState.Pending} AND next_attempt_at <= $now
                UNION ALL
                SELECT delivery_id FROM deliveries WHERE state = {(int)DeliveryState.InFlight} AND lease_until < $now
                ORDER BY delivery_id LIMIT $max)
            RETURNING {MessageReader.DeliveryColumns}
            """,
            "$worker", "$until", "$now", "$max");
        var now = AuditChain.ToMicroseconds(session.Now);
        claim.Parameters["$worker"].Value = worker;
        claim.Parameters["$until"].Value = AuditChain.ToMicroseconds(session.Now + lease);
        claim.Parameters["$now"].Value = now;
        claim.Parameters["$max"].Value = max;
        var claimed = new List<DeliveryRecord>();
        using (var reader = claim.ExecuteReader())
        {
            while (reader.Read())
            {
                claimed.Add(MessageReader.ReadDelivery(reader));
            }
        }

        claimed.Sort((a, b) => a.DeliveryId.CompareTo(b.DeliveryId));
        foreach (var d in claimed)
        {
            session.AppendAudit(AuditKinds.DeliveryClaimed, worker, d.MessageId, $"delivery={d.DeliveryId} recipient={d.Recipient} attempt={d.Attempts}");
        }

        return claimed;
    }
}
