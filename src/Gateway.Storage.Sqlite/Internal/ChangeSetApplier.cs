using Gateway.Core.Audit;
using Gateway.Core.Lifecycle;
using Gateway.Core.Storage;

namespace Gateway.Storage.Sqlite.Internal;

/// <summary>
/// Applies a change set inside the writer's transaction: checks its preconditions, then writes its rows and appends its
/// audit entries, exactly as Core decided them. Every precondition is checked before the first write, so a change set
/// that fails one leaves nothing behind in the batch it shares with others.
/// </summary>
internal static class ChangeSetApplier
{
    public static ChangeOutcome Apply(WriterSession session, ChangeSet changes)
    {
        // A new message whose only precondition is its free id (no reply, no withdrawal: the hot path) has the id checked
        // by its own insert, the change set's first write, instead of by a lookup before it: one index search, not two.
        var checkedByInsert = changes.Preconditions is [MessageIdFree free] && changes.Rows is [InsertMessage first, ..]
            && first.Message.MessageId == free.MessageId;
        if (!checkedByInsert)
        {
            foreach (var precondition in changes.Preconditions)
            {
                if (!Holds(session, precondition))
                {
                    return new ChangeOutcome(precondition, session.Now, []);
                }
            }
        }

        (string MessageId, long Seq)? inserted = null;
        foreach (var row in changes.Rows)
        {
            if (row is not InsertMessage insert)
            {
                Write(session, row, inserted);
            }
            else if (IntakeRows.InsertIfFree(session, insert) is { } seq)
            {
                inserted = (insert.Message.MessageId, seq);
            }
            else if (checkedByInsert)
            {
                return new ChangeOutcome(changes.Preconditions[0], session.Now, []);
            }
            else
            {
                throw new InvalidOperationException("The message row was not inserted.");
            }
        }

        var sequences = new long[changes.Audit.Count];
        for (var i = 0; i < sequences.Length; i++)
        {
            sequences[i] = session.AppendAudit(changes.Audit[i], inserted);
        }

        return new ChangeOutcome(null, session.Now, sequences);
    }

    private static bool Holds(WriterSession session, Precondition precondition) => precondition switch
    {
        // intake
        MessageIdFree free => !IntakeRows.MessageExists(session, free.MessageId),
        HoldOpen open => IntakeRows.HoldIn(session, open.ReferralMessageId, open.State),
        RequestNotWithdrawn request => IntakeRows.RequestNotWithdrawn(session, request.RequestMessageId),
        AwaitedReplyOpen open => AwaitedReplyRows.Open(session, open),
        DeliveryUnchanged delivery => IntakeRows.DeliveryIs(session, delivery.DeliveryId, delivery.State, delivery.Attempts),
        // delivery
        DeliveryLeasedBy leased => Exists(session.Statement(DeliveryLeasedBySql)
            .Bind(1, leased.DeliveryId).Bind(2, leased.Worker).Bind(3, leased.Attempt).Bind(4, (long)leased.State)),
        DeliveryInState delivery => Exists(session.Statement(DeliveryInStateSql)
            .Bind(1, delivery.DeliveryId).Bind(2, (long)delivery.State).Bind(3, delivery.Attempts)),
        ReplyStillAwaited awaited => AwaitedReplyRows.StillAwaited(session, awaited),
        _ => throw new NotSupportedException($"The SQLite store cannot check a {precondition.GetType().Name}."),
    };

