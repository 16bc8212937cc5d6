using System.Text.Json;
using Gateway.Core.Audit;
using Gateway.Core.Intake;
using Gateway.Core.Storage;

namespace Gateway.Storage.Sqlite.Internal;

/// <summary>What operators and reviewers read, and the facts Core decides their changes and overdue replies on.</summary>
internal sealed class OperationsQueries(ReaderConnections readers)
{
    // The partial index messages_awaiting_reply holds exactly these requests, by reply-by.
    private const string RepliesDueSql =
        """
        SELECT message_id, sender, reply_by, answered_at IS NOT NULL, withdrawn_at IS NOT NULL, overdue_at IS NOT NULL FROM messages
        WHERE reply_by IS NOT NULL AND answered_at IS NULL AND overdue_at IS NULL AND withdrawn_at IS NULL AND reply_by < $before
        ORDER BY reply_by, message_id
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
                MessageReader.ReadDelivery(reader, offset: 4),
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
            page.Add(new HeldMessageRecord(reader.GetInt64(0), MessageReader.Read(reader, offset: 2), reader.GetString(1).Split(',')));
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
                reader.GetString(1),
                AuditChain.FromMicroseconds(reader.GetInt64(2)),
                Answered: reader.GetBoolean(3),
                Withdrawn: reader.GetBoolean(4),
                Overdue: reader.GetBoolean(5)));
        }

        return due;
    }

    private static async Task<IReadOnlyList<DeliveryRecord>> ReadDeliveriesAsync(Microsoft.Data.Sqlite.SqliteCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var deliveries = new List<DeliveryRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            deliveries.Add(MessageReader.ReadDelivery(reader));
        }

        return deliveries;
    }
}
