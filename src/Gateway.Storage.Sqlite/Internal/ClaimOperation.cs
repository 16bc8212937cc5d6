using System.Text.Json;
using Gateway.Core.Audit;
using Gateway.Core.Intake;
using Gateway.Core.Storage;

namespace Gateway.Storage.Sqlite.Internal;

/// <summary>
/// Claims due deliveries for a worker: pending ones and retries whose time has come, and in-flight ones whose lease has
/// run out (a crashed worker's). A delivery is claimed only if every older open delivery of its case to its recipient is
/// claimed with it: none in flight, none waiting for a later retry. Claims run in delivery id order, so a case's
/// deliveries to a recipient are claimed as a run, oldest first, and sent together in that order.
/// A claim is not audited by itself: the outcome of each attempt is, with its attempt number, so an attempt cut short
/// by a crash shows as a gap in the numbers.
/// </summary>
internal sealed class ClaimOperation(string worker, TimeSpan lease, int max, IReadOnlyCollection<string> excludedRecipients)
    : WriteOperation<IReadOnlyList<ClaimedDelivery>>
{
    private const string Open = "1, 4, 6";

    // Built once: the writer looks its prepared statements up by their text. Both halves read open deliveries only, in
    // delivery id order, through the indexes named (see Schema): the planner would otherwise pick a walk of the whole
    // table in id order, which the ORDER BY ... LIMIT makes look cheap and which grows with every delivery ever made.
    internal static readonly string ClaimSql =
        $"""
        UPDATE deliveries SET state = {(int)DeliveryState.InFlight}, lease_owner = $worker, lease_until = $until, attempts = attempts + 1
        WHERE delivery_id IN (
            SELECT delivery_id FROM (
                SELECT d.delivery_id FROM deliveries d INDEXED BY deliveries_waiting
                WHERE d.state IN ({(int)DeliveryState.Pending}, {(int)DeliveryState.RetryWait}) AND d.next_attempt_at <= $now
                  AND d.recipient NOT IN (SELECT value FROM json_each($excluded))
                  AND NOT EXISTS (
                      SELECT 1 FROM deliveries e
                      WHERE e.recipient = d.recipient AND e.case_reference = d.case_reference
                        AND e.delivery_id < d.delivery_id AND e.state IN ({Open})
                        AND (e.state = {(int)DeliveryState.InFlight} OR e.next_attempt_at > $now))
                UNION ALL
                SELECT delivery_id FROM deliveries INDEXED BY deliveries_in_flight
                WHERE state = {(int)DeliveryState.InFlight} AND lease_until < $now
                  AND recipient NOT IN (SELECT value FROM json_each($excluded)))
            ORDER BY delivery_id LIMIT $max)
        RETURNING delivery_id
        """;

    private static readonly string ReadSql =
        $"""
        SELECT {MessageReader.AliasedDeliveryColumns}, m.kind, m.payload, m.state,
               EXISTS (SELECT 1 FROM holds h WHERE h.referral_seq = d.message_seq AND h.state = {(int)HoldState.Open})
        FROM deliveries d JOIN messages m ON m.seq = d.message_seq
        WHERE d.delivery_id IN (SELECT value FROM json_each($ids))
        ORDER BY d.delivery_id
        """;

    protected override IReadOnlyList<ClaimedDelivery> Execute(WriterSession session)
    {
        var claim = session.Command(ClaimSql, "$worker", "$until", "$now", "$max", "$excluded");
        claim.Parameters["$worker"].Value = worker;
        claim.Parameters["$until"].Value = AuditChain.ToMicroseconds(session.Now + lease);
        claim.Parameters["$now"].Value = AuditChain.ToMicroseconds(session.Now);
        claim.Parameters["$max"].Value = max;
        claim.Parameters["$excluded"].Value = JsonSerializer.Serialize(excludedRecipients);
        var ids = new List<long>();
        using (var reader = claim.ExecuteReader())
        {
            while (reader.Read())
            {
                ids.Add(reader.GetInt64(0));
            }
        }

        if (ids.Count == 0)
        {
            return [];
        }

        // One statement reads them all, in delivery id order.
        var read = session.Command(ReadSql, "$ids");
        read.Parameters["$ids"].Value = JsonSerializer.Serialize(ids);
        var claimed = new List<ClaimedDelivery>(ids.Count);
        using (var reader = read.ExecuteReader())
        {
            while (reader.Read())
            {
                var delivery = MessageReader.ReadDelivery(reader);
                const int Message = 11;
                claimed.Add(new ClaimedDelivery(
                    delivery,
                    (MessageKind)reader.GetInt32(Message),
                    (byte[])reader[Message + 1],
                    PrepareOnly: reader.GetInt64(Message + 3) != 0,
                    Late: (MessageState)reader.GetInt32(Message + 2) == MessageState.Late));
            }
        }

        return claimed;
    }
}
