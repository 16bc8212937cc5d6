using Gateway.Core.Audit;
using Gateway.Core.Lifecycle;

namespace Gateway.Storage.Sqlite.Internal;

/// <summary>
/// The SQL of the reply-deadline rows and preconditions: each recipient's deadline on a request is found by the request's
/// delivery to it (the deliveries' unique index on message and recipient), and written or checked exactly as given.
/// </summary>
internal static class AwaitedReplyRows
{
    private static readonly string Row = "delivery_id = " + DeliveryOf("?1", "?2");

    /// <summary>The id of a request's delivery to a recipient, given the parameters that hold the request's id and the recipient.</summary>
    public static string DeliveryOf(string messageIdParameter, string recipientParameter) =>
        $"(SELECT delivery_id FROM deliveries WHERE message_seq = (SELECT seq FROM messages WHERE message_id = {messageIdParameter}) AND recipient = {recipientParameter})";

    /// <summary>The deadline of the delivery just inserted (<c>last_insert_rowid()</c>) to <paramref name="recipient"/>.</summary>
    public static void InsertForLastDelivery(WriterSession session, long messageSeq, string recipient, DateTimeOffset due) =>
        session.Statement("INSERT INTO awaited_replies (delivery_id, message_seq, recipient, due_at) VALUES (last_insert_rowid(), ?1, ?2, ?3)")
            .Bind(1, messageSeq)
            .Bind(2, recipient)
            .Bind(3, AuditChain.ToMicroseconds(due))
            .Execute();

    public static bool Open(WriterSession session, AwaitedReplyOpen open) =>
        session.Statement($"SELECT 1 FROM awaited_replies WHERE {Row} AND closed_at IS NULL")
            .Bind(1, open.MessageId).Bind(2, open.Recipient)
            .TryExecuteRow(static _ => true, out _);

    public static bool StillAwaited(WriterSession session, ReplyStillAwaited awaited) =>
        session.Statement($"SELECT 1 FROM awaited_replies WHERE {Row} AND closed_at IS NULL AND overdue_at IS NULL")
            .Bind(1, awaited.MessageId).Bind(2, awaited.Recipient)
            .TryExecuteRow(static _ => true, out _);

    public static void Close(WriterSession session, CloseAwaitedReply close) =>
        session.Statement($"UPDATE awaited_replies SET closed_at = ?3, closure = ?4, closed_by = ?5 WHERE {Row} AND closed_at IS NULL")
            .Bind(1, close.MessageId).Bind(2, close.Recipient)
            .Bind(3, AuditChain.ToMicroseconds(session.Now))
            .Bind(4, (long)close.Closure)
            .Bind(5, close.ClosedBy)
            .Execute();

    public static void Reopen(WriterSession session, ReopenAwaitedReply reopen) =>
        session.Statement($"UPDATE awaited_replies SET due_at = ?3, closed_at = NULL, closure = NULL, closed_by = NULL, overdue_at = NULL WHERE {Row}")
            .Bind(1, reopen.MessageId).Bind(2, reopen.Recipient)
            .Bind(3, AuditChain.ToMicroseconds(reopen.Due))
            .Execute();

    public static void MarkOverdue(WriterSession session, MarkReplyOverdue overdue) =>
        session.Statement($"UPDATE awaited_replies SET overdue_at = ?3 WHERE {Row}")
            .Bind(1, overdue.MessageId).Bind(2, overdue.Recipient)
            .Bind(3, AuditChain.ToMicroseconds(session.Now))
            .Execute();
}
