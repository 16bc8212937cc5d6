using Interagency.V1;
using Gateway.Core.Audit;
using Gateway.Core.Storage;

namespace Gateway.Storage.Sqlite.Internal;

/// <summary>
/// Records a reviewer's decision on a held message: its deliveries still held become pending, as new (released), or
/// are refused for good, and one audit entry names the reviewer, the recipients and the reason.
/// </summary>
internal sealed class ReviewOperation(string messageId, ReviewDecision decision, string actor, string reason) : WriteOperation<ReviewResult>
{
    protected override ReviewResult Execute(WriterSession session)
    {
        var find = session.Command("SELECT seq FROM messages WHERE message_id = $message_id", "$message_id");
        find.Parameters["$message_id"].Value = messageId;
        if (find.ExecuteScalar() is not long seq)
        {
            return new ReviewResult(ReviewStatus.NotFound, []);
        }

        // Released, a delivery starts its life now: its age for dead-lettering does not count the days it was held.
        var decide = session.Command(
            $"""
            UPDATE deliveries
            SET {(decision == ReviewDecision.Release
                ? $"state = {(int)DeliveryState.Pending}, next_attempt_at = $now, created_at = $now"
                : $"state = {(int)DeliveryState.RefusedOnReview}, finished_at = $now")}
            WHERE message_seq = $seq AND state = {(int)DeliveryState.HeldForReview}
            RETURNING delivery_id, recipient
            """,
            "$now", "$seq");
        decide.Parameters["$now"].Value = AuditChain.ToMicroseconds(session.Now);
        decide.Parameters["$seq"].Value = seq;
        var decided = new List<(long Id, string Recipient)>();
        using (var reader = decide.ExecuteReader())
        {
            while (reader.Read())
            {
                decided.Add((reader.GetInt64(0), reader.GetString(1)));
            }
        }

        if (decided.Count == 0)
        {
            return new ReviewResult(ReviewStatus.NotHeld, []);
        }

        var recipients = decided.OrderBy(d => d.Id).Select(d => d.Recipient).ToArray();
        session.AppendAudit(new AuditEntry(
            decision == ReviewDecision.Release ? AuditKinds.MessageReleasedOnReview : AuditKinds.MessageRefusedOnReview,
            actor,
            messageId,
            new AuditDetails { Recipients = recipients, Justification = reason }));
        return new ReviewResult(ReviewStatus.Decided, recipients);
    }
}
