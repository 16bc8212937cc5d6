using Gateway.Core.Audit;
using Gateway.Core.Storage;

namespace Gateway.Storage.Sqlite.Internal;

/// <summary>Puts dead letters back to pending with a fresh count of attempts, by id or by filter, and audits who did it.</summary>
internal sealed class ReplayOperation(IReadOnlyList<long> deliveryIds, DeadLetterQuery? query, string actor, string reason)
    : WriteOperation<IReadOnlyList<long>>
{
    protected override IReadOnlyList<long> Execute(WriterSession session)
    {
        var ids = deliveryIds.Count > 0 ? deliveryIds.Distinct().Order().ToList() : Matching(session, query ?? new DeadLetterQuery(null, null, null));
        var replay = session.Command(
            $"""
            UPDATE deliveries SET state = {(int)DeliveryState.Pending}, attempts = 0, replayed = 1, next_attempt_at = $now, created_at = $now, finished_at = NULL
            WHERE delivery_id = $id AND state = {(int)DeliveryState.DeadLettered}
            RETURNING message_id, recipient
            """,
            "$now", "$id");
        replay.Parameters["$now"].Value = AuditChain.ToMicroseconds(session.Now);
        var replayed = new List<long>();
        foreach (var id in ids)
        {
            replay.Parameters["$id"].Value = id;
            using var reader = replay.ExecuteReader();
            if (reader.Read())
            {
                session.AppendAudit(new AuditEntry(
                    AuditKinds.DeliveryReplayed, actor, reader.GetString(0), new AuditDetails { Delivery = id, Recipient = reader.GetString(1), Justification = reason }));
                replayed.Add(id);
            }
        }

        return replayed;
    }

    private static List<long> Matching(WriterSession session, DeadLetterQuery filter)
    {
        using var select = session.CreateAdHocCommand(DeadLetterSql.Select(filter with { AfterDeliveryId = 0, Limit = int.MaxValue }, "d.delivery_id"));
        DeadLetterSql.Bind(select, filter with { AfterDeliveryId = 0, Limit = int.MaxValue });
        var ids = new List<long>();
        using var reader = select.ExecuteReader();
        while (reader.Read())
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }
}
