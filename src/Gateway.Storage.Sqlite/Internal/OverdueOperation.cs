using Gateway.Core.Audit;

namespace Gateway.Storage.Sqlite.Internal;

/// <summary>Marks, once, every request whose reply-by passed without an answer (and not withdrawn), with an audit entry each.</summary>
internal sealed class OverdueOperation : WriteOperation<IReadOnlyList<string>>
{
    protected override IReadOnlyList<string> Execute(WriterSession session)
    {
        var mark = session.Command(
            """
            UPDATE messages SET overdue_at = $now
            WHERE reply_by IS NOT NULL AND answered_at IS NULL AND overdue_at IS NULL AND withdrawn_at IS NULL AND reply_by < $now
            RETURNING message_id, sender, reply_by
            """,
            "$now");
        mark.Parameters["$now"].Value = AuditChain.ToMicroseconds(session.Now);
        var overdue = new List<(string Id, string Sender, long ReplyBy)>();
        using (var reader = mark.ExecuteReader())
        {
            while (reader.Read())
            {
                overdue.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
            }
        }

        overdue.Sort((a, b) => a.ReplyBy != b.ReplyBy ? a.ReplyBy.CompareTo(b.ReplyBy) : string.CompareOrdinal(a.Id, b.Id));
        foreach (var (id, sender, replyBy) in overdue)
        {
            session.AppendAudit(new AuditEntry(
                AuditKinds.ReplyOverdue, "gateway", id, new AuditDetails { Sender = sender, ReplyBy = AuditChain.FromMicroseconds(replyBy) }));
        }

        return overdue.Select(o => o.Id).ToList();
    }
}
