using Gateway.Core.Encryption;
using Npgsql;

namespace Gateway.Storage.Postgres.Internal;

/// <summary>
/// One batch of re-encryption, with the SQLite store's meaning (<c>Gateway.Storage.Sqlite.Internal.Reencryption</c>): the
/// rows are read and resealed outside any transaction, then one transaction swaps each value for its resealed form only
/// if it is still the value that was read. A payload never changes; a last error may have been replaced meanwhile by a
/// dispatcher of any instance, with a new attempt's error already under the active key, and stays as that dispatcher wrote
/// it. Several runs (on several instances) may overlap: each value is swapped by one of them, the others find it changed.
/// </summary>
/// <remarks>
/// The swap waits for the row locks of the writers it meets, and under READ COMMITTED compares with the row as their
/// commit left it, so it never undoes their write. It waits only <see cref="LockTimeout"/> for a lock, well under
/// PostgreSQL's default <c>deadlock_timeout</c> (1 s): a dispatcher that records several outcomes in one transaction locks
/// their rows in its own order, and should it wait for a row of this batch while holding one the batch waits for, the
/// batch gives way (and tries again) before PostgreSQL would pick a victim, which could be the dispatcher.
/// <para>
/// A message or delivery whose insert commits after a batch went past its id (identities are handed out before the commit)
/// was sealed by its writer under that instance's active key, which is the run's when every instance has the same keys.
/// </para>
/// </remarks>
internal sealed class Reencryption(NpgsqlDataSource dataSource, ColumnSeal seal, TimeProvider time)
{
    private const string LockTimeout = "200ms";
    private const int Tries = 3;

    private const string SwapPayloads =
        """
        UPDATE messages m SET payload = u.resealed
        FROM unnest($1::bigint[], $2::bytea[], $3::bytea[]) AS u (seq, stored, resealed)
        WHERE m.seq = u.seq AND m.payload = u.stored
        """;

    private const string SwapLastErrors =
        """
        UPDATE deliveries d SET last_error = u.resealed
        FROM unnest($1::bigint[], $2::bytea[], $3::bytea[]) AS u (delivery_id, stored, resealed)
        WHERE d.delivery_id = u.delivery_id AND d.last_error = u.stored
        """;

    public async Task<ReencryptionBatch> RunAsync(ReencryptionCursor after, int batchSize, CancellationToken cancellationToken)
    {
        var keys = seal.Keys ?? throw new InvalidOperationException("The store was opened without data keys; there is no active key to re-encrypt to.");
        var (lastMessage, lastDelivery) = await LastRowsAsync(cancellationToken);
        Scan scan;
        ReencryptionCursor next;
        bool done;
        if (after.MessageSeq < lastMessage)
        {
            scan = await ScanAsync(
                SwapPayloads,
                "SELECT seq, message_id, payload FROM messages WHERE seq > $1 ORDER BY seq LIMIT $2",
                after.MessageSeq,
                batchSize,
                r => seal.ResealPayload(keys, r.GetString(1), (byte[])r[2]),
                cancellationToken);
            next = after with { MessageSeq = scan.LastRow };
            done = false;
        }
        else
        {
            scan = await ScanAsync(
                SwapLastErrors,
                "SELECT delivery_id, last_error FROM deliveries WHERE delivery_id > $1 AND last_error IS NOT NULL ORDER BY delivery_id LIMIT $2",
                after.DeliveryId,
                batchSize,
                r => seal.ResealLastError(keys, r.GetInt64(0), RowReader.LastError((byte[])r[1])),
                cancellationToken);
            done = scan.Scanned < batchSize;

            // As in the SQLite store: done means every delivery up to the last was looked at, and the position says so.
            next = after with { DeliveryId = done ? Math.Max(scan.LastRow, lastDelivery) : scan.LastRow };
        }

        var resealed = scan.Rows.Count == 0 ? 0 : await SwapAsync(scan, cancellationToken);
        return new ReencryptionBatch(next, scan.Scanned, resealed, done, lastMessage, lastDelivery);
    }

    private async Task<(long Messages, long Deliveries)> LastRowsAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT (SELECT coalesce(max(seq), 0) FROM messages), (SELECT coalesce(max(delivery_id), 0) FROM deliveries)");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>Reads the rows after <paramref name="after"/> (first column the row's id, last its stored value) and reseals those not under the active key.</summary>
    private async Task<Scan> ScanAsync(
        string swap, string select, long after, int batchSize, Func<NpgsqlDataReader, byte[]?> reseal, CancellationToken cancellationToken)
    {
        var scan = new Scan(swap, after);
        await using var command = dataSource.CreateCommand(select);
        command.Parameters.Add(new NpgsqlParameter { Value = after });
        command.Parameters.Add(new NpgsqlParameter { Value = batchSize });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            scan.Scanned++;
            scan.LastRow = reader.GetInt64(0);
            if (reseal(reader) is { } resealed)
            {
                scan.Rows.Add(scan.LastRow);
                scan.Stored.Add((byte[])reader[reader.FieldCount - 1]);
                scan.Resealed.Add(resealed);
            }
        }

        return scan;
    }

    private async Task<int> SwapAsync(Scan scan, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var transaction = await ChangeTransaction.BeginWithoutHeadAsync(dataSource, seal, time, cancellationToken);
                await transaction.ExecuteAsync($"SET LOCAL lock_timeout = '{LockTimeout}'", cancellationToken);
                await using var command = transaction.Command(scan.Swap, scan.Rows.ToArray(), scan.Stored.ToArray(), scan.Resealed.ToArray());
                var swapped = await command.ExecuteNonQueryAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return swapped;
            }
            catch (PostgresException error) when (error.SqlState == PostgresErrorCodes.LockNotAvailable && attempt < Tries)
            {
                // The transaction was rolled back and its locks released; the writer it gave way to has gone on.
            }
        }
    }

    private sealed class Scan(string swap, long after)
    {
        public string Swap => swap;

        public int Scanned { get; set; }

        public long LastRow { get; set; } = after;

        public List<long> Rows { get; } = [];

        public List<byte[]> Stored { get; } = [];

        public List<byte[]> Resealed { get; } = [];
    }
}
