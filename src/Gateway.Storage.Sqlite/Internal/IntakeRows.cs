using Gateway.Core.Audit;
using Gateway.Core.Lifecycle;
using Gateway.Core.Storage;

namespace Gateway.Storage.Sqlite.Internal;

/// <summary>
/// The SQL of the accept change set's rows and preconditions (<see cref="IntakeLifecycle"/>): each writes or checks
/// exactly what it is given. Rows that point at another message find its row by id; a message's deliveries point at the
/// row just inserted. Every statement is prepared once: accepting is the hot path.
/// </summary>
internal static class IntakeRows
{
    private const string SeqOf = "(SELECT seq FROM messages WHERE message_id = ?1)";

    public static bool MessageExists(WriterSession session, string messageId) =>
        session.Statement("SELECT 1 FROM messages WHERE message_id = ?1").Bind(1, messageId).TryExecuteRow(static _ => true, out _);

    public static bool HoldIn(WriterSession session, string referralMessageId, HoldState state) =>
        session.Statement($"SELECT 1 FROM holds WHERE referral_seq = {SeqOf} AND state = ?2")
            .Bind(1, referralMessageId)
            .Bind(2, (long)state)
            .TryExecuteRow(static _ => true, out _);

    public static bool RequestNotWithdrawn(WriterSession session, string requestMessageId) =>
        session.Statement("SELECT 1 FROM messages WHERE message_id = ?1 AND withdrawn_at IS NULL").Bind(1, requestMessageId).TryExecuteRow(static _ => true, out _);

    public static bool DeliveryIs(WriterSession session, long deliveryId, DeliveryState state, int attempts) =>
        session.Statement("SELECT 1 FROM deliveries WHERE delivery_id = ?1 AND state = ?2 AND attempts = ?3")
            .Bind(1, deliveryId)
            .Bind(2, (long)state)
            .Bind(3, (long)attempts)
            .TryExecuteRow(static _ => true, out _);

    /// <summary>
    /// Inserts the message, then its deliveries, each with its reply deadline when the message awaits replies, and
    /// returns its row, or null, writing nothing, when its id is taken. Its audit sequence is the one its entry will get:
    /// the change set's entries are appended after its rows, from the session's next sequence on.
    /// </summary>
    public static long? InsertIfFree(WriterSession session, InsertMessage insert)
    {
        var message = insert.Message;
        var now = AuditChain.ToMicroseconds(session.Now);
        var inserted = session.Statement(
            """
            INSERT INTO messages (message_id, kind, case_reference, sender, recipients, content_hash, payload, created_at, accepted_at, audit_sequence, state, link_kind, link_target, case_owner, trace_parent)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
            ON CONFLICT (message_id) DO NOTHING
            """)
            .Bind(1, message.MessageId)
            .Bind(2, (long)message.Kind)
            .Bind(3, message.CaseReference)
            .Bind(4, message.Sender.ToString())
            .Bind(5, string.Join(',', insert.Recipients))
            .Bind(6, message.ContentHash)
            .Bind(7, session.Seal.SealPayload(message.MessageId, message.Payload))
            .Bind(8, AuditChain.ToMicroseconds(message.CreatedAt))
            .Bind(9, now)
            .Bind(10, session.NextSequence + insert.AuditIndex)
            .Bind(11, (long)insert.State)
            .Bind(12, message.Link is { } link ? (long)link.Kind : (long?)null)
            .Bind(13, message.Link?.TargetMessageId)
            .Bind(14, message.CaseOwner?.ToString())
            .Bind(15, message.TraceParent)
            .ExecuteInsert();
        if (inserted is not { } seq)
        {
            return null;
        }

        var delivery = session.Statement(
            """
            INSERT INTO deliveries (message_seq, message_id, kind, recipient, case_reference, state, next_attempt_at, created_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)
            """);
        delivery
            .Bind(1, seq)
            .Bind(2, message.MessageId)
            .Bind(3, (long)message.Kind)
            .Bind(5, message.CaseReference)
            .Bind(6, (long)insert.DeliveryState)
            .Bind(7, now);
        var copiedTo = message.CopiedTo?.ToString();
        foreach (var to in insert.Recipients)
        {
            delivery.Bind(4, to).Execute();
            if (message.ReplyDue is { } due && to != copiedTo)
            {
                AwaitedReplyRows.InsertForLastDelivery(session, seq, to, due);
            }
        }

        return seq;
    }

    /// <param name="referralSeq">The referral's row when the same change set inserted it; else it is looked up by id.</param>
    public static void Open(WriterSession session, OpenHold hold, long? referralSeq) =>
        session.Statement(
                $"INSERT INTO holds (referral_seq, referral_message_id, release_party, owner, state) VALUES (coalesce(?5, {SeqOf}), ?1, ?2, ?3, ?4)")
            .Bind(1, hold.ReferralMessageId)
            .Bind(2, hold.ReleaseParty)
            .Bind(3, hold.Owner)
            .Bind(4, (long)hold.State)
            .Bind(5, referralSeq)
            .Execute();

    public static void Resolve(WriterSession session, ResolveHold hold) =>
        session.Statement($"UPDATE holds SET state = ?2, resolved_by = ?3, resolved_at = ?4 WHERE referral_seq = {SeqOf}")
            .Bind(1, hold.ReferralMessageId)
            .Bind(2, (long)hold.State)
            .Bind(3, hold.By)
            .Bind(4, AuditChain.ToMicroseconds(session.Now))
            .Execute();

    public static void Withdraw(WriterSession session, WithdrawRequest request) =>
        session.Statement("UPDATE messages SET withdrawn_at = ?2 WHERE message_id = ?1")
            .Bind(1, request.RequestMessageId)
            .Bind(2, AuditChain.ToMicroseconds(session.Now))
            .Execute();

    public static void Join(WriterSession session, JoinCase join)
    {
        var statement = session.Statement("INSERT OR IGNORE INTO case_parties (case_reference, party, owner) VALUES (?1, ?2, ?3)")
            .Bind(1, join.CaseReference)
            .Bind(3, join.Owner);
        foreach (var party in join.Parties)
        {
            statement.Bind(2, party).Execute();
        }
    }

    public static void Withdraw(WriterSession session, WithdrawDelivery delivery) =>
        session.Statement("UPDATE deliveries SET state = ?2, finished_at = ?3 WHERE delivery_id = ?1")
            .Bind(1, delivery.DeliveryId)
            .Bind(2, (long)delivery.State)
            .Bind(3, AuditChain.ToMicroseconds(session.Now))
            .Execute();
}
