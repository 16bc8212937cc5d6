using Interagency.V1;
using System.Diagnostics.Metrics;
using Gateway.Core.Audit;
using Gateway.Core.Encryption;
using Gateway.Core.Lifecycle;
using Gateway.Core.Storage;
using Gateway.Storage.Sqlite.Internal;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode, which this class opens and owns. Writes go through the
/// <see cref="GroupCommitWriter"/> (one thread, one transaction per batch of writes, callers answered after the commit),
/// the WAL is kept bounded by the <see cref="Checkpointer"/>, and reads run on pooled connections of their own
/// (<see cref="IntakeQueries"/>, <see cref="DeliveryQueueQueries"/>, <see cref="OperationsQueries"/>, <see cref="FeedQueries"/>,
/// <see cref="AuditQueries"/>) but for a claim's, which runs in the writer. Lifecycle transitions arrive as change sets
/// decided in Core and are applied as given (<see cref="ChangeSetApplier"/>).
/// </summary>
public sealed class SqliteMessageStore : IIntakeStore, IDeliveryQueue, IOperationsStore, IAuditLog, IUpdateFeed, ITraceStore, IStoreHealth, IReencryptionStore, IExclusiveWork, IAsyncDisposable
{
    private readonly SqliteStoreOptions _options;
    private readonly string _walPath;
    private readonly ILogger<SqliteMessageStore> _logger;
    private readonly SqliteConnection _writeConnection;
    private readonly WriterSession _session;
    private readonly FileStream _ownership;
    private readonly CasePartiesCache _caseParties = new();
    private readonly WalFlusher? _flusher;
    private readonly StoreMetrics _metrics;
    private readonly ReaderConnections _readers;
    private readonly DeliveryQueueQueries _deliveries;
    private readonly OperationsQueries _operations;
    private readonly IntakeQueries _intake;
    private readonly FeedQueries _feed;
    private readonly AuditQueries _audit;
    private readonly TraceQueries _trace;
    private readonly AuditHorizon _auditHorizon;
    private readonly GroupCommitWriter _writer;
    private readonly Checkpointer _checkpointer;
    private readonly Reencryption _reencryption;
    private int _disposed;

    /// <param name="meters">The host's meter factory, for the store's <see cref="StoreMetrics"/>; none when opened by hand.</param>
    /// <param name="keys">
    /// The data keys that seal personal data at rest (<see cref="ColumnSeal"/>); none when opened by hand in a test or
    /// benchmark, which then writes in clear and cannot read what was sealed.
    /// </param>
    public SqliteMessageStore(
        IOptions<SqliteStoreOptions> options, TimeProvider time, ILogger<SqliteMessageStore> logger, IMeterFactory? meters = null, DataKeyRing? keys = null)
    {
        var seal = new ColumnSeal(keys);
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
        long pageSize;
        long walRestartFrames;
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
            SchemaMigrator.Migrate(path, _logger);

            // One gateway process owns the file (the lock says so), so whatever it finds in flight was left by a previous
            // run that ended without recording the outcome: due again now, not when that run's lease would have run out.
            Execute(_writeConnection, $"UPDATE deliveries SET lease_until = 0 WHERE state = {(int)DeliveryState.InFlight};");

            // Checkpoints count frames: one page and a 24-byte frame header each.
            using (var command = _writeConnection.CreateCommand())
            {
                command.CommandText = "PRAGMA page_size;";
                pageSize = (long)command.ExecuteScalar()!;
            }

            _session = new WriterSession(_writeConnection, time, seal);
            _flusher = synchronous == "NORMAL" ? null : new WalFlusher(_walPath, _session.LastDeliveryId(), _metrics, _logger);

            // What the file holds at open is on disk; what is written from now on is durable once flushed.
            _auditHorizon = new AuditHorizon(_session.NextSequence - 1);
            if (_flusher is not null)
            {
                _flusher.Horizon = _auditHorizon;
            }
            walRestartFrames = _options.WalRestartBytes / (pageSize + 24);
        }
        catch
        {
            // A store that cannot be opened (of a newer schema version, say) must not keep the file or its lock.
            _metrics?.Dispose();
            _writeConnection.Dispose();
            _ownership.Dispose();
            throw;
        }