    /// <param name="inserted">The message this change set inserted and its row, for rows that point at it.</param>
    private static void Write(WriterSession session, RowChange row, (string MessageId, long Seq)? inserted)
    {
        switch (row)
        {
            // intake
            case OpenHold hold:
                IntakeRows.Open(session, hold, inserted is { } message && message.MessageId == hold.ReferralMessageId ? message.Seq : null);
                break;
            case ResolveHold hold:
                IntakeRows.Resolve(session, hold);
                break;
            case WithdrawRequest request:
                IntakeRows.Withdraw(session, request);
                break;
            case WithdrawDelivery delivery:
                IntakeRows.Withdraw(session, delivery);
                break;
            case JoinCase join:
                IntakeRows.Join(session, join);
                break;
            // delivery
            case LeaseDelivery lease:
                session.Statement(LeaseDeliverySql)
                    .Bind(1, (long)lease.State).Bind(2, lease.Worker).Bind(3, AuditChain.ToMicroseconds(session.Now + lease.Lease))
                    .Bind(4, lease.Attempts).Bind(5, lease.DeliveryId).Execute();
                break;
            case ReturnDeliveryLease returned:
                session.Statement(ReturnDeliveryLeaseSql)
                    .Bind(1, (long)returned.State).Bind(2, returned.Attempts).Bind(3, returned.DeliveryId).Execute();
                break;
            case RecordDeliveryAttempt attempt:
                session.Statement(RecordDeliveryAttemptSql)
                    .Bind(1, (long)attempt.State)
                    .Bind(2, attempt.RetryAt is { } at ? AuditChain.ToMicroseconds(at) : (long?)null)
                    .Bind(3, session.Seal.SealLastError(attempt.DeliveryId, attempt.Error))
                    .Bind(4, attempt.Finished ? AuditChain.ToMicroseconds(session.Now) : null)
                    .Bind(5, attempt.DeliveryId)
                    .Execute();
                break;
            case RestartDelivery restart:
                session.Statement(RestartDeliverySql)
                    .Bind(1, (long)restart.State).Bind(2, restart.Replayed ? 1 : 0).Bind(3, AuditChain.ToMicroseconds(session.Now)).Bind(4, restart.DeliveryId).Execute();
                break;
            case RefuseHeldDelivery refused:
                session.Statement(RefuseHeldDeliverySql).Bind(1, (long)refused.State).Bind(2, AuditChain.ToMicroseconds(session.Now)).Bind(3, refused.DeliveryId).Execute();
                break;
            // reply deadlines
            case CloseAwaitedReply close:
                AwaitedReplyRows.Close(session, close);
                break;
            case ReopenAwaitedReply reopen:
                AwaitedReplyRows.Reopen(session, reopen);
                break;
            case MarkReplyOverdue overdue:
                AwaitedReplyRows.MarkOverdue(session, overdue);
                break;
            case AnswerClarification answered:
                session.Statement(AnswerClarificationSql).Bind(1, (long)DeliveryState.ClarificationAnswered).Bind(2, answered.DeliveryId).Execute();
                break;
            default:
                throw new NotSupportedException($"The SQLite store cannot write a {row.GetType().Name}.");
        }
    }

    // delivery: one prepared statement each, run for every delivery of the hot claim and completion paths.
    private const string DeliveryLeasedBySql = "SELECT 1 FROM deliveries WHERE delivery_id = ?1 AND lease_owner = ?2 AND attempts = ?3 AND state = ?4";
    private const string DeliveryInStateSql = "SELECT 1 FROM deliveries WHERE delivery_id = ?1 AND state = ?2 AND attempts = ?3";
    private const string LeaseDeliverySql = "UPDATE deliveries SET state = ?1, lease_owner = ?2, lease_until = ?3, attempts = ?4 WHERE delivery_id = ?5";
    private const string ReturnDeliveryLeaseSql =
        "UPDATE deliveries SET state = ?1, attempts = ?2, lease_owner = NULL, lease_until = NULL WHERE delivery_id = ?3";
    private const string RecordDeliveryAttemptSql =
        """
        UPDATE deliveries SET state = ?1, next_attempt_at = coalesce(?2, next_attempt_at), last_error = coalesce(?3, last_error),
               finished_at = ?4, lease_owner = NULL, lease_until = NULL
        WHERE delivery_id = ?5
        """;
    private const string RestartDeliverySql =
        "UPDATE deliveries SET state = ?1, attempts = 0, replayed = ?2, next_attempt_at = ?3, created_at = ?3, finished_at = NULL WHERE delivery_id = ?4";
    private const string RefuseHeldDeliverySql = "UPDATE deliveries SET state = ?1, finished_at = ?2 WHERE delivery_id = ?3";
    private const string AnswerClarificationSql = "UPDATE deliveries SET state = ?1 WHERE delivery_id = ?2";

    private static bool Exists(RawStatement query) => query.TryExecuteRow(static _ => true, out _);
}
