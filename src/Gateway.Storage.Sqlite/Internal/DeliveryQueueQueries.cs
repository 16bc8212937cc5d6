using System.Text.Json;
using Gateway.Core.Audit;
using Gateway.Core.Intake;
using Gateway.Core.Storage;
using Interagency.V1;

namespace Gateway.Storage.Sqlite.Internal;

/// <summary>
/// The delivery queue's reads: which deliveries are due, in the order a claim takes them, and when the next retry is.
/// A delivery is due only if every older open delivery of its case to its recipient is due with it: none in flight,
/// none waiting for a later retry. Due deliveries come in delivery id order, so a case's deliveries to a recipient come
/// as a run, oldest first, and are sent together in that order. What a claim does with them is Core's decision
/// (<see cref="ClaimOperation"/>).
/// </summary>
internal sealed class DeliveryQueueQueries(ReaderConnections readers)
{
    private const string Open = "1, 4, 6";
    private const int Pending = (int)DeliveryState.Pending;
    private const int Retrying = (int)DeliveryState.RetryWait;

    // Every read goes through a partial index of open deliveries, named so that the planner cannot fall back on a walk
    // of the whole table in id order (which the ORDER BY ... LIMIT makes look cheap, and which grows with every delivery
    // ever made).

    /// <summary>
    /// The recipients that have deliveries waiting, one index seek each (loose scans of
    /// <c>deliveries_pending_by_recipient</c> and <c>deliveries_retrying_by_recipient</c>): a backed-off recipient's
    /// backlog is stepped over, not read.
    /// </summary>
    internal static readonly string WaitingRecipientsSql =
        $"""
        WITH RECURSIVE
        pending(recipient) AS (
            SELECT min(recipient) FROM deliveries INDEXED BY deliveries_pending_by_recipient WHERE state = {Pending}
            UNION ALL
            SELECT (SELECT min(recipient) FROM deliveries INDEXED BY deliveries_pending_by_recipient
                    WHERE state = {Pending} AND recipient > pending.recipient)
            FROM pending WHERE pending.recipient IS NOT NULL),
        retrying(recipient) AS (
            SELECT min(recipient) FROM deliveries INDEXED BY deliveries_retrying_by_recipient WHERE state = {Retrying}
            UNION ALL
            SELECT (SELECT min(recipient) FROM deliveries INDEXED BY deliveries_retrying_by_recipient
                    WHERE state = {Retrying} AND recipient > retrying.recipient)
            FROM retrying WHERE retrying.recipient IS NOT NULL)
        SELECT recipient FROM pending WHERE recipient IS NOT NULL
        UNION
        SELECT recipient FROM retrying WHERE recipient IS NOT NULL
        """;

    /// <summary>
    /// One recipient's oldest pending deliveries (all due: a pending delivery is due from when it is written) whose every
    /// older open delivery of the same case is due with them: none in flight, none waiting for a later retry.
    /// </summary>
    internal static readonly string DuePendingSql = DueSql("deliveries_pending_by_recipient", Pending);

    /// <summary>
    /// The same for the recipient's deliveries waiting for a retry that is due. Their index is ordered by retry time, so
    /// the ones not yet due (an endpoint that fails some calls can have many) are never read.
    /// </summary>
    internal static readonly string DueRetriesSql = DueSql("deliveries_retrying_by_recipient", Retrying);

    /// <summary>In-flight deliveries whose lease has run out (a crashed worker's): one seek, as leases are indexed by their end.</summary>
    internal static readonly string LeaseExpiredSql =
        $"""
        SELECT delivery_id, recipient FROM deliveries INDEXED BY deliveries_leased
        WHERE state = {(int)DeliveryState.InFlight} AND lease_until < $now
        """;

    /// <summary>
    /// The next retry's time. Pending deliveries are left out: each is due from when it is written, and a new one wakes the
    /// dispatcher itself.
    /// </summary>
    internal static readonly string NextRetryDueSql =
        $"SELECT min(next_attempt_at) FROM deliveries INDEXED BY deliveries_retry_due WHERE state = {(int)DeliveryState.RetryWait} AND next_attempt_at > $after";

