using Gateway.Core.Audit;
using Gateway.Core.Encryption;
using Gateway.Core.Intake;
using Gateway.Core.Storage;
using Npgsql;

namespace Gateway.Storage.Postgres.Internal;

/// <summary>
/// What operators and reviewers read, and the facts Core decides their changes and overdue replies on, with the SQLite
/// store's queries and meanings (<c>Gateway.Storage.Sqlite.Internal.OperationsQueries</c>).
/// </summary>
internal sealed class OperationsQueries(NpgsqlDataSource dataSource, ColumnSeal seal)
{
    private static readonly string DeadLettersSql = $"""
        SELECT m.kind, m.sender, d.finished_at, {RowReader.DeliveryColumns("d")}
        FROM deliveries d JOIN messages m ON m.seq = d.message_seq
        WHERE d.state = {(int)DeliveryState.DeadLettered} AND d.delivery_id > $1
          AND ($2::text IS NULL OR d.recipient = $2) AND ($3::text IS NULL OR d.case_reference = $3) AND ($4::text IS NULL OR m.message_id = $4)
        ORDER BY d.delivery_id LIMIT $5
        """;

    private static readonly string HeldSql = $"""
        SELECT m.seq, held.recipients, {RowReader.MessageColumns("m")}
        FROM (SELECT message_seq, string_agg(recipient, ',' ORDER BY delivery_id) AS recipients
              FROM deliveries WHERE state = {(int)DeliveryState.HeldForReview} AND message_seq > $1
              GROUP BY message_seq ORDER BY message_seq LIMIT $2) held
        JOIN messages m ON m.seq = held.message_seq
        ORDER BY m.seq
        """;

    // The partial index awaited_replies_due holds exactly the open deadlines not yet raised, by due time. A delivery held
    // for review, or refused on review, never reached its recipient, which owes nothing while it is so.
    private static readonly string RepliesDueSql = $"""
        SELECT m.message_id, m.kind, m.payload, m.sender, a.recipient, a.due_at, a.closed_at IS NOT NULL, a.overdue_at IS NOT NULL, m.trace_parent
        FROM awaited_replies a
        JOIN messages m ON m.seq = a.message_seq
        JOIN deliveries d ON d.delivery_id = a.delivery_id
        WHERE a.closed_at IS NULL AND a.overdue_at IS NULL AND a.due_at < $1
          AND d.state NOT IN ({(int)DeliveryState.HeldForReview}, {(int)DeliveryState.RefusedOnReview})
        ORDER BY a.due_at, a.delivery_id
        """;

    // The partial index awaited_replies_overdue holds exactly these, in the order listed.
    private const string OverdueSql =
        """
        SELECT a.delivery_id, m.message_id, m.kind, m.case_reference, m.sender, a.recipient, a.due_at, a.overdue_at
        FROM awaited_replies a
        JOIN messages m ON m.seq = a.message_seq
        WHERE a.overdue_at IS NOT NULL AND a.closed_at IS NULL AND (a.due_at, a.delivery_id) > ($1, $2)
          AND ($3::text IS NULL OR m.sender = $3) AND ($4::text IS NULL OR a.recipient = $4)
        ORDER BY a.due_at, a.delivery_id
        LIMIT $5
        """;

    public async Task<IReadOnlyList<DeadLetterRecord>> ListDeadLettersAsync(DeadLetterQuery query, CancellationToken cancellationToken)
    {
        await using var command = Command(
            DeadLettersSql, query.AfterDeliveryId, query.Recipient, query.CaseReference, query.MessageId, (long)query.Limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var page = new List<DeadLetterRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            page.Add(new DeadLetterRecord(
                RowReader.ReadDelivery(reader, seal, offset: 3),
                (MessageKind)reader.GetInt32(0),
                reader.GetString(1),
                RowReader.Time(reader, 2) ?? AuditChain.FromMicroseconds(0)));
        }

        return page;
    }

    public async Task<IReadOnlyList<HeldMessageRecord>> ListHeldMessagesAsync(long afterPosition, int limit, CancellationToken cancellationToken)
    {
        await using var command = Command(HeldSql, afterPosition, (long)limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var page = new List<HeldMessageRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            page.Add(new HeldMessageRecord(reader.GetInt64(0), RowReader.ReadMessage(reader, seal, offset: 2), reader.GetString(1).Split(',')));
        }

        return page;
    }

    public async Task<IReadOnlyList<DeliveryRecord>> GetDeliveriesByIdAsync(IReadOnlyCollection<long> deliveryIds, CancellationToken cancellationToken)
    {
        await using var command = Command(
            $"SELECT {RowReader.DeliveryColumns("d")} FROM deliveries d WHERE d.delivery_id = ANY($1) ORDER BY d.delivery_id", deliveryIds.ToArray());
        return await ReadDeliveriesAsync(command, cancellationToken);
    }

    /// <remarks>One statement: the message's row and its deliveries are read at one moment.</remarks>
    public async Task<IReadOnlyList<DeliveryRecord>?> FindDeliveriesOfMessageAsync(string messageId, CancellationToken cancellationToken)
    {
        await using var command = Command(
            $"""
            SELECT {RowReader.DeliveryColumns("d")}
            FROM messages m LEFT JOIN deliveries d ON d.message_seq = m.seq
            WHERE m.message_id = $1 ORDER BY d.delivery_id
            """,
            messageId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var deliveries = new List<DeliveryRecord>();
        do
        {
            if (!reader.IsDBNull(0))
            {
                deliveries.Add(RowReader.ReadDelivery(reader, seal, offset: 0));
            }
        }
        while (await reader.ReadAsync(cancellationToken));

        return deliveries;
    }

    public async Task<IReadOnlyList<AwaitedReply>> FindRepliesDueAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var command = Command(RepliesDueSql, AuditChain.ToMicroseconds(before));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var due = new List<AwaitedReply>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var messageId = reader.GetString(0);
            due.Add(new AwaitedReply(
                messageId,
                (MessageKind)reader.GetInt32(1),
                seal.OpenPayload(messageId, (byte[])reader[2]),
                reader.GetString(3),
                reader.GetString(4),
                AuditChain.FromMicroseconds(reader.GetInt64(5)),
                Closed: reader.GetBoolean(6),
                Overdue: reader.GetBoolean(7))
            {
                TraceParent = reader.IsDBNull(8) ? null : reader.GetString(8),
            });
        }

        return due;
    }

    public async Task<IReadOnlyList<OverdueReplyRecord>> ListOverdueAsync(OverdueQuery query, CancellationToken cancellationToken)
    {
        await using var command = Command(
            OverdueSql, AuditChain.ToMicroseconds(query.AfterDue), query.AfterDeliveryId, query.Sender, query.Recipient, (long)query.Limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var page = new List<OverdueReplyRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            page.Add(new OverdueReplyRecord(
                reader.GetInt64(0),
                reader.GetString(1),
                (MessageKind)reader.GetInt32(2),
                reader.GetString(3),
                reader.GetString(4),
                reader.GetString(5),
                AuditChain.FromMicroseconds(reader.GetInt64(6)),
                AuditChain.FromMicroseconds(reader.GetInt64(7))));
        }

        return page;
    }

    private NpgsqlCommand Command(string sql, params object?[] parameters)
    {
        var command = dataSource.CreateCommand(sql);
        foreach (var value in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return command;
    }

    private async Task<IReadOnlyList<DeliveryRecord>> ReadDeliveriesAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var deliveries = new List<DeliveryRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            deliveries.Add(RowReader.ReadDelivery(reader, seal, offset: 0));
        }

        return deliveries;
    }
}
