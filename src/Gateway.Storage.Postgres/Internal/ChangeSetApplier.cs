using System.Text;
using Gateway.Core.Audit;
using Gateway.Core.Lifecycle;
using Gateway.Core.Storage;
using Npgsql;
using static Gateway.Storage.Postgres.Internal.ChangeTransaction;

namespace Gateway.Storage.Postgres.Internal;

/// <summary>
/// Applies a change set inside its transaction: checks its preconditions, then writes its rows and appends its audit
/// entries, exactly as Core decided them, with the SQLite store's SQL meanings (<c>Gateway.Storage.Sqlite.Internal.ChangeSetApplier</c>).
/// Every precondition is checked before the first write, and one that fails rolls the transaction back. It knows the rows
/// and preconditions of acceptance (<see cref="IntakeLifecycle"/>), of reply deadlines and of the delivery queue
/// (<see cref="DeliveryLifecycle"/>).
/// </summary>
/// <remarks>
/// A precondition on a delivery locks its row (<c>FOR UPDATE</c>), so that it holds until the commit whether or not the
/// transaction holds the chain's head: claims take deliveries without the head. Every other precondition, and every
/// change set that appends to the chain, waits for the head first (<see cref="NeedsHead"/>). A transaction that needs
/// both locks takes the head before any delivery row, so that two of them never wait for each other.
/// </remarks>
internal static class ChangeSetApplier
{
    private const string SeqOf = "(SELECT seq FROM messages WHERE message_id = $1)";
    private const string DeliveryInStateSql = "SELECT 1 FROM deliveries WHERE delivery_id = $1 AND state = $2 AND attempts = $3 FOR UPDATE";
    private const string AwaitedRow = $"delivery_id = (SELECT delivery_id FROM deliveries WHERE message_seq = {SeqOf} AND recipient = $2)";

    /// <returns>The outcome: the transaction is to be committed only when it was applied.</returns>
    public static async Task<ChangeOutcome> ApplyAsync(ChangeTransaction transaction, ChangeSet changes, CancellationToken cancellationToken)
    {
        if (NeedsHead(changes))
        {
            await transaction.LockHeadAsync(cancellationToken);
        }

        if (transaction.Pipelined)
        {
            foreach (var precondition in changes.Preconditions)
            {
                if (!GuardedByInsert(precondition, changes))
                {
                    transaction.Queue(Required(precondition));
                }
            }
        }
        else if (changes.Preconditions.Count > 0
            && await transaction.FirstMissingAsync([.. changes.Preconditions.Select(Holds)], cancellationToken) is var missing and >= 0)
        {
            return new ChangeOutcome(changes.Preconditions[missing], transaction.Now, []);
        }

        foreach (var row in changes.Rows)
        {
            Queue(transaction, row);
        }

        var sequences = new long[changes.Audit.Count];
        for (var i = 0; i < sequences.Length; i++)
        {
            sequences[i] = transaction.AppendAudit(changes.Audit[i]);
        }

        if (!transaction.Pipelined)
        {
            await transaction.FlushAsync(cancellationToken);
        }

        return new ChangeOutcome(null, transaction.Now, sequences);
    }

    /// <summary>Whether <paramref name="changes"/> appends to the chain, or has a precondition that no row lock of its own guards.</summary>
    public static bool NeedsHead(ChangeSet changes) =>
        changes.Audit.Count > 0 || changes.Preconditions.Any(p => p is not (DeliveryUnchanged or DeliveryInState or DeliveryLeasedBy));

    /// <summary>
    /// Whether the change set inserts the message whose id <paramref name="precondition"/> wants free: in a batch's round
    /// trip the insert then fails on <c>messages.message_id</c>'s uniqueness as the precondition's statement would, the round
    /// is undone, and the change set applied alone checks the precondition itself. A statement fewer per message.
    /// </summary>
    private static bool GuardedByInsert(Precondition precondition, ChangeSet changes) =>
        precondition is MessageIdFree free && changes.Rows.Any(r => r is InsertMessage insert && insert.Message.MessageId == free.MessageId);

