using Gateway.Core.Audit;
using Gateway.Core.Encryption;
using Gateway.Core.Lifecycle;
using Gateway.Core.Storage;
using Gateway.Storage.Postgres.Internal;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Gateway.Storage.Postgres;

/// <summary>
/// The shared store: one PostgreSQL database that any number of gateway instances use at once. Each change set is
/// committed in a transaction (with others, see group commit below) on a connection from Npgsql's pool, and answered once
/// PostgreSQL committed it, which with <c>synchronous_commit = on</c> (the default) means flushed to its WAL. Every transaction that appends to the audit
/// chain first locks the chain's head row (<see cref="ChangeTransaction"/>), so the instances write one chain between them.
/// Payloads, last errors and justifications are sealed with the same <see cref="ColumnSeal"/> as in the SQLite store.
/// </summary>
/// <remarks>
/// Intake and the audit log here; the delivery queue (claims by <c>FOR UPDATE SKIP LOCKED</c>), the trace queries, the
/// update feed (woken by LISTEN/NOTIFY) and the operators' queries in the other parts of this class. The store's health
/// (recovering when the database returns) and the choice of this store by configuration come next; the gateway does
/// not offer it until they do.
/// <para>
/// Group commit: acceptances, audit appends and the delivery queue's change sets that need the head are queued to one
/// writer per store (<see cref="GroupCommitWriter"/>), which applies what its callers queued meanwhile in one transaction
/// under one lock of the head, a write that fails failing alone, and commits once: one wait for the lock and one WAL
/// flush serve many callers, who hold no connection while they wait. PostgreSQL's own <c>commit_delay</c> shares flushes
/// between concurrent commits but not the lock, which is why the store does it itself.
/// </para>
/// </remarks>
public sealed partial class PostgresMessageStore : IIntakeStore, IAuditLog, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _time;
    private readonly ILogger<PostgresMessageStore> _logger;
    private readonly ColumnSeal _seal;
    private readonly Reads _reads;
    private readonly TraceQueries _trace;
    private readonly FeedQueries _feed;
    private readonly OperationsQueries _operations;
    private readonly AuditHeadListener _auditHead;

    /// <summary>1 from a call that found the database unreachable until one that reached it (<see cref="Guarded{T}"/>).</summary>
    private int _unreachable;
    private readonly GroupCommitWriter _writer;

    private PostgresMessageStore(NpgsqlDataSource dataSource, TimeProvider time, ILogger<PostgresMessageStore> logger, ColumnSeal seal, AuditHeadListener auditHead)
    {
        _dataSource = dataSource;
        _time = time;
        _logger = logger;
        _seal = seal;
        _reads = new Reads(dataSource, seal);
        _trace = new TraceQueries(dataSource, seal);
        _feed = new FeedQueries(dataSource, seal);
        _operations = new OperationsQueries(dataSource, seal);
        _auditHead = auditHead;
        _writer = new GroupCommitWriter(dataSource, seal, time, logger);
    }

    /// <summary>Transactions the group commit writer committed so far; fewer than the writes it took when group commit works.</summary>
    public long CommitCount => _writer.CommitCount;

    /// <summary>Connects, brings the schema to this binary's version (<see cref="SchemaMigrations"/>) and opens the store.</summary>
    /// <param name="keys">
    /// The data keys that seal personal data at rest; none when opened by hand in a test or benchmark, which then writes
    /// in clear and cannot read what was sealed.
    /// </param>
    public static async Task<PostgresMessageStore> OpenAsync(
        string connectionString, TimeProvider time, ILogger<PostgresMessageStore> logger, DataKeyRing? keys = null, CancellationToken cancellationToken = default)
    {
        var dataSource = NpgsqlDataSource.Create(WithAutoPrepare(connectionString));
        try
        {
            await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
            {
                SchemaMigrations.Migrate(connection, logger);
            }

            var auditHead = await AuditHeadListener.StartAsync(dataSource, logger, cancellationToken);
            var settings = new NpgsqlConnectionStringBuilder(connectionString);
            PostgresStoreLog.Opened(logger, settings.Host, settings.Port, settings.Database);
            return new PostgresMessageStore(dataSource, time, logger, new ColumnSeal(keys), auditHead);
        }
        catch
        {
            await dataSource.DisposeAsync();
            throw;
        }
    }

    /// <remarks>
    /// Should the connection fail during the commit, the caller cannot know whether the message was stored, and is told
    /// UNAVAILABLE; sent again with the same id, it finds the first acceptance (its id taken) or is accepted now.
    /// </remarks>
    public Task<ChangeOutcome> AcceptAsync(ChangeSet accept, CancellationToken cancellationToken) =>
        _writer.EnqueueAsync((transaction, ct) => ChangeSetApplier.ApplyAsync(transaction, accept, ct), cancellationToken);

    public Task<long> AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken) =>
        entries.Count == 0
            ? Task.FromResult(0L)
            : _writer.EnqueueAsync(
                (transaction, _) =>
                {
                    var sequence = 0L;
                    foreach (var entry in entries)
                    {
                        sequence = transaction.AppendAudit(entry);
                    }

                    return Task.FromResult(sequence);
                },
                cancellationToken);

    public Task<StoredMessage?> FindMessageAsync(string messageId, CancellationToken cancellationToken) =>
        Guarded(() => _reads.FindMessageAsync(messageId, cancellationToken));

    public Task<IReadOnlyList<DeliveryRecord>> GetDeliveriesAsync(string messageId, CancellationToken cancellationToken) =>
        Guarded(() => _reads.GetDeliveriesAsync(messageId, cancellationToken));

    public Task<bool> IsReplyAwaitedAsync(string messageId, string recipient, CancellationToken cancellationToken) =>
        Guarded(() => _reads.IsReplyAwaitedAsync(messageId, recipient, cancellationToken));

    public Task<HoldRecord?> FindHoldAsync(string referralMessageId, CancellationToken cancellationToken) =>
        Guarded(() => _reads.FindHoldAsync(referralMessageId, cancellationToken));

    public Task<IReadOnlyList<CaseParty>> GetCasePartiesAsync(string caseReference, CancellationToken cancellationToken) =>
        Guarded(() => _reads.GetCasePartiesAsync(caseReference, cancellationToken));

    public IAsyncEnumerable<AuditRecord> ReadAuditAsync(CancellationToken cancellationToken) => _reads.ReadAuditAsync(cancellationToken);

    public Task<AuditHead?> ReadAuditHeadAsync(CancellationToken cancellationToken) => Guarded(() => _reads.ReadAuditHeadAsync(cancellationToken));

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        await _auditHead.DisposeAsync();
        await _dataSource.DisposeAsync();
    }

    /// <summary>
    /// The store sends the same few statements over and over; prepared once per connection, they are neither parsed nor
    /// planned again, which took about half of the server's time per acceptance. A connection string that sets
    /// <c>Max Auto Prepare</c> itself keeps its value.
    /// </summary>
    private static string WithAutoPrepare(string connectionString)
    {
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        if (settings.MaxAutoPrepare == 0)
        {
            settings.MaxAutoPrepare = 64;
        }

        return settings.ConnectionString;
    }

    /// <summary>
    /// A database that cannot be reached (stopped, restarting, failing over, the network down) is no fault of the caller,
    /// and the call may succeed once it is back: the wire says UNAVAILABLE. Unlike the SQLite store's, the failure is not
    /// kept: the next call tries the database again.
    /// </summary>
    /// <remarks>
    /// Logged when the database stops answering and when it answers again, not for every call in between: an outage of a
    /// few seconds under load fails hundreds of calls, each of which its caller is told about.
    /// </remarks>
    private async Task<T> Guarded<T>(Func<Task<T>> call)
    {
        try
        {
            var result = await call();
            if (Volatile.Read(ref _unreachable) == 1 && Interlocked.Exchange(ref _unreachable, 0) == 1)
            {
                PostgresStoreLog.Reachable(_logger);
            }

            return result;
        }
        catch (NpgsqlException error) when (error.IsTransient)
        {
            if (Interlocked.Exchange(ref _unreachable, 1) == 0)
            {
                PostgresStoreLog.Unreachable(_logger, error);
            }

            throw new StoreUnavailableException("The PostgreSQL store cannot be reached; try again.", error);
        }
    }
}
