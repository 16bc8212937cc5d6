using Gateway.Core.Encryption;
using Microsoft.Data.Sqlite;

namespace Gateway.Storage.Sqlite.Internal;

/// <summary>
/// One batch of re-encryption: the rows are read and resealed on a reader connection, off the writer's thread, and
/// the writer only swaps each value for its resealed form if it is still the value that was read (a payload never
/// changes, a last error may have been replaced by a new attempt's, which is sealed under the active key already).
/// </summary>
internal sealed class Reencryption(ReaderConnections readers, ColumnSeal seal, GroupCommitWriter writer)
{
    public async Task<ReencryptionBatch> RunAsync(ReencryptionCursor after, int batchSize, CancellationToken cancellationToken)
    {
        var keys = seal.Keys ?? throw new InvalidOperationException("The store was opened without data keys; there is no active key to re-encrypt to.");
        await using var connection = await readers.OpenAsync(cancellationToken);
        var lastMessage = await ScalarAsync(connection, "SELECT coalesce(max(seq), 0) FROM messages", cancellationToken);
        var lastDelivery = await ScalarAsync(connection, "SELECT coalesce(max(delivery_id), 0) FROM deliveries", cancellationToken);
        var updates = new List<Reseal>();
        int scanned;
        ReencryptionCursor next;
        bool done;
        if (after.MessageSeq < lastMessage)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT seq, message_id, payload FROM messages WHERE seq > $after ORDER BY seq LIMIT $limit";
            command.Parameters.AddWithValue("$after", after.MessageSeq);
            command.Parameters.AddWithValue("$limit", batchSize);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var seq = after.MessageSeq;
            scanned = 0;
            while (await reader.ReadAsync(cancellationToken))
            {
                scanned++;
                seq = reader.GetInt64(0);
                var stored = (byte[])reader[2];
                if (seal.ResealPayload(keys, reader.GetString(1), stored) is { } resealed)
                {
                    updates.Add(new Reseal(Reseal.Payload, seq, stored, resealed));
                }
            }

            next = after with { MessageSeq = seq };
            done = false;
        }
        else
        {
            await using var command = connection.CreateCommand();
            command.CommandText =
                "SELECT delivery_id, last_error FROM deliveries WHERE delivery_id > $after AND last_error IS NOT NULL ORDER BY delivery_id LIMIT $limit";
            command.Parameters.AddWithValue("$after", after.DeliveryId);
            command.Parameters.AddWithValue("$limit", batchSize);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var id = after.DeliveryId;
            scanned = 0;
            while (await reader.ReadAsync(cancellationToken))
            {
                scanned++;
                id = reader.GetInt64(0);
                var stored = reader.GetValue(1);
                if (seal.ResealLastError(keys, id, stored) is { } resealed)
                {
                    updates.Add(new Reseal(Reseal.LastError, id, stored, resealed));
                }
            }

            done = scanned < batchSize;

            // Done: every delivery up to the last one was looked at (those without an error have nothing to reseal),
            // so the position says so, and progress reads "deliveries 5/5", not the last one that had an error.
            next = after with { DeliveryId = done ? Math.Max(id, lastDelivery) : id };
        }

        var rewritten = updates.Count == 0 ? 0 : await writer.EnqueueAsync(new ResealOperation(updates), cancellationToken);
        return new ReencryptionBatch(next, scanned, rewritten, done, lastMessage, lastDelivery);
    }

    private static async Task<long> ScalarAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private sealed record Reseal(string Sql, long Row, object Stored, byte[] Resealed)
    {
        public const string Payload = "UPDATE messages SET payload = ?3 WHERE seq = ?1 AND payload = ?2";
        public const string LastError = "UPDATE deliveries SET last_error = ?3 WHERE delivery_id = ?1 AND last_error = ?2";
    }

    private sealed class ResealOperation(IReadOnlyList<Reseal> updates) : WriteOperation<int>
    {
        protected override int Execute(WriterSession session)
        {
            var changed = 0;
            foreach (var update in updates)
            {
                changed += session.Statement(update.Sql).Bind(1, update.Row).Bind(2, update.Stored).Bind(3, update.Resealed).ExecuteChanges();
            }

            return changed;
        }
    }
}
