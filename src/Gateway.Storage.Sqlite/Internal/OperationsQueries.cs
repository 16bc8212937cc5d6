using System.Text.Json;
using Gateway.Core.Audit;
using Gateway.Core.Intake;
using Gateway.Core.Storage;
using Gateway.Core.Encryption;

namespace Gateway.Storage.Sqlite.Internal;

/// <summary>What operators and reviewers read, and the facts Core decides their changes and overdue replies on.</summary>
internal sealed class OperationsQueries(ReaderConnections readers, ColumnSeal seal)
{
    // The partial index awaited_replies_due holds exactly the open deadlines not yet raised, by due time. A delivery held
    // for review, or refused on review, never reached its recipient, which owes nothing while it is so.
    private static readonly string RepliesDueSql = $"""
        SELECT m.message_id, m.kind, m.payload, m.sender, a.recipient, a.due_at, a.closed_at IS NOT NULL, a.overdue_at IS NOT NULL, m.trace_parent
        FROM awaited_replies a
        JOIN messages m ON m.seq = a.message_seq
        JOIN deliveries d ON d.delivery_id = a.delivery_id
        WHERE a.closed_at IS NULL AND a.overdue_at IS NULL AND a.due_at < $before
          AND d.state NOT IN ({(int)DeliveryState.HeldForReview}, {(int)DeliveryState.RefusedOnReview})
        ORDER BY a.due_at, a.delivery_id
        """;

    // The partial index awaited_replies_overdue holds exactly these, in the order listed.
    private const string OverdueSql =
        """
        SELECT a.delivery_id, m.message_id, m.kind, m.case_reference, m.sender, a.recipient, a.due_at, a.overdue_at
        FROM awaited_replies a
        JOIN messages m ON m.seq = a.message_seq
        WHERE a.overdue_at IS NOT NULL AND a.closed_at IS NULL AND (a.due_at, a.delivery_id) > ($after_due, $after_id)
          AND ($sender IS NULL OR m.sender = $sender) AND ($recipient IS NULL OR a.recipient = $recipient)
        ORDER BY a.due_at, a.delivery_id
        LIMIT $limit
        """;

    public async Task<IReadOnlyList<DeadLetterRecord>> ListDeadLettersAsync(DeadLetterQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await readers.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = DeadLetterSql.Select(query, "d.delivery_id, m.kind, m.sender, d.finished_at, " + MessageReader.AliasedDeliveryColumns);
        DeadLetterSql.Bind(command, query);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var page = new List<DeadLetterRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            page.Add(new DeadLetterRecord(
                MessageReader.ReadDelivery(reader, seal, offset: 4),
                (MessageKind)reader.GetInt32(1),
                reader.GetString(2),
                AuditChain.FromMicroseconds(reader.IsDBNull(3) ? 0 : reader.GetInt64(3))));
        }

        return page;
    }

    public async Task<IReadOnlyList<HeldMessageRecord>> ListHeldMessagesAsync(long afterPosition, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await readers.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT m.seq, held.recipients, {MessageReader.MessageColumns("m")}
            FROM (SELECT message_seq, group_concat(recipient, ',' ORDER BY delivery_id) AS recipients
                  FROM deliveries WHERE state = {(int)DeliveryState.HeldForReview} AND message_seq > $after
                  GROUP BY message_seq ORDER BY message_seq LIMIT $limit) held
            JOIN messages m ON m.seq = held.message_seq
            ORDER BY m.seq
            """;
        command.Parameters.AddWithValue("$after", afterPosition);
        command.Parameters.AddWithValue("$limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var page = new List<HeldMessageRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            page.Add(new HeldMessageRecord(reader.GetInt64(0), MessageReader.Read(reader, seal, offset: 2), reader.GetString(1).Split(',')));
        }

        return page;
    }

    public async Task<IReadOnlyList<DeliveryRecord>> GetDeliveriesByIdAsync(IReadOnlyCollection<long> deliveryIds, CancellationToken cancellationToken)
    {
        await using var connection = await readers.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {MessageReader.DeliveryColumns} FROM deliveries WHERE delivery_id IN (SELECT value FROM json_each($ids)) ORDER BY delivery_id";
        command.Parameters.AddWithValue("$ids", JsonSerializer.Serialize(deliveryIds));
        return await ReadDeliveriesAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<DeliveryRecord>?> FindDeliveriesOfMessageAsync(string messageId, CancellationToken cancellationToken)
    {
        await using var connection = await readers.OpenAsync(cancellationToken);
        await using var snapshot = connection.BeginTransaction(deferred: true);
        await using var find = connection.CreateCommand();
        find.Transaction = snapshot;
        find.CommandText = "SELECT seq FROM messages WHERE message_id = $message_id";
        find.Parameters.AddWithValue("$message_id", messageId);
        if (await find.ExecuteScalarAsync(cancellationToken) is not long seq)
        {
            return null;
        }

        await using var command = connection.CreateCommand();
        command.Transaction = snapshot;
        command.CommandText = $"SELECT {MessageReader.DeliveryColumns} FROM deliveries WHERE message_seq = $seq ORDER BY delivery_id";
        command.Parameters.AddWithValue("$seq", seq);
        return await ReadDeliveriesAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<AwaitedReply>> FindRepliesDueAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var connection = await readers.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = RepliesDueSql;
        command.Parameters.AddWithValue("$before", AuditChain.ToMicroseconds(before));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var due = new List<AwaitedReply>();
        while (await reader.ReadAsync(cancellationToken))
        {
            due.Add(new AwaitedReply(
                reader.GetString(0),
                (MessageKind)reader.GetInt32(1),
                seal.OpenPayload(reader.GetString(0), (byte[])reader[2]),
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
        await using var connection = await readers.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = OverdueSql;
        command.Parameters.AddWithValue("$after_due", AuditChain.ToMicroseconds(query.AfterDue));
        command.Parameters.AddWithValue("$after_id", query.AfterDeliveryId);
        command.Parameters.AddWithValue("$sender", (object?)query.Sender ?? DBNull.Value);
        command.Parameters.AddWithValue("$recipient", (object?)query.Recipient ?? DBNull.Value);
        command.Parameters.AddWithValue("$limit", query.Limit);
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

    private async Task<IReadOnlyList<DeliveryRecord>> ReadDeliveriesAsync(Microsoft.Data.Sqlite.SqliteCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var deliveries = new List<DeliveryRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            deliveries.Add(MessageReader.ReadDelivery(reader, seal));
        }

        return deliveries;
    }
}
