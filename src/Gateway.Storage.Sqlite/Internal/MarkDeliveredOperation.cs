using Gateway.Core.Audit;
using Gateway.Core.Storage;

namespace Gateway.Storage.Sqlite.Internal;

/// <summary>Completes a claimed delivery, if the worker still holds its lease.</summary>
internal sealed class MarkDeliveredOperation(long deliveryId, string worker) : WriteOperation<bool>
{
    protected override bool Execute(WriterSession session)
    {
        var update = session.Command(
            $"""
            UPDATE deliveries SET state = {(int)DeliveryState.Delivered}, lease_owner = NULL, lease_until = NULL
            WHERE delivery_id = $id AND lease_owner = $worker AND state = {(int)DeliveryState.InFlight}
            RETURNING message_id, recipient
            """,
            "$id", "$worker");
        update.Parameters["$id"].Value = deliveryId;
        update.Parameters["$worker"].Value = worker;
        string messageId, recipient;
        using (var reader = update.ExecuteReader())
        {
            if (!reader.Read())
            {
                return false;
            }

            (messageId, recipient) = (reader.GetString(0), reader.GetString(1));
        }

        session.AppendAudit(AuditKinds.DeliveryDelivered, worker, messageId, $"delivery={deliveryId} recipient={recipient}");
        return true;
    }
}