    private static readonly string ReadSql =
        $"""
        SELECT {MessageReader.AliasedDeliveryColumns}, m.kind, m.payload, m.state,
               (SELECT h.state FROM holds h WHERE h.referral_seq = d.message_seq), m.trace_parent
        FROM deliveries d JOIN messages m ON m.seq = d.message_seq
        WHERE d.delivery_id IN (SELECT value FROM json_each($ids))
        ORDER BY d.delivery_id
        """;

    public async Task<DateTimeOffset?> NextRetryDueAsync(DateTimeOffset after, CancellationToken cancellationToken)
    {
        await using var connection = await readers.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = NextRetryDueSql;
        command.Parameters.AddWithValue("$after", AuditChain.ToMicroseconds(after));
        var due = await command.ExecuteScalarAsync(cancellationToken);
        return due is long micros ? AuditChain.FromMicroseconds(micros) : null;
    }

    private static string DueSql(string index, int state) =>
        $"""
        SELECT d.delivery_id FROM deliveries d INDEXED BY {index}
        WHERE d.state = {state} AND d.recipient = $recipient AND d.next_attempt_at <= $now
          AND NOT EXISTS (
              SELECT 1 FROM deliveries e
              WHERE e.recipient = d.recipient AND e.case_reference = d.case_reference
                AND e.delivery_id < d.delivery_id AND e.state IN ({Open})
                AND (e.state = {(int)DeliveryState.InFlight} OR e.next_attempt_at > $now))
        ORDER BY d.delivery_id LIMIT $max
        """;

    /// <summary>
    /// Up to <paramref name="max"/> due deliveries, oldest first, to recipients that are <paramref name="claimable"/>,
    /// read in the writer's transaction so that what a claim decides on is what it writes over.
    /// </summary>
    public static List<DueDelivery> FindDue(WriterSession session, int max, Func<string, bool> claimable)
    {
        var now = AuditChain.ToMicroseconds(session.Now);

        // The oldest due deliveries over all recipients are among each recipient's oldest: take each one's first max,
        // then the first max of them all. A case's earlier deliveries to a recipient have smaller ids than its later
        // ones, so they are never left behind while a later one is taken.
        var recipients = new List<string>();
        using (var reader = session.Command(WaitingRecipientsSql).ExecuteReader())
        {
            while (reader.Read())
            {
                var recipient = reader.GetString(0);
                if (claimable(recipient))
                {
                    recipients.Add(recipient);
                }
            }
        }

        // Each recipient's first max due of each kind hold its first max due of both, which are all a claim can take of it.
        var candidates = new List<long>();
        foreach (var sql in (ReadOnlySpan<string>)[DuePendingSql, DueRetriesSql])
        {
            var due = session.Command(sql, "$recipient", "$now", "$max");
            due.Parameters["$now"].Value = now;
            due.Parameters["$max"].Value = max;
            foreach (var recipient in recipients)
            {
                due.Parameters["$recipient"].Value = recipient;
                using var reader = due.ExecuteReader();
                while (reader.Read())
                {
                    candidates.Add(reader.GetInt64(0));
                }
            }
        }

        var expired = session.Command(LeaseExpiredSql, "$now");
        expired.Parameters["$now"].Value = now;
        using (var reader = expired.ExecuteReader())
        {
            while (reader.Read())
            {
                if (claimable(reader.GetString(1)))
                {
                    candidates.Add(reader.GetInt64(0));
                }
            }
        }

        candidates.Sort();
        var ids = candidates.Count > max ? candidates.GetRange(0, max) : candidates;
        if (ids.Count == 0)
        {
            return [];
        }

        // One statement reads them all, in delivery id order.
        var read = session.Command(ReadSql, "$ids");
        read.Parameters["$ids"].Value = JsonSerializer.Serialize(ids);
        var found = new List<DueDelivery>(ids.Count);
        using (var reader = read.ExecuteReader())
        {
            while (reader.Read())
            {
                const int Message = 11;
                var delivery = MessageReader.ReadDelivery(reader, session.Seal);
                found.Add(new DueDelivery(
                    delivery,
                    (MessageKind)reader.GetInt32(Message),
                    session.Seal.OpenPayload(delivery.MessageId, (byte[])reader[Message + 1]),
                    (MessageState)reader.GetInt32(Message + 2),
                    reader.IsDBNull(Message + 3) ? null : (HoldState)reader.GetInt32(Message + 3))
                {
                    TraceParent = reader.IsDBNull(Message + 4) ? null : reader.GetString(Message + 4),
                });
            }
        }

        return found;
    }
}
