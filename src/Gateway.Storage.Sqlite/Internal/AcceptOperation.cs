using Interagency.V1;
using Gateway.Core.Audit;
using Gateway.Core.Intake;
using Gateway.Core.Storage;

namespace Gateway.Storage.Sqlite.Internal;

/// <summary>
/// Stores a message, one delivery per recipient and their audit entries, together with what the message does to
/// the one it answers (a reply, a withdrawal, a hold's release or cancellation); or finds the earlier copy of a replay.
/// </summary>
internal sealed class AcceptOperation(NewMessage message) : WriteOperation<AcceptResult>
{
    /// <summary>The row of the message this one answers, for statements on deliveries and holds, which point at rows.</summary>
    private const string SeqOfTarget = "SELECT seq FROM messages WHERE message_id = $target";

    private static readonly string OpenHoldSql =
        $"INSERT INTO holds (referral_seq, referral_message_id, release_party, owner, state) VALUES (?1, ?2, ?3, ?4, {(int)HoldState.Open})";

    /// <summary>Set when the message, once committed, may have added a party to its case (anything but a case update).</summary>
    public string? CaseWithNewParties { get; private set; }

    protected override AcceptResult Execute(WriterSession session)
    {
        var sender = message.Sender.ToString();
        if (message.Link is { } link)
        {
            // A reply's effect depends on the state it finds, so a replay must be recognised before that state is read.
            if (Exists(session))
            {
                return Replay(session);
            }

            if (!LinkHolds(session, link))
            {
                return new AcceptResult(AcceptStatus.PreconditionFailed, null);
            }
        }

        var state = message.State;
        if (message.Link is { Kind: LinkKind.Reply } reply && IsWithdrawn(session, reply.TargetMessageId))
        {
            state = MessageState.Late;
        }

        var recipientIds = message.Link is { Kind: LinkKind.Withdraw } withdraw
            ? WithdrawRequest(session, sender, withdraw.TargetMessageId)
            : message.Recipients.Select(r => r.ToString()).ToArray();
        var recipients = string.Join(',', recipientIds);
        if (InsertMessage(session, sender, recipients, state) is not { } seq)
        {
            return Replay(session);
        }

        var acceptedKind = state == MessageState.HeldForReview ? AuditKinds.MessageHeldForReview : AuditKinds.MessageAccepted;
        var releaseParty = message.HoldReleaseParty?.ToString();
        // One entry records the message, the deliveries created with it (one per recipient, in the state given) and
        // the coordination hold it opens, if any.
        var sequence = session.AppendAudit(new AuditEntry(
            acceptedKind,
            sender,
            message.MessageId,
            new AuditDetails
            {
                Kind = message.Kind,
                Case = message.CaseReference,
                Recipients = recipientIds,
                State = state,
                Deliveries = message.InitialDeliveryState,
                HoldReleaseParty = releaseParty,
            }));
        ApplyLink(session, sender);
        if (releaseParty is not null)
        {
            OpenHold(session, seq, sender, releaseParty);
        }

        InsertDeliveries(session, seq, recipientIds);
        CaseWithNewParties = message.Kind == MessageKind.CaseUpdate ? null : message.CaseReference;
        return new AcceptResult(
            AcceptStatus.Accepted,
            new AcceptanceReceipt(message.MessageId, recipientIds, session.Now, sequence, state));
    }

    /// <summary>Inserts the message and returns its row, or null if its id is taken.</summary>
    private long? InsertMessage(WriterSession session, string sender, string recipients, MessageState state) =>
        session.Statement(
            """
            INSERT INTO messages (message_id, kind, case_reference, sender, recipients, content_hash, payload, created_at, accepted_at, audit_sequence, state, reply_by, link_kind, link_target)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
            ON CONFLICT (message_id) DO NOTHING
            """)
            .Bind(1, message.MessageId)
            .Bind(2, (long)message.Kind)
            .Bind(3, message.CaseReference)
            .Bind(4, sender)
            .Bind(5, recipients)
            .Bind(6, message.ContentHash)
            .Bind(7, message.Payload)
            .Bind(8, AuditChain.ToMicroseconds(message.CreatedAt))
            .Bind(9, AuditChain.ToMicroseconds(session.Now))
            .Bind(10, session.NextSequence)
            .Bind(11, (long)state)
            .Bind(12, message.ReplyBy is { } replyBy ? AuditChain.ToMicroseconds(replyBy) : (long?)null)
            .Bind(13, message.Link is { } link ? (long)link.Kind : (long?)null)
            .Bind(14, message.Link?.TargetMessageId)
            .ExecuteInsert();

    private void InsertDeliveries(WriterSession session, long seq, string[] recipientIds)
    {
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
            .Bind(6, (long)message.InitialDeliveryState)
            .Bind(7, AuditChain.ToMicroseconds(session.Now));
        foreach (var to in recipientIds)
        {
            delivery.Bind(4, to).Execute();
        }
    }

    private bool Exists(WriterSession session)
    {
        var find = session.Command("SELECT 1 FROM messages WHERE message_id = $message_id", "$message_id");
        find.Parameters["$message_id"].Value = message.MessageId;
        return find.ExecuteScalar() is not null;
    }

    /// <summary>Whether the answered message is still in a state that allows this message.</summary>
    private static bool LinkHolds(WriterSession session, MessageLink link)
    {
        var sql = link.Kind switch
        {
            LinkKind.Reply => "SELECT 1 FROM messages WHERE message_id = $target",
            LinkKind.Withdraw => "SELECT 1 FROM messages WHERE message_id = $target AND withdrawn_at IS NULL",
            _ => $"SELECT 1 FROM holds WHERE referral_seq = ({SeqOfTarget}) AND state = {(int)HoldState.Open}",
        };
        var check = session.Command(sql, "$target");
        check.Parameters["$target"].Value = link.TargetMessageId;
        return check.ExecuteScalar() is not null;
    }

