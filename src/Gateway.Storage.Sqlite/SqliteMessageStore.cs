using Interagency.V1;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Gateway.Core.Audit;
using Gateway.Core.Lifecycle;
using Gateway.Core.Storage;
using Gateway.Storage.Sqlite.Internal;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode. A single writer thread takes every write queued
/// meanwhile and commits them in one transaction (group commit), so one disk flush acknowledges many
/// messages; callers are answered only after that commit. A background connection checkpoints the WAL
/// so that checkpoints do not run inside commits; when the WAL has grown past
/// <see cref="SqliteStoreOptions.WalRestartBytes"/>, the writer copies back the last frames between two
/// batches so that the WAL starts again from its beginning instead of growing.
/// </summary>
public sealed class SqliteMessageStore : IIntakeStore, IDeliveryQueue, IOperationsStore, IAuditLog, IUpdateFeed, IStoreHealth, IAsyncDisposable
{
    // Background checkpoint rounds after the one that finds the WAL past WalRestartBytes (see CheckpointLoop).
    private const int CatchUpRounds = 3;

    private readonly SqliteStoreOptions _options;
    private readonly string _walPath;
    private readonly ILogger<SqliteMessageStore> _logger;
    private readonly string _readConnectionString;
    private readonly Channel<WriteOperation> _queue;
    private readonly Thread _writer;
    private readonly TaskCompletionSource _writerStopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Thread _checkpointer;
    private readonly TaskCompletionSource _checkpointerStopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SqliteConnection _writeConnection;
    private readonly WriterSession _session;
    private readonly long _walRestartFrames;
    private readonly FileStream _ownership;
    private readonly CasePartiesCache _caseParties = new();
    private readonly IntakeQueries _intake;
    private readonly WalFlusher? _flusher;
    private readonly StoreMetrics _metrics;
    private long _commits;
    private volatile StoreUnavailableException? _writerFailure;
    private volatile IDurabilityObserver? _observer;
    private int _disposed;

    // Set by the background checkpoint when the WAL is past WalRestartBytes; read and cleared by the writer.
    private volatile bool _walRestartDue;

    /// <param name="meters">The host's meter factory, for the store's <see cref="StoreMetrics"/>; none when opened by hand.</param>
    public SqliteMessageStore(
        IOptions<SqliteStoreOptions> options, TimeProvider time, ILogger<SqliteMessageStore> logger, IMeterFactory? meters = null)
    {
        _options = options.Value;
        _logger = logger;
        if (_options.WalRestartBytes <= 0)
        {
            throw new InvalidOperationException("Gateway:Storage:Sqlite:WalRestartBytes must be positive.");
        }

        var path = System.IO.Path.GetFullPath(_options.Path);
        _walPath = path + "-wal";
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        _ownership = TakeOwnership(path);
        var builder = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false };
        _writeConnection = new SqliteConnection(builder.ConnectionString);
        _writeConnection.Open();
        try
        {
            _metrics = new StoreMetrics(meters);

            // journal_size_limit cuts the WAL file back after a restart only when it is past the limit: well above the
            // threshold, so that the WAL is normally overwritten in place, and not extended (dearer to flush) again.
            // FULL and EXTRA would flush the WAL inside each commit, so the writer could not build its next batch meanwhile:
            // SQLite writes the frames (NORMAL) and the flusher makes them durable before anyone is answered.
            var synchronous = Synchronous(_options.Synchronous);
            Execute(_writeConnection, $"""
                PRAGMA journal_mode = WAL;
                PRAGMA synchronous = NORMAL;
                PRAGMA wal_autocheckpoint = 0;
                PRAGMA journal_size_limit = {4 * _options.WalRestartBytes};
                PRAGMA busy_timeout = 5000;
                """);
            CheckSchemaVersion(_writeConnection, path);
            Execute(_writeConnection, Schema.Create + $"PRAGMA user_version = {Schema.Version};");

            // One gateway process owns the file (the lock says so), so whatever it finds in flight was left by a previous
            // run that ended without recording the outcome: due again now, not when that run's lease would have run out.
            Execute(_writeConnection, $"UPDATE deliveries SET lease_until = 0 WHERE state = {(int)DeliveryState.InFlight};");

            // Checkpoints count frames: one page and a 24-byte frame header each.
            using (var pageSize = _writeConnection.CreateCommand())
            {
                pageSize.CommandText = "PRAGMA page_size;";
                _walRestartFrames = _options.WalRestartBytes / ((long)pageSize.ExecuteScalar()! + 24);
            }

            _session = new WriterSession(_writeConnection, time);
            _flusher = synchronous == "NORMAL" ? null : new WalFlusher(_walPath, _session.LastDeliveryId(), _metrics, _logger);
        }
        catch
        {
            // A store that cannot be opened (another schema version, say) must not keep the file or its lock.
            _metrics?.Dispose();
            _writeConnection.Dispose();
            _ownership.Dispose();
            throw;
        }

