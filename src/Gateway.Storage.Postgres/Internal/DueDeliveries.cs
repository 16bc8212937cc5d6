using Gateway.Core.Audit;
using Gateway.Core.Intake;
using Gateway.Core.Storage;
using Interagency.V1;

namespace Gateway.Storage.Postgres.Internal;

/// <summary>
/// Which deliveries a claim takes, with the SQLite store's meaning (<c>Gateway.Storage.Sqlite.Internal.DeliveryQueueQueries</c>):
/// due (pending, waiting for a retry whose time has come, or in flight under a lease that ran out), oldest first, and
/// a delivery only with every older open delivery of its case to its recipient. Several instances claim at once here,
/// so the due ones are locked with <c>FOR UPDATE SKIP LOCKED</c>, and one whose older delivery of the same case was
/// locked by another claim (which may be taking it now) is left for a later claim: the order is decided by the rows'
/// states and by what this claim itself holds, never by waiting for another's lock.
/// </summary>
internal static class DueDeliveries
{
    private const string Open = "1, 4, 6";
    private const int Pending = (int)DeliveryState.Pending;
    private const int Retrying = (int)DeliveryState.RetryWait;
    private const int InFlight = (int)DeliveryState.InFlight;

    /// <summary>
    /// The deliveries of a case to a recipient that keep <c>d</c> back at <c>$1</c>: an older open one that is not due
    /// with it (in flight, or waiting for a later retry).
    /// </summary>
    private static readonly string HeldBack =
        $"""
        EXISTS (
            SELECT 1 FROM deliveries e
            WHERE e.recipient = d.recipient AND e.case_reference = d.case_reference
              AND e.delivery_id < d.delivery_id AND e.state IN ({Open})
              AND (e.state = {InFlight} OR e.next_attempt_at > $1))
        """;

    /// <summary>Which recipients are claimed: all but those in <c>$2</c>, or only those in <c>$3</c> when it is not null.</summary>
    private const string Claimable = "NOT (d.recipient = ANY ($2)) AND ($3::text[] IS NULL OR d.recipient = ANY ($3))";

    /// <summary>
    /// Whether <c>d</c> is due at <c>$1</c>: waiting and not held back, or in flight under a lease that ran out.
    /// </summary>
    private static readonly string DueCondition =
        $"""
        ((d.state IN ({Pending}, {Retrying}) AND d.next_attempt_at <= $1 AND NOT {HeldBack})
         OR (d.state = {InFlight} AND d.lease_until < $1))
        AND {Claimable}
        """;

    /// <summary>
    /// The candidates, read without locks: what was due when the statement began, oldest first. One branch per kind of
    /// due delivery, each on its partial index (a walk of the whole table in id order would grow with every delivery
    /// ever made).
    /// </summary>
    private static readonly string CandidatesSql =
        $"""
        SELECT delivery_id, recipient, case_reference FROM (
            (SELECT d.delivery_id, d.recipient, d.case_reference FROM deliveries d
             WHERE d.state = {Pending} AND d.next_attempt_at <= $1 AND NOT {HeldBack} AND {Claimable}
             ORDER BY d.delivery_id LIMIT $4)
            UNION ALL
            (SELECT d.delivery_id, d.recipient, d.case_reference FROM deliveries d
             WHERE d.state = {Retrying} AND d.next_attempt_at <= $1 AND NOT {HeldBack} AND {Claimable}
             ORDER BY d.delivery_id LIMIT $4)
            UNION ALL
            (SELECT d.delivery_id, d.recipient, d.case_reference FROM deliveries d
             WHERE d.state = {InFlight} AND d.lease_until < $1 AND {Claimable}
             ORDER BY d.delivery_id LIMIT $4)) due
        ORDER BY delivery_id LIMIT $4
        """;