    private static bool IsWithdrawn(WriterSession session, string requestId)
    {
        var check = session.Command("SELECT 1 FROM messages WHERE message_id = $target AND withdrawn_at IS NOT NULL", "$target");
        check.Parameters["$target"].Value = requestId;
        return check.ExecuteScalar() is not null;
    }

    /// <summary>
    /// Withdraws the request: deliveries never attempted are withdrawn (their recipients never saw the request); every
    /// other recipient may have, and gets the withdrawal. Returns those recipients.
    /// </summary>
    private string[] WithdrawRequest(WriterSession session, string sender, string requestId)
    {
        var now = AuditChain.ToMicroseconds(session.Now);
        var mark = session.Command("UPDATE messages SET withdrawn_at = $now WHERE message_id = $target", "$now", "$target");
        mark.Parameters["$now"].Value = now;
        mark.Parameters["$target"].Value = requestId;
        mark.ExecuteNonQuery();
        session.AppendAudit(new AuditEntry(AuditKinds.RequestWithdrawn, sender, requestId, new AuditDetails { By = message.MessageId }));

        var withdraw = session.Command(
            $"""
            UPDATE deliveries SET state = {(int)DeliveryState.Withdrawn}, finished_at = $now
            WHERE message_seq = ({SeqOfTarget}) AND attempts = 0 AND state IN ({(int)DeliveryState.Pending}, {(int)DeliveryState.HeldForReview})
            RETURNING delivery_id, recipient
            """,
            "$now", "$target");
        withdraw.Parameters["$now"].Value = now;
        withdraw.Parameters["$target"].Value = requestId;
        var withdrawn = new List<(long Id, string Recipient)>();
        using (var reader = withdraw.ExecuteReader())
        {
            while (reader.Read())
            {
                withdrawn.Add((reader.GetInt64(0), reader.GetString(1)));
            }
        }

        foreach (var (id, recipient) in withdrawn.OrderBy(w => w.Id))
        {
            session.AppendAudit(new AuditEntry(AuditKinds.DeliveryWithdrawn, sender, requestId, new AuditDetails { Delivery = id, Recipient = recipient }));
        }

        var reached = session.Command(
            $"SELECT recipient FROM deliveries WHERE message_seq = ({SeqOfTarget}) AND state != {(int)DeliveryState.Withdrawn} ORDER BY delivery_id",
            "$target");
        reached.Parameters["$target"].Value = requestId;
        var recipients = new List<string>();
        using (var reader = reached.ExecuteReader())
        {
            while (reader.Read())
            {
                recipients.Add(reader.GetString(0));
            }
        }

        return [.. recipients];
    }

    private void ApplyLink(WriterSession session, string sender)
    {
        switch (message.Link)
        {
            case { Kind: LinkKind.Reply } reply:
                var answer = session.Command(
                    "UPDATE messages SET answered_at = $now WHERE message_id = $target AND answered_at IS NULL", "$now", "$target");
                answer.Parameters["$now"].Value = AuditChain.ToMicroseconds(session.Now);
                answer.Parameters["$target"].Value = reply.TargetMessageId;
                if (answer.ExecuteNonQuery() == 1)
                {
                    session.AppendAudit(new AuditEntry(AuditKinds.RequestAnswered, sender, reply.TargetMessageId, new AuditDetails { By = message.MessageId }));
                }

                break;
            case { Kind: LinkKind.ReleaseHold or LinkKind.CancelHold } hold:
                var released = hold.Kind == LinkKind.ReleaseHold;
                var resolve = session.Command(
                    $"UPDATE holds SET state = $state, resolved_by = $by, resolved_at = $now WHERE referral_seq = ({SeqOfTarget})",
                    "$state", "$by", "$now", "$target");
                resolve.Parameters["$state"].Value = (int)(released ? HoldState.Released : HoldState.Cancelled);
                resolve.Parameters["$by"].Value = message.MessageId;
                resolve.Parameters["$now"].Value = AuditChain.ToMicroseconds(session.Now);
                resolve.Parameters["$target"].Value = hold.TargetMessageId;
                resolve.ExecuteNonQuery();
                session.AppendAudit(new AuditEntry(
                    released ? AuditKinds.HoldReleased : AuditKinds.HoldCancelled, sender, hold.TargetMessageId, new AuditDetails { By = message.MessageId }));
                break;
        }
    }

    private void OpenHold(WriterSession session, long seq, string sender, string releaseParty)
    {
        session.Statement(OpenHoldSql)
            .Bind(1, seq)
            .Bind(2, message.MessageId)
            .Bind(3, releaseParty)
            .Bind(4, sender)
            .Execute();
    }

    private AcceptResult Replay(WriterSession session)
    {
        var find = session.Command(MessageReader.SelectById, "$message_id");
        find.Parameters["$message_id"].Value = message.MessageId;
        using (var reader = find.ExecuteReader())
        {
            reader.Read();
            var stored = MessageReader.Read(reader);
            if (stored.ContentHash.AsSpan().SequenceEqual(message.ContentHash))
            {
                return new AcceptResult(AcceptStatus.Duplicate, stored.Receipt);
            }
        }

        return new AcceptResult(AcceptStatus.Conflict, null);
    }
}
