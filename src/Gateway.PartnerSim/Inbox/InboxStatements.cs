using Interagency.V1;
using Microsoft.Data.Sqlite;

namespace Gateway.PartnerSim.Inbox;

/// <summary>
/// The writer's prepared statements: apply a message once, or count it as a duplicate; record a refusal or a question
/// instead; keep what a notice says.
/// </summary>
internal sealed class InboxStatements : IDisposable
{
    private readonly SqliteCommand _insertApplied;
    private readonly SqliteCommand _countDuplicate;
    private readonly SqliteCommand _insertAnswered;
    private readonly SqliteCommand _insertNotice;

    public InboxStatements(SqliteConnection connection)
    {
        _insertApplied = Prepare(
            connection,
            """
            INSERT INTO applied (message_id, delivery_id, payload_kind, case_reference, sender, recipient, prepare_only, late, replayed, attempt, received_at)
            VALUES ($message_id, $delivery_id, $payload_kind, $case_reference, $sender, $recipient, $prepare_only, $late, $replayed, $attempt, $received_at)
            ON CONFLICT (message_id) DO NOTHING
            """,
            "$message_id", "$delivery_id", "$payload_kind", "$case_reference", "$sender", "$recipient", "$prepare_only", "$late", "$replayed", "$attempt", "$received_at");
        _countDuplicate = Prepare(
            connection,
            """
            INSERT INTO duplicates (message_id, count, last_delivery_id, last_received_at) VALUES ($message_id, 1, $delivery_id, $received_at)
            ON CONFLICT (message_id) DO UPDATE SET count = count + 1, last_delivery_id = excluded.last_delivery_id, last_received_at = excluded.last_received_at
            """,
            "$message_id", "$delivery_id", "$received_at");
        _insertAnswered = Prepare(
            connection,
            """
            INSERT INTO answered (message_id, delivery_id, payload_kind, case_reference, sender, outcome, attempt, received_at)
            VALUES ($message_id, $delivery_id, $payload_kind, $case_reference, $sender, $outcome, $attempt, $received_at)
            ON CONFLICT (message_id) DO NOTHING
            """,
            "$message_id", "$delivery_id", "$payload_kind", "$case_reference", "$sender", "$outcome", "$attempt", "$received_at");
        _insertNotice = Prepare(
            connection,
            """
            INSERT INTO notices (message_id, notice_kind, about_message_id, recipient, reason, text)
            VALUES ($message_id, $notice_kind, $about_message_id, $recipient, $reason, $text)
            ON CONFLICT (message_id) DO NOTHING
            """,
            "$message_id", "$notice_kind", "$about_message_id", "$recipient", "$reason", "$text");
    }

    public void Enlist(SqliteTransaction transaction)
    {
        _insertApplied.Transaction = transaction;
        _countDuplicate.Transaction = transaction;
        _insertAnswered.Transaction = transaction;
        _insertNotice.Transaction = transaction;
    }

    /// <summary>Records that the agency answered the delivery with <paramref name="outcome"/> (a refusal or a question) instead of applying it.</summary>
    public DeliveryOutcome Answer(DeliverRequest delivery, DeliveryOutcome outcome, string receivedAt)
    {
        var p = _insertAnswered.Parameters;
        p["$message_id"].Value = delivery.Header.MessageId;
        p["$delivery_id"].Value = delivery.DeliveryId;
        p["$payload_kind"].Value = PayloadKind.Of(delivery);
        p["$case_reference"].Value = delivery.Header.CaseReference;
        p["$sender"].Value = delivery.Header.Sender;
        p["$outcome"].Value = outcome == DeliveryOutcome.Refused ? "refused" : "clarification_requested";
        p["$attempt"].Value = (long)delivery.Attempt;
        p["$received_at"].Value = receivedAt;
        _insertAnswered.ExecuteNonQuery();
        return outcome;
    }

    /// <summary>Applies the delivery's message unless its id is in the inbox already (then counts a duplicate).</summary>
    public DeliveryOutcome Apply(DeliverRequest delivery, string receivedAt)
    {
        var p = _insertApplied.Parameters;
        p["$message_id"].Value = delivery.Header.MessageId;
        p["$delivery_id"].Value = delivery.DeliveryId;
        p["$payload_kind"].Value = PayloadKind.Of(delivery);
        p["$case_reference"].Value = delivery.Header.CaseReference;
        p["$sender"].Value = delivery.Header.Sender;
        p["$recipient"].Value = delivery.Recipient;
        p["$prepare_only"].Value = delivery.PrepareOnly;
        p["$late"].Value = delivery.Late;
        p["$replayed"].Value = delivery.Replayed;
        p["$attempt"].Value = (long)delivery.Attempt;
        p["$received_at"].Value = receivedAt;
        if (_insertApplied.ExecuteNonQuery() == 1)
        {
            if (delivery.Notice is { } notice)
            {
                Keep(delivery.Header.MessageId, notice);
            }

            return DeliveryOutcome.Applied;
        }

        var d = _countDuplicate.Parameters;
        d["$message_id"].Value = delivery.Header.MessageId;
        d["$delivery_id"].Value = delivery.DeliveryId;
        d["$received_at"].Value = receivedAt;
        _countDuplicate.ExecuteNonQuery();
        return DeliveryOutcome.Duplicate;
    }

    public void Dispose()
    {
        _insertApplied.Dispose();
        _countDuplicate.Dispose();
        _insertAnswered.Dispose();
        _insertNotice.Dispose();
    }

    private void Keep(string messageId, DeliveryNotice notice)
    {
        var p = _insertNotice.Parameters;
        p["$message_id"].Value = messageId;
        p["$notice_kind"].Value = NoticeKinds.Name(notice.Kind);
        p["$about_message_id"].Value = notice.MessageId;
        p["$recipient"].Value = notice.Recipient;
        p["$reason"].Value = notice.Refusal is { } refusal ? NoticeKinds.Name(refusal.Reason) : DBNull.Value;
        p["$text"].Value = notice.Refusal?.Text is { Length: > 0 } text ? text
            : notice.ClarificationQuestion is { Length: > 0 } question ? question
            : DBNull.Value;
        _insertNotice.ExecuteNonQuery();
    }

    private static SqliteCommand Prepare(SqliteConnection connection, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        return command;
    }
}