        _readConnectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, Mode = SqliteOpenMode.ReadWrite }.ConnectionString;
        _intake = new IntakeQueries(_readConnectionString, _caseParties);
        _queue = Channel.CreateBounded<WriteOperation>(new BoundedChannelOptions(16 * _options.MaxBatch)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _writer = new Thread(WriteLoop) { IsBackground = true, Name = "gateway-store-writer" };
        _writer.Start();
        // A thread of its own, like the writer's: a checkpoint reads and writes megabytes and flushes the database file,
        // and on a pool thread it would hold up the calls queued behind it (on 2 cores the pool has about 2 threads).
        _checkpointer = new Thread(CheckpointLoop) { IsBackground = true, Name = "gateway-store-checkpoint" };
        _checkpointer.Start();
        StoreLog.Opened(_logger, path, _options.Synchronous);
    }

    /// <summary>The store's instruments: where its writes spend their time.</summary>
    public StoreMetrics Metrics => _metrics;

    public StoreUnavailableException? WriteFailure => _writerFailure ?? _flusher?.Failure;

    /// <summary>Sees each commit and flush (<see cref="IDurabilityObserver"/>); tests only, set before the writes to observe.</summary>
    internal IDurabilityObserver? DurabilityObserver
    {
        get => _observer;
        set
        {
            _observer = value;
            if (_flusher is not null)
            {
                _flusher.Observer = value;
            }
        }
    }

    /// <summary>Transactions committed so far; fewer than operations when group commit works.</summary>
    public long CommitCount => Interlocked.Read(ref _commits);

    /// <summary>Disk flushes of the WAL so far (0 with <c>synchronous=NORMAL</c>); against commits, how many commits one flush served.</summary>
    public long FlushCount => _flusher?.Flushes ?? 0;

    /// <summary>
    /// Length of the WAL file now. Reused in place, it stays bounded: about <see cref="SqliteStoreOptions.WalRestartBytes"/>
    /// or, if more, what is written in one <see cref="SqliteStoreOptions.CheckpointInterval"/>.
    /// </summary>
    public long WalBytes => new FileInfo(_walPath) is { Exists: true } wal ? wal.Length : 0;

    public Task<ChangeOutcome> AcceptAsync(ChangeSet accept, CancellationToken cancellationToken) =>
        EnqueueAsync(new AcceptOperation(accept), cancellationToken);

    public Task<StoredMessage?> FindMessageAsync(string messageId, CancellationToken cancellationToken) =>
        _intake.FindMessageAsync(messageId, cancellationToken);

    public Task<IReadOnlyList<DeliveryRecord>> GetDeliveriesAsync(string messageId, CancellationToken cancellationToken) =>
        _intake.GetDeliveriesAsync(messageId, cancellationToken);

    public Task<HoldRecord?> FindHoldAsync(string referralMessageId, CancellationToken cancellationToken) =>
        _intake.FindHoldAsync(referralMessageId, cancellationToken);

    public Task<IReadOnlyList<string>> GetCasePartiesAsync(string caseReference, CancellationToken cancellationToken) =>
        _intake.GetCasePartiesAsync(caseReference, cancellationToken);

    public Task<long> AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken) =>
        entries.Count == 0 ? Task.FromResult(0L) : EnqueueAsync(new AuditOperation(entries), cancellationToken);

    public Task<IReadOnlyList<ClaimedDelivery>> ClaimDeliveriesAsync(
        string worker, TimeSpan lease, int max, IReadOnlyCollection<string> excludedRecipients, CancellationToken cancellationToken) =>
        EnqueueAsync(ClaimOperation.Except(worker, lease, max, excludedRecipients), cancellationToken);

    public Task<IReadOnlyList<ClaimedDelivery>> ClaimDeliveriesToAsync(
        string worker, TimeSpan lease, int max, IReadOnlyCollection<string> recipients, CancellationToken cancellationToken) =>
        EnqueueAsync(ClaimOperation.To(worker, lease, max, recipients), cancellationToken);

    public Task<int> ReleaseDeliveriesAsync(string worker, IReadOnlyList<long> deliveryIds, CancellationToken cancellationToken) =>
        deliveryIds.Count == 0 ? Task.FromResult(0) : EnqueueAsync(new ReleaseOperation(worker, deliveryIds), cancellationToken);

    public Task<int> CompleteDeliveriesAsync(string worker, IReadOnlyList<DeliveryCompletion> completions, CancellationToken cancellationToken) =>
        completions.Count == 0 ? Task.FromResult(0) : EnqueueAsync(new CompleteOperation(worker, completions), cancellationToken);

    public Task<IReadOnlyList<long>> ReplayDeadLettersAsync(
        IReadOnlyList<long> deliveryIds, DeadLetterQuery? query, string actor, string reason, CancellationToken cancellationToken) =>
        EnqueueAsync(new ReplayOperation(deliveryIds, query, actor, reason), cancellationToken);

    public Task<ReviewResult> ReviewHeldMessageAsync(
        string messageId, ReviewDecision decision, string actor, string reason, CancellationToken cancellationToken) =>
        EnqueueAsync(new ReviewOperation(messageId, decision, actor, reason), cancellationToken);

    public Task<IReadOnlyList<string>> RaiseOverdueAsync(CancellationToken cancellationToken) =>
        EnqueueAsync(new OverdueOperation(), cancellationToken);

    public async Task<IReadOnlyList<FeedEntry>> ReadFeedAsync(
        string recipient, IReadOnlyCollection<string> caseReferences, long afterSequence, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT d.delivery_id, d.message_id, d.case_reference, m.payload
            FROM deliveries d JOIN messages m ON m.seq = d.message_seq
            WHERE d.recipient = $recipient AND d.delivery_id > $after AND d.kind = {(int)Gateway.Core.Intake.MessageKind.CaseUpdate}
              AND ($all OR d.case_reference IN (SELECT value FROM json_each($cases)))
              AND d.delivery_id <= $durable
            ORDER BY d.delivery_id LIMIT $limit
            """;
        command.Parameters.AddWithValue("$durable", _flusher?.DurableDeliveryId ?? long.MaxValue);
        command.Parameters.AddWithValue("$recipient", recipient);
        command.Parameters.AddWithValue("$after", afterSequence);
        command.Parameters.AddWithValue("$all", caseReferences.Count == 0);
        command.Parameters.AddWithValue("$cases", System.Text.Json.JsonSerializer.Serialize(caseReferences));
        command.Parameters.AddWithValue("$limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = new List<FeedEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new FeedEntry(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), (byte[])reader[3]));
        }

        return entries;
    }

    /// <summary>
    /// The next retry's time. Pending deliveries are left out: each is due from when it is written, and a new one wakes the
    /// dispatcher itself.
    /// </summary>
    internal static readonly string NextRetryDueSql =
        $"SELECT min(next_attempt_at) FROM deliveries INDEXED BY deliveries_retry_due WHERE state = {(int)DeliveryState.RetryWait} AND next_attempt_at > $after";

    public async Task<DateTimeOffset?> NextRetryDueAsync(DateTimeOffset after, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = NextRetryDueSql;
        command.Parameters.AddWithValue("$after", AuditChain.ToMicroseconds(after));
        var due = await command.ExecuteScalarAsync(cancellationToken);
        return due is long micros ? AuditChain.FromMicroseconds(micros) : null;
    }

    public async Task<IReadOnlyList<DeadLetterRecord>> ListDeadLettersAsync(DeadLetterQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = DeadLetterSql.Select(query, "d.delivery_id, m.kind, m.sender, d.finished_at, " + MessageReader.AliasedDeliveryColumns);
        DeadLetterSql.Bind(command, query);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var page = new List<DeadLetterRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            page.Add(new DeadLetterRecord(
                MessageReader.ReadDelivery(reader, offset: 4),
                (Gateway.Core.Intake.MessageKind)reader.GetInt32(1),
                reader.GetString(2),
                AuditChain.FromMicroseconds(reader.IsDBNull(3) ? 0 : reader.GetInt64(3))));
        }

        return page;
    }

    public async Task<IReadOnlyList<HeldMessageRecord>> ListHeldMessagesAsync(long afterPosition, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
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

    public async IAsyncEnumerable<AuditRecord> ReadAuditAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = AuditReader.SelectAll;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return AuditReader.Read(reader);
        }
    }

    public async Task<AuditHead?> ReadAuditHeadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = AuditReader.SelectHead;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? AuditReader.ReadHead(reader) : null;
    }

    public async Task<IReadOnlyList<AuditRecord>> ReadAuditOfMessageAsync(string messageId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = AuditReader.SelectForMessage;
        command.Parameters.AddWithValue("$message_id", messageId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var records = new List<AuditRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(AuditReader.Read(reader));
        }

        return records;
    }

    /// <summary>Stops taking writes, commits what is queued, checkpoints and closes the file.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _queue.Writer.TryComplete();
        try
        {
            await _writerStopped.Task;
        }
        finally
        {
            if (_flusher is not null)
            {
                await _flusher.StopAsync();
            }
        }

        await _stopping.CancelAsync();
        await _checkpointerStopped.Task;

        // After a failure what the WAL holds is not known to be on disk; copying it into the database would spread
        // that doubt. The next start recovers the WAL as after a crash.
        if (WriteFailure is null)
        {
            CheckpointInBackground("TRUNCATE");
        }

        _session.Dispose();
        await _writeConnection.DisposeAsync();
        await _ownership.DisposeAsync();
        _stopping.Dispose();
        _metrics.Dispose();
        StoreLog.Closed(_logger);
    }

    private async Task<T> EnqueueAsync<T>(WriteOperation<T> operation, CancellationToken cancellationToken)
    {
        // A store that cannot write answers at once, rather than after a turn of the writer that can only fail.
        if (WriteFailure is { } failure)
        {
            throw failure;
        }

        if (!_queue.Writer.TryWrite(operation))
        {
            try
            {
                await _queue.Writer.WriteAsync(operation, cancellationToken);
            }
            catch (ChannelClosedException)
            {
                throw WriteFailure ?? (Exception)new ObjectDisposedException(nameof(SqliteMessageStore), "The store is shutting down.");
            }
        }

        // Once queued, the operation is committed or failed by the writer; cancelling the wait would not undo it.
        return await operation.Task;
    }

    private void WriteLoop()
    {
        var batch = new List<WriteOperation>(_options.MaxBatch);
        var reader = _queue.Reader;
        try
        {
            while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                while (batch.Count < _options.MaxBatch && reader.TryRead(out var operation))
                {
                    batch.Add(operation);
                }

                // Timed after the drain: an operation queued while the batch was being drained has still waited
                // until now, and a stamp taken before the drain would give it a negative wait.
                var takenAt = System.Diagnostics.Stopwatch.GetTimestamp();
                foreach (var operation in batch)
                {
                    _metrics.Taken(operation.QueuedAt, takenAt);
                }

                CommitBatch(batch);
                batch.Clear();
                if (_walRestartDue)
                {
                    RestartWal();
                }
            }

            _writerStopped.SetResult();
        }
        catch (Exception error)
        {
            StoreLog.WriterFailed(_logger, error);
            var stopped = new StoreUnavailableException(
                "The store's writer stopped: the write's outcome is not known, and the store takes no more writes until the gateway is restarted.",
                error);
            _writerFailure = stopped;
            _queue.Writer.TryComplete(error);
            foreach (var operation in batch)
            {
                operation.Fail(stopped);
            }

            while (reader.TryRead(out var operation))
            {
                operation.Fail(stopped);
            }

            _writerStopped.TrySetResult();
        }
    }

    private void CommitBatch(List<WriteOperation> batch)
    {
        if (_flusher?.Failure is { } flushFailure)
        {
            foreach (var operation in batch)
            {
                operation.Fail(flushFailure);
            }

            return;
        }

        long commit;
        long lastDeliveryId;
        long committedAt;
        try
        {
            var startedAt = System.Diagnostics.Stopwatch.GetTimestamp();
            _session.Begin();
            foreach (var operation in batch)
            {
                operation.Apply(_session);
            }

            lastDeliveryId = _flusher is null ? 0 : _session.LastDeliveryId();
            _session.Commit();
            committedAt = System.Diagnostics.Stopwatch.GetTimestamp();
            commit = Interlocked.Increment(ref _commits);
            _metrics.BatchCommitted(batch.Count, startedAt, committedAt);
        }
        catch (Exception error)
        {
            _session.Rollback();
            StoreLog.BatchFailed(_logger, batch.Count, error);
            if (batch.Count > 1)
            {
                // One bad operation must not fail the others: retry each in a transaction of its own.
                foreach (var operation in batch)
                {
                    CommitBatch([operation]);
                }

                return;
            }

            batch[0].Fail(error);
            return;
        }

        // Outside the try: the batch is committed, and whatever happens now must not make the writer apply it again.
        _observer?.Committed(commit, _session.NextSequence - 1, lastDeliveryId);

        // Readers see the commit now, so cached case parties go now, not when the flush is done.
        foreach (var operation in batch)
        {
            if (operation is AcceptOperation { CaseWithNewParties: { } changed })
            {
                _caseParties.Changed(changed);
            }
        }

        if (_flusher is null)
        {
            foreach (var operation in batch)
            {
                operation.Complete();
            }
        }
        else
        {
            _flusher.Committed([.. batch], commit, lastDeliveryId, committedAt);
        }
    }

    private void CheckpointLoop()
    {
        var checkpointedAt = -1L;
        try
        {
            while (!_stopping.Token.WaitHandle.WaitOne(_options.CheckpointInterval))
            {
                // Nothing committed since the last round: nothing to copy, so an idle gateway stays idle.
                var commits = CommitCount;
                if (commits == checkpointedAt)
                {
                    continue;
                }

                checkpointedAt = commits;

                // PASSIVE copies back what was committed before it started and never waits for the writer.
                if (CheckpointInBackground("PASSIVE") is { Frames: var frames } && frames >= _walRestartFrames)
                {
                    // Each further round copies what was committed during the one before, which took less time, so
                    // the writer is left little to copy and flush while callers wait (figures in docs/tuning-figures.md).
                    // A round with nothing new to copy is cheap.
                    for (var round = 0; round < CatchUpRounds; round++)
                    {
                        CheckpointInBackground("PASSIVE");
                    }

                    _walRestartDue = true;
                }
            }
        }
        finally
        {
            _checkpointerStopped.SetResult();
        }
    }

    /// <summary>
    /// SQLite starts the WAL again from its beginning only when a write transaction begins while every frame has
    /// been copied back. Under steady writes the background checkpoint never sees that moment: frames committed
    /// while it runs remain, so the WAL only grows. Here, between two batches, no write is in flight, and a PASSIVE
    /// checkpoint on the writer's own connection copies back those last frames (few, since the background one has
    /// just done the rest) and, being complete, flushes the database file; the writer's next transaction then
    /// restarts the WAL. PASSIVE rather than RESTART, which would hold up the writer while readers finish
    /// (busy_timeout), or TRUNCATE, after which every commit would extend the file again. Readers still using old
    /// frames can keep a restart from happening; the background checkpoint then asks again at its next tick.
    /// </summary>
    private void RestartWal()
    {
        _walRestartDue = false;
        if (Checkpoint(_writeConnection, "PASSIVE") is { } result)
        {
            StoreLog.WalRestartCheckpointed(_logger, result.Frames, result.Checkpointed, result.Busy);
        }
    }

    private CheckpointResult? CheckpointInBackground(string mode)
    {
        try
        {
            using var connection = new SqliteConnection(_readConnectionString);
            connection.Open();
            return Checkpoint(connection, mode);
        }
        catch (SqliteException error)
        {
            StoreLog.CheckpointFailed(_logger, error);
            return null;
        }
    }

    /// <summary>Runs a checkpoint and returns its row: busy, frames in the WAL, frames copied back (-1 when busy).</summary>
    private CheckpointResult? Checkpoint(SqliteConnection connection, string mode)
    {
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA wal_checkpoint({mode});";
            using var reader = command.ExecuteReader();
            reader.Read();
            return new CheckpointResult(reader.GetInt64(0) != 0, reader.GetInt64(1), reader.GetInt64(2));
        }
        catch (SqliteException error)
        {
            StoreLog.CheckpointFailed(_logger, error);
            return null;
        }
    }

    private async Task<SqliteConnection> OpenReaderAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_readConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    /// <summary>
    /// Holds an exclusive lock on <c>&lt;file&gt;.lock</c> while the store is open: two gateway processes on one file
    /// would each take the other's deliveries in flight for abandoned ones. The kernel drops the lock when the
    /// process dies, so a killed gateway never leaves it behind.
    /// </summary>
    private static FileStream TakeOwnership(string path)
    {
        try
        {
            return new FileStream(path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException error)
        {
            throw new InvalidOperationException($"The store {path} is in use by another gateway process.", error);
        }
    }

    private static void CheckSchemaVersion(SqliteConnection connection, string path)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version;";
        var version = Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        if (version != 0 && version != Schema.Version)
        {
            throw new InvalidOperationException(
                $"The store {path} has schema version {version}; this gateway reads version {Schema.Version}. Move the file away to start a new store.");
        }
    }

    private static string Synchronous(string value) => value.ToUpperInvariant() switch
    {
        "FULL" or "NORMAL" or "EXTRA" => value.ToUpperInvariant(),
        _ => throw new InvalidOperationException("Gateway:Storage:Sqlite:Synchronous must be FULL, EXTRA or NORMAL."),
    };

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private readonly record struct CheckpointResult(bool Busy, long Frames, long Checkpointed);
}