    /// <summary>
    /// The candidates still due now that no other claim holds, locked. An older open delivery of the case that is not
    /// among the candidates (written or put back meanwhile) keeps a later one back.
    /// </summary>
    private static readonly string LockSql =
        $"""
        SELECT d.delivery_id FROM deliveries d
        WHERE d.delivery_id = ANY ($4) AND {DueCondition}
          AND NOT EXISTS (
              SELECT 1 FROM deliveries e
              WHERE e.recipient = d.recipient AND e.case_reference = d.case_reference
                AND e.delivery_id < d.delivery_id AND e.state IN ({Open}) AND NOT (e.delivery_id = ANY ($4)))
        ORDER BY d.delivery_id
        FOR UPDATE OF d SKIP LOCKED
        """;

    private const string ReadSql =
        """
        SELECT d.delivery_id, d.message_id, d.recipient, d.case_reference, d.state, d.attempts, d.lease_owner, d.lease_until,
               d.created_at, d.last_error, d.replayed,
               m.kind, m.payload, m.state, (SELECT h.state FROM holds h WHERE h.referral_seq = d.message_seq), m.trace_parent
        FROM deliveries d JOIN messages m ON m.seq = d.message_seq
        WHERE d.delivery_id = ANY ($1)
        ORDER BY d.delivery_id
        """;

    /// <summary>
    /// Up to <paramref name="max"/> due deliveries, oldest first, locked in <paramref name="transaction"/> for it alone.
    /// </summary>
    /// <param name="excluded">Recipients whose deliveries are left.</param>
    /// <param name="only">The only recipients whose deliveries are taken, or null for all.</param>
    public static async Task<List<DueDelivery>> LockAsync(
        ChangeTransaction transaction, Reads reads, int max, string[] excluded, string[]? only, CancellationToken cancellationToken)
    {
        var now = AuditChain.ToMicroseconds(transaction.Now);
        var candidates = new List<(long Id, string Recipient, string Case)>();
        await using (var command = transaction.Command(CandidatesSql, now, excluded, only, max))
        {
            command.Parameters[2].NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                candidates.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2)));
            }
        }

        if (candidates.Count == 0)
        {
            return [];
        }

        var ids = candidates.Select(c => c.Id).ToArray();
        var locked = new HashSet<long>();
        await using (var command = transaction.Command(LockSql, now, excluded, only, ids))
        {
            command.Parameters[2].NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                locked.Add(reader.GetInt64(0));
            }
        }

        // A candidate another claim holds (or that stopped being due) keeps its case's later deliveries to its recipient
        // back, as it would if it were in flight: taking them now could send them before it.
        var blocked = new HashSet<(string, string)>();
        var taken = new List<long>();
        foreach (var (id, recipient, caseReference) in candidates)
        {
            if (!locked.Contains(id))
            {
                blocked.Add((recipient, caseReference));
            }
            else if (!blocked.Contains((recipient, caseReference)))
            {
                taken.Add(id);
            }
        }

        return taken.Count == 0 ? [] : await ReadAsync(transaction, reads, [.. taken], cancellationToken);
    }

    private static async Task<List<DueDelivery>> ReadAsync(ChangeTransaction transaction, Reads reads, long[] ids, CancellationToken cancellationToken)
    {
        await using var command = transaction.Command(ReadSql, ids);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var found = new List<DueDelivery>(ids.Length);
        while (await reader.ReadAsync(cancellationToken))
        {
            const int Message = 11;
            var delivery = reads.ReadDelivery(reader);
            found.Add(new DueDelivery(
                delivery,
                (MessageKind)reader.GetInt32(Message),
                transaction.Seal.OpenPayload(delivery.MessageId, (byte[])reader[Message + 1]),
                (MessageState)reader.GetInt32(Message + 2),
                reader.IsDBNull(Message + 3) ? null : (HoldState)reader.GetInt32(Message + 3))
            {
                TraceParent = reader.IsDBNull(Message + 4) ? null : reader.GetString(Message + 4),
            });
        }

        return found;
    }
}