    /// <summary>A query that finds a row when <paramref name="precondition"/> holds.</summary>
    private static (string Sql, object?[] Parameters) Query(Precondition precondition) => precondition switch
    {
        MessageIdFree free => Q("SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM messages WHERE message_id = $1)", free.MessageId),
        HoldOpen open => Q($"SELECT 1 FROM holds WHERE referral_seq = {SeqOf} AND state = $2", open.ReferralMessageId, (int)open.State),
        RequestNotWithdrawn request => Q("SELECT 1 FROM messages WHERE message_id = $1 AND withdrawn_at IS NULL", request.RequestMessageId),
        AwaitedReplyOpen open => Q($"SELECT 1 FROM awaited_replies WHERE {AwaitedRow} AND closed_at IS NULL", open.MessageId, open.Recipient),
        ReplyStillAwaited awaited => Q(
            $"SELECT 1 FROM awaited_replies WHERE {AwaitedRow} AND closed_at IS NULL AND overdue_at IS NULL", awaited.MessageId, awaited.Recipient),
        DeliveryUnchanged delivery => Q(DeliveryInStateSql, delivery.DeliveryId, (int)delivery.State, delivery.Attempts),
        DeliveryInState delivery => Q(DeliveryInStateSql, delivery.DeliveryId, (int)delivery.State, delivery.Attempts),
        DeliveryLeasedBy leased => Q(
            "SELECT 1 FROM deliveries WHERE delivery_id = $1 AND lease_owner = $2 AND attempts = $3 AND state = $4 FOR UPDATE",
            leased.DeliveryId, leased.Worker, leased.Attempt, (int)leased.State),
        _ => throw new NotSupportedException($"The PostgreSQL store cannot check a {precondition.GetType().Name} yet."),
    };

    private static (string, object?[]) Q(string sql, params object?[] parameters) => (sql, parameters);

    private static NpgsqlBatchCommand Holds(Precondition precondition)
    {
        var (sql, parameters) = Query(precondition);
        return Statement(sql, parameters);
    }

    /// <summary>A statement that fails when <paramref name="precondition"/> does not hold (see V4__change_set_preconditions.sql).</summary>
    private static NpgsqlBatchCommand Required(Precondition precondition)
    {
        var (sql, parameters) = Query(precondition);
        return Statement($"SELECT change_set_precondition_failed() WHERE NOT EXISTS ({sql})", parameters);
    }

    private static void Queue(ChangeTransaction t, RowChange row)
    {
        if (row is InsertMessage insert)
        {
            Insert(t, insert);
        }
        else
        {
            t.Queue(Write(t, row));
        }
    }

    private static NpgsqlBatchCommand Write(ChangeTransaction t, RowChange row)
    {
        var now = AuditChain.ToMicroseconds(t.Now);
        return row switch
        {
            OpenHold hold => Statement(
                $"INSERT INTO holds (referral_seq, referral_message_id, release_party, owner, state) VALUES ({SeqOf}, $1, $2, $3, $4)",
                hold.ReferralMessageId, hold.ReleaseParty, hold.Owner, (int)hold.State),
            JoinCase join => Statement(
                "INSERT INTO case_parties (case_reference, party, owner) SELECT $1, party, $2 FROM unnest($3::text[]) AS party ON CONFLICT DO NOTHING",
                join.CaseReference, join.Owner, join.Parties.ToArray()),
            ResolveHold hold => Statement(
                $"UPDATE holds SET state = $2, resolved_by = $3, resolved_at = $4 WHERE referral_seq = {SeqOf}", hold.ReferralMessageId, (int)hold.State, hold.By, now),
            WithdrawRequest request => Statement("UPDATE messages SET withdrawn_at = $2 WHERE message_id = $1", request.RequestMessageId, now),
            WithdrawDelivery delivery => Statement(
                "UPDATE deliveries SET state = $2, finished_at = $3 WHERE delivery_id = $1", delivery.DeliveryId, (int)delivery.State, now),
            AnswerClarification answered => Statement(
                "UPDATE deliveries SET state = $2 WHERE delivery_id = $1", answered.DeliveryId, (int)DeliveryState.ClarificationAnswered),
            CloseAwaitedReply close => Statement(
                $"UPDATE awaited_replies SET closed_at = $3, closure = $4, closed_by = $5 WHERE {AwaitedRow} AND closed_at IS NULL",
                close.MessageId, close.Recipient, now, (int)close.Closure, close.ClosedBy),
            ReopenAwaitedReply reopen => Statement(
                $"UPDATE awaited_replies SET due_at = $3, closed_at = NULL, closure = NULL, closed_by = NULL, overdue_at = NULL WHERE {AwaitedRow}",
                reopen.MessageId, reopen.Recipient, AuditChain.ToMicroseconds(reopen.Due)),
            MarkReplyOverdue overdue => Statement(
                $"UPDATE awaited_replies SET overdue_at = $3 WHERE {AwaitedRow}", overdue.MessageId, overdue.Recipient, now),
            LeaseDelivery lease => Statement(
                "UPDATE deliveries SET state = $2, lease_owner = $3, lease_until = $4, attempts = $5 WHERE delivery_id = $1",
                lease.DeliveryId, (int)lease.State, lease.Worker, AuditChain.ToMicroseconds(t.Now + lease.Lease), lease.Attempts),
            ReturnDeliveryLease returned => Statement(
                "UPDATE deliveries SET state = $2, attempts = $3, lease_owner = NULL, lease_until = NULL WHERE delivery_id = $1",
                returned.DeliveryId, (int)returned.State, returned.Attempts),
            RecordDeliveryAttempt attempt => Statement(
                """
                UPDATE deliveries SET state = $2, next_attempt_at = coalesce($3, next_attempt_at), last_error = coalesce($4, last_error),
                       finished_at = $5, lease_owner = NULL, lease_until = NULL
                WHERE delivery_id = $1
                """,
                attempt.DeliveryId,
                (int)attempt.State,
                attempt.RetryAt is { } at ? AuditChain.ToMicroseconds(at) : (long?)null,
                LastError(t.Seal.SealLastError(attempt.DeliveryId, attempt.Error)),
                attempt.Finished ? now : (long?)null),
            RestartDelivery restart => Statement(
                "UPDATE deliveries SET state = $2, attempts = 0, replayed = $3, next_attempt_at = $4, created_at = $4, finished_at = NULL WHERE delivery_id = $1",
                restart.DeliveryId, (int)restart.State, restart.Replayed, now),
            RefuseHeldDelivery refused => Statement(
                "UPDATE deliveries SET state = $2, finished_at = $3 WHERE delivery_id = $1", refused.DeliveryId, (int)refused.State, now),
            _ => throw new NotSupportedException($"The PostgreSQL store cannot write a {row.GetType().Name} yet."),
        };
    }