        _readers = new ReaderConnections(path);
        _metrics.ObserveBacklog(() => Volatile.Read(ref _disposed) == 0 ? BacklogQueries.OpenByRecipient(_readers) : []);
        _deliveries = new DeliveryQueueQueries(_readers);
        _operations = new OperationsQueries(_readers, seal);
        _intake = new IntakeQueries(_readers.ConnectionString, _caseParties, seal);
        _feed = new FeedQueries(_readers, seal, () => _flusher?.DurableDeliveryId ?? long.MaxValue);
        _audit = new AuditQueries(_readers, seal);
        _trace = new TraceQueries(_readers, seal);
        _writer = new GroupCommitWriter(_session, _writeConnection, _flusher, _metrics, _options.MaxBatch, _logger, Committed) { Horizon = _auditHorizon };
        _reencryption = new Reencryption(_readers, seal, _writer);
        _checkpointer = new Checkpointer(_readers.ConnectionString, _options.CheckpointInterval, walRestartFrames, _writer, _logger);
        StoreLog.Opened(_logger, path, _options.Synchronous);
    }

    /// <summary>The store's instruments: where its writes spend their time.</summary>
    public StoreMetrics Metrics => _metrics;

    public StoreUnavailableException? WriteFailure => _writer.Failure;

    /// <summary>One gateway process owns the file, so whatever it runs, it runs alone.</summary>
    public async Task<bool> RunAloneAsync(string name, Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        await work(cancellationToken);
        return true;
    }

    /// <summary>Sees each commit and flush (<see cref="IDurabilityObserver"/>); tests only, set before the writes to observe.</summary>
    internal IDurabilityObserver? DurabilityObserver
    {
        get => _writer.Observer;
        set
        {
            _writer.Observer = value;
            if (_flusher is not null)
            {
                _flusher.Observer = value;
            }
        }
    }

    /// <summary>Transactions committed so far; fewer than operations when group commit works.</summary>
    public long CommitCount => _writer.CommitCount;

    /// <summary>Disk flushes of the WAL so far (0 with <c>synchronous=NORMAL</c>); against commits, how many commits one flush served.</summary>
    public long FlushCount => _flusher?.Flushes ?? 0;

    /// <summary>
    /// Length of the WAL file now. Reused in place, it stays bounded: about <see cref="SqliteStoreOptions.WalRestartBytes"/>
    /// or, if more, what is written in one <see cref="SqliteStoreOptions.CheckpointInterval"/>.
    /// </summary>
    public long WalBytes => new FileInfo(_walPath) is { Exists: true } wal ? wal.Length : 0;

    public Task<ReencryptionBatch> ReencryptAsync(ReencryptionCursor after, int batchSize, CancellationToken cancellationToken) =>
        _reencryption.RunAsync(after, batchSize, cancellationToken);

    public Task<ChangeOutcome> AcceptAsync(ChangeSet accept, CancellationToken cancellationToken) =>
        _writer.EnqueueAsync(new AcceptOperation(accept), cancellationToken);

    public Task<StoredMessage?> FindMessageAsync(string messageId, CancellationToken cancellationToken) =>
        _intake.FindMessageAsync(messageId, cancellationToken);

    public Task<IReadOnlyList<DeliveryRecord>> GetDeliveriesAsync(string messageId, CancellationToken cancellationToken) =>
        _intake.GetDeliveriesAsync(messageId, cancellationToken);

    public Task<bool> IsReplyAwaitedAsync(string messageId, string recipient, CancellationToken cancellationToken) =>
        _intake.IsReplyAwaitedAsync(messageId, recipient, cancellationToken);

    public Task<HoldRecord?> FindHoldAsync(string referralMessageId, CancellationToken cancellationToken) =>
        _intake.FindHoldAsync(referralMessageId, cancellationToken);

    public Task<IReadOnlyList<CaseParty>> GetCasePartiesAsync(string caseReference, CancellationToken cancellationToken) =>
        _intake.GetCasePartiesAsync(caseReference, cancellationToken);

    public Task<long> AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken) =>
        entries.Count == 0 ? Task.FromResult(0L) : _writer.EnqueueAsync(new AuditOperation(entries), cancellationToken);

    public Task<IReadOnlyList<ChangeOutcome>> ApplyEachAsync(IReadOnlyList<ChangeSet> changes, CancellationToken cancellationToken) =>
        changes.Count == 0 ? Task.FromResult<IReadOnlyList<ChangeOutcome>>([]) : _writer.EnqueueAsync(new ChangeSetBatchOperation(changes), cancellationToken);

    public Task<DueClaim> ClaimDueAsync(
        int max, IReadOnlyCollection<string> excludedRecipients, Func<DueDelivery, ChangeSet?> decide, CancellationToken cancellationToken) =>
        _writer.EnqueueAsync(ClaimOperation.Except(max, excludedRecipients, decide), cancellationToken);

    public Task<DueClaim> ClaimDueToAsync(
        int max, IReadOnlyCollection<string> recipients, Func<DueDelivery, ChangeSet?> decide, CancellationToken cancellationToken) =>
        _writer.EnqueueAsync(ClaimOperation.To(max, recipients, decide), cancellationToken);

    public Task<DateTimeOffset?> NextRetryDueAsync(DateTimeOffset after, CancellationToken cancellationToken) =>
        _deliveries.NextRetryDueAsync(after, cancellationToken);

    public Task<IReadOnlyList<DeadLetterRecord>> ListDeadLettersAsync(DeadLetterQuery query, CancellationToken cancellationToken) =>
        _operations.ListDeadLettersAsync(query, cancellationToken);

    public Task<IReadOnlyList<HeldMessageRecord>> ListHeldMessagesAsync(long afterPosition, int limit, CancellationToken cancellationToken) =>
        _operations.ListHeldMessagesAsync(afterPosition, limit, cancellationToken);

    public Task<IReadOnlyList<DeliveryRecord>> GetDeliveriesByIdAsync(IReadOnlyCollection<long> deliveryIds, CancellationToken cancellationToken) =>
        _operations.GetDeliveriesByIdAsync(deliveryIds, cancellationToken);

    public Task<IReadOnlyList<DeliveryRecord>?> FindDeliveriesOfMessageAsync(string messageId, CancellationToken cancellationToken) =>
        _operations.FindDeliveriesOfMessageAsync(messageId, cancellationToken);

    public Task<IReadOnlyList<AwaitedReply>> FindRepliesDueAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        _operations.FindRepliesDueAsync(before, cancellationToken);

    public Task<IReadOnlyList<OverdueReplyRecord>> ListOverdueAsync(OverdueQuery query, CancellationToken cancellationToken) =>
        _operations.ListOverdueAsync(query, cancellationToken);

    public Task<IReadOnlyList<FeedEntry>> ReadFeedAsync(
        string recipient, IReadOnlyCollection<string> caseReferences, long afterSequence, int limit, CancellationToken cancellationToken) =>
        _feed.ReadFeedAsync(recipient, caseReferences, afterSequence, limit, cancellationToken);

    public IAsyncEnumerable<AuditRecord> ReadAuditAsync(CancellationToken cancellationToken) => _audit.ReadAuditAsync(cancellationToken);

    public Task<AuditHead?> ReadAuditHeadAsync(CancellationToken cancellationToken) => _audit.ReadAuditHeadAsync(cancellationToken);

    public Task<TracedMessage?> FindTracedMessageAsync(string messageId, CancellationToken cancellationToken) =>
        _trace.FindTracedMessageAsync(messageId, cancellationToken);

    public Task<MessageTrace?> GetMessageTraceAsync(string messageId, CancellationToken cancellationToken) =>
        _trace.GetMessageTraceAsync(messageId, cancellationToken);

    public long DurableAuditSequence => _auditHorizon.Sequence;

    public Task WaitForAuditAfterAsync(long sequence, CancellationToken cancellationToken) =>
        _auditHorizon.WaitAfterAsync(sequence, cancellationToken);

    public Task<IReadOnlyList<FlowEntry>> ReadFlowAsync(long afterSequence, long untilSequence, int limit, CancellationToken cancellationToken) =>
        _trace.ReadFlowAsync(afterSequence, untilSequence, limit, cancellationToken);

    public Task<MessageSearchPage> SearchMessagesAsync(MessageSearch search, CancellationToken cancellationToken) =>
        _trace.SearchMessagesAsync(search, cancellationToken);

    /// <summary>Stops taking writes, commits what is queued, checkpoints and closes the file.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        try
        {
            await _writer.StopAsync();
        }
        finally
        {
            if (_flusher is not null)
            {
                await _flusher.StopAsync();
            }
        }

        await _checkpointer.StopAsync();

        // After a failure what the WAL holds is not known to be on disk; copying it into the database would spread
        // that doubt. The next start recovers the WAL as after a crash.
        if (WriteFailure is null)
        {
            _checkpointer.CheckpointInBackground("TRUNCATE");
        }

        await _readers.DisposeAsync();
        _session.Dispose();
        await _writeConnection.DisposeAsync();
        await _ownership.DisposeAsync();
        _metrics.Dispose();
        StoreLog.Closed(_logger);
    }

    /// <summary>Readers see a commit at once, so cached case memberships it changed go now, not when the flush is done.</summary>
    private void Committed(WriteOperation operation)
    {
        if (operation is AcceptOperation { CaseWithNewParties: { } changed })
        {
            _caseParties.Changed(changed);
        }
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
}
