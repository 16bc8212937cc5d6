using System.Threading.Channels;
using Gateway.Core.Encryption;
using Gateway.Core.Storage;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Gateway.Storage.Postgres.Internal;

/// <summary>
/// Group commit, as the SQLite store's writer does it: one loop per store takes every write that concurrent callers
/// queued meanwhile and applies them in one transaction under one lock of the chain's head (<see cref="ChangeTransaction"/>),
/// so that one wait for the lock and one WAL flush serve them all, and only one pooled connection is busy however many
/// callers wait. A write that fails (a constraint violated, a precondition that does not hold) fails alone, the others
/// still commit (<see cref="ApplyAsync"/>). Callers are answered once the batch committed.
/// The batch's writes go to the server in one round trip, with the move of the chain's head, and its statements are prepared
/// once per connection (<c>Max Auto Prepare</c>): on loaded cores, round trips and the server's
/// parsing and planning, not the WAL flush, were what a batch spent its time on.
/// </summary>
/// <remarks>
/// A precondition that fails wrote nothing (the applier checks every one before its first write), so it needs no
/// rollback: its caller gets the outcome, the batch goes on. A connection lost during the batch or its commit fails every
/// caller of the batch as unavailable: whether the commit happened is not known, and a message sent again with the same
/// id finds its first acceptance or is accepted now. Several instances still take turns on the head, one batch each: after
/// the lock, a batch costs two round trips (its writes with the head's move, then the commit), which with three instances on
/// two loaded cores was what the others waited for (lock waits on <c>audit_head</c>, bench <c>--scenario postgres</c>).
/// </remarks>
internal sealed class GroupCommitWriter : IAsyncDisposable
{
    /// <summary>
    /// Most writes one batch carries: a bound on the round trip's size, and on the writes applied again one by one when
    /// one of them fails. Applied alone, each write gets a subtransaction; past 64 of them in one transaction PostgreSQL's
    /// per-session cache of them overflows, and every other session's snapshot must then look them up on disk.
    /// </summary>
    public const int MaxBatch = 64;

    private readonly NpgsqlDataSource _dataSource;
    private readonly ColumnSeal _seal;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<QueuedWrite> _queue = Channel.CreateBounded<QueuedWrite>(
        new BoundedChannelOptions(16 * MaxBatch) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly Task _loop;
    private long _commits;

    public GroupCommitWriter(NpgsqlDataSource dataSource, ColumnSeal seal, TimeProvider time, ILogger logger)
    {
        _dataSource = dataSource;
        _seal = seal;
        _time = time;
        _logger = logger;
        _loop = Task.Run(WriteLoopAsync);
    }

    /// <summary>Transactions committed so far; fewer than writes when group commit works.</summary>
    public long CommitCount => Interlocked.Read(ref _commits);

    /// <summary>
    /// Queues <paramref name="apply"/> for the next batch and returns its result once that batch committed. Cancelled
    /// while still queued, it is withdrawn; once a batch has taken it, it is committed or failed with the batch.
    /// </summary>
    public async Task<T> EnqueueAsync<T>(Func<ChangeTransaction, CancellationToken, Task<T>> apply, CancellationToken cancellationToken)
    {
        var write = new QueuedWrite<T>(apply);
        try
        {
            await _queue.Writer.WriteAsync(write, cancellationToken);
        }
        catch (ChannelClosedException)
        {
            throw new ObjectDisposedException(nameof(PostgresMessageStore), "The store is shutting down.");
        }

        using (cancellationToken.Register(static (state, token) => ((QueuedWrite<T>)state!).Cancel(token), write))
        {
            return await write.Task;
        }
    }

    /// <summary>Takes no more writes and returns once those queued are committed (or failed).</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }

    private async Task WriteLoopAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<QueuedWrite>(MaxBatch);
        while (await reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && reader.TryRead(out var write))
            {
                if (write.TryTake())
                {
                    batch.Add(write);
                }
            }

            if (batch.Count > 0)
            {
                await CommitAsync(batch);
                batch.Clear();
            }
        }
    }

    // The callers' tokens do not reach the batch's statements: once taken, a write is committed or failed with the others.
    private async Task CommitAsync(List<QueuedWrite> batch)
    {
        try
        {
            await using var transaction = await ChangeTransaction.BeginAsync(_dataSource, _seal, _time, CancellationToken.None);
            await ApplyAsync(transaction, batch);
            await transaction.CommitAsync(CancellationToken.None);
        }
        catch (NpgsqlException error) when (error.IsTransient)
        {
            PostgresStoreLog.Unreachable(_logger, error);
            FailAll(batch, new StoreUnavailableException("The PostgreSQL store cannot be reached; try again.", error));
            return;
        }
        catch (Exception error)
        {
            PostgresStoreLog.BatchFailed(_logger, batch.Count, error);
            FailAll(batch, error);
            return;
        }

        Interlocked.Increment(ref _commits);

        // A write that failed alone has its answer already; completing it again changes nothing.
        foreach (var write in batch)
        {
            write.Complete();
        }
    }

    /// <summary>
    /// Sends the batch's writes in one round trip, behind one savepoint for the round. A write that fails there (a precondition
    /// that does not hold, a constraint violated) stops the round trip, and PostgreSQL does not say which write it was:
    /// the round trip is undone, and each write that had not failed already is applied again alone, statement by
    /// statement, which tells its caller which precondition failed, or fails it alone. Rare: a message sent twice at once.
    /// </summary>
    private async Task ApplyAsync(ChangeTransaction transaction, List<QueuedWrite> batch)
    {
        transaction.Pipelined = true;
        var round = transaction.SaveRound();
        var failed = new bool[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            var savepoint = transaction.Save();
            try
            {
                await batch[i].ApplyAsync(transaction, CancellationToken.None);
            }
            catch (Exception error)
            {
                // Nothing of it was sent: forgetting what it queued undoes it.
                transaction.Discard(savepoint);
                PostgresStoreLog.WriteRolledBack(_logger, batch.Count, error);
                batch[i].Fail(error);
                failed[i] = true;
            }
        }

        try
        {
            transaction.QueueHeadMove();
            await transaction.FlushAsync(CancellationToken.None);
        }
        catch (PostgresException error) when (!error.IsTransient)
        {
            await transaction.RollbackRoundAsync(round, CancellationToken.None);
            transaction.Pipelined = false;
            for (var i = 0; i < batch.Count; i++)
            {
                if (!failed[i])
                {
                    await ApplyAloneAsync(transaction, batch, batch[i]);
                }
            }
        }
    }

    private async Task ApplyAloneAsync(ChangeTransaction transaction, List<QueuedWrite> batch, QueuedWrite write)
    {
        var savepoint = transaction.Save();
        try
        {
            await write.ApplyAsync(transaction, CancellationToken.None);
            await transaction.FlushAsync(CancellationToken.None);
        }
        catch (Exception error) when (error is not NpgsqlException { IsTransient: true })
        {
            await transaction.RollbackAsync(savepoint, CancellationToken.None);
            PostgresStoreLog.WriteRolledBack(_logger, batch.Count, error);
            write.Fail(error);
        }
    }

    private static void FailAll(List<QueuedWrite> batch, Exception error)
    {
        foreach (var write in batch)
        {
            write.Fail(error);
        }
    }
}