    /// <summary>
    /// Inserts the message, then its deliveries in the order of its recipients, each with its reply deadline when the
    /// message awaits replies (a recipient sent a copy owes none). Its audit sequence is the one its entry will get: the
    /// change set's entries are appended after its rows, from the transaction's next sequence on.
    /// </summary>
    private static void Insert(ChangeTransaction t, InsertMessage insert)
    {
        var message = insert.Message;
        var now = AuditChain.ToMicroseconds(t.Now);
        t.Queue(
            """
            INSERT INTO messages (message_id, kind, case_reference, sender, recipients, content_hash, payload, created_at, accepted_at, audit_sequence, state, link_kind, link_target, case_owner, trace_parent)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
            """,
            message.MessageId,
            (int)message.Kind,
            message.CaseReference,
            message.Sender.ToString(),
            string.Join(',', insert.Recipients),
            message.ContentHash,
            t.Seal.SealPayload(message.MessageId, message.Payload),
            AuditChain.ToMicroseconds(message.CreatedAt),
            now,
            t.NextSequence + insert.AuditIndex,
            (int)insert.State,
            message.Link is { } link ? (int)link.Kind : null,
            message.Link?.TargetMessageId,
            message.CaseOwner?.ToString(),
            message.TraceParent);

        // A statement per recipient, in their order, all sent in the round trip of the change set: one statement for all
        // (unnest joined to its reply deadlines) took more of the server's time than one per recipient of a message to one.
        var copiedTo = message.CopiedTo?.ToString();
        foreach (var to in insert.Recipients)
        {
            var due = message.ReplyDue is { } replyDue && to != copiedTo ? AuditChain.ToMicroseconds(replyDue) : (long?)null;
            t.Queue(
                $"""
                WITH delivery AS (
                    INSERT INTO deliveries (message_seq, message_id, kind, recipient, case_reference, state, next_attempt_at, created_at)
                    VALUES ({SeqOf}, $1, $2, $3, $4, $5, $6, $6)
                    RETURNING delivery_id, message_seq)
                INSERT INTO awaited_replies (delivery_id, message_seq, recipient, due_at)
                SELECT delivery_id, message_seq, $3, $7::bigint FROM delivery WHERE $7::bigint IS NOT NULL
                """,
                message.MessageId, (int)message.Kind, to, message.CaseReference, (int)insert.DeliveryState, now, due);
        }
    }

    /// <summary>The last error as the bytea column holds it: sealed bytes, or the text in UTF-8 without data keys.</summary>
    private static byte[]? LastError(object? sealedOrText) => sealedOrText switch
    {
        null => null,
        byte[] bytes => bytes,
        string text => Encoding.UTF8.GetBytes(text),
        _ => throw new NotSupportedException($"A last error cannot be stored as {sealedOrText.GetType().Name}."),
    };

}
