using Gateway.Core.Audit;
using Gateway.Core.Intake;
using Gateway.Core.Storage;

namespace Gateway.Storage.Sqlite.Internal;

/// <summary>Stores a message, one delivery per recipient and their audit entries, or finds the earlier copy of a replay.</summary>
internal sealed class AcceptOperation(NewMessage message) : WriteOperation<AcceptResult>
{
    protected override AcceptResult Execute(WriterSession session)
    {
        var insert = session.Command(
            """
            INSERT INTO messages (message_id, kind, case_reference, sender, recipients, content_hash, payload, created_at, accepted_at, audit_sequence, state)
            VALUES ($message_id, $kind, $case_reference, $sender, $recipients, $content_hash, $payload, $created_at, $accepted_at, $audit_sequence, $state)
            ON CONFLICT (message_id) DO NOTHING
            """,
            "$message_id", "$kind", "$case_reference", "$sender", "$recipients", "$content_hash", "$payload", "$created_at", "$accepted_at", "$audit_sequence", "$state");

        var recipientIds = message.Recipients.Select(r => r.ToString()).ToArray();
        var recipients = string.Join(',', recipientIds);
        var acceptedKind = message.State == MessageState.HeldForReview ? AuditKinds.MessageHeldForReview : AuditKinds.MessageAccepted;
        var sender = message.Sender.ToString();
        var p = insert.Parameters;
        p["$message_id"].Value = message.MessageId;
        p["$kind"].Value = (int)message.Kind;
        p["$case_reference"].Value = message.CaseReference;
        p["$sender"].Value = sender;
        p["$recipients"].Value = recipients;
        p["$content_hash"].Value = message.ContentHash;
        p["$payload"].Value = message.Payload;
        p["$created_at"].Value = AuditChain.ToMicroseconds(message.CreatedAt);
        p["$accepted_at"].Value = AuditChain.ToMicroseconds(session.Now);
        p["$audit_sequence"].Value = session.NextSequence;
        p["$state"].Value = (int)message.State;
        if (insert.ExecuteNonQuery() == 0)
        {
            return Replay(session, sender);
        }

        var sequence = session.AppendAudit(acceptedKind, sender, message.MessageId, $"kind={message.Kind} case={message.CaseReference} recipients={recipients}");

        var delivery = session.Command(
            "INSERT INTO deliveries (message_id, recipient, case_reference, state, next_attempt_at) VALUES ($message_id, $recipient, $case_reference, $state, $next_attempt_at)",
            "$message_id", "$recipient", "$case_reference", "$state", "$next_attempt_at");
        var d = delivery.Parameters;
        d["$message_id"].Value = message.MessageId;
        d["$case_reference"].Value = message.CaseReference;
        d["$state"].Value = (int)message.InitialDeliveryState;
        d["$next_attempt_at"].Value = AuditChain.ToMicroseconds(session.Now);
        foreach (var to in recipientIds)
        {
            d["$recipient"].Value = to;
            delivery.ExecuteNonQuery();
            session.AppendAudit(AuditKinds.DeliveryCreated, "gateway", message.MessageId, $"recipient={to} state={message.InitialDeliveryState}");
        }

        return new AcceptResult(
            AcceptStatus.Accepted,
            new AcceptanceReceipt(message.MessageId, recipientIds, session.Now, sequence, message.State));
    }

    private AcceptResult Replay(WriterSession session, string sender)
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

        session.AppendAudit(
            AuditKinds.IntakeRefused,
            sender,
            message.MessageId,
            $"code=AlreadyExists reason=message_id_reused fields=header.message_id");
        return new AcceptResult(AcceptStatus.Conflict, null);
    }
}
