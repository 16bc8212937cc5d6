using System.Diagnostics;
using System.Threading.Channels;
using Gateway.Core.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Gateway.Storage.Sqlite.Internal;

/// <summary>
/// The single writer: one thread takes every write queued meanwhile and commits them in one transaction (group commit),
/// so one disk flush acknowledges many operations; callers are answered only after that commit (and, with a
/// <see cref="WalFlusher"/>, after the flush that makes it durable). When the WAL is past its restart size, the writer
/// copies back the last frames between two batches so that the WAL starts again from its beginning (see
/// <see cref="RestartWal"/>).
/// </summary>
internal sealed class GroupCommitWriter
{
    private readonly WriterSession _session;
    private readonly SqliteConnection _connection;
    private readonly WalFlusher? _flusher;
    private readonly StoreMetrics _metrics;
    private readonly int _maxBatch;
    private readonly ILogger _logger;
    private readonly Action<WriteOperation> _committed;
    private readonly Channel<WriteOperation> _queue;
    private readonly Thread _thread;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _commits;
    private volatile StoreUnavailableException? _failure;

    // Set by the checkpointer when the WAL is past its restart size; read and cleared by the writer.
    private volatile bool _walRestartDue;

    /// <param name="committed">Told of each operation once its batch is committed, before its caller is answered.</param>
    public GroupCommitWriter(
        WriterSession session, SqliteConnection connection, WalFlusher? flusher, StoreMetrics metrics, int maxBatch, ILogger logger,
        Action<WriteOperation> committed)
    {
        _session = session;
        _connection = connection;
        _flusher = flusher;
        _metrics = metrics;
        _maxBatch = maxBatch;
        _logger = logger;
        _committed = committed;
        _queue = Channel.CreateBounded<WriteOperation>(new BoundedChannelOptions(16 * maxBatch)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _thread = new Thread(WriteLoop) { IsBackground = true, Name = "gateway-store-writer" };
        _thread.Start();
    }

    /// <summary>Why the writer takes no more writes (it stopped, or the WAL could not be flushed), or null while it does.</summary>
    public StoreUnavailableException? Failure => _failure ?? _flusher?.Failure;

    /// <summary>Transactions committed so far; fewer than operations when group commit works.</summary>
    public long CommitCount => Interlocked.Read(ref _commits);

    /// <summary>Sees each commit (<see cref="IDurabilityObserver"/>); tests only.</summary>
    public IDurabilityObserver? Observer { get; set; }

    /// <summary>Advanced to the audit head at each commit when there is no flusher (the commit is as durable as it gets); set before the first write.</summary>
    public AuditHorizon? Horizon { get; set; }

    /// <summary>Asks the writer to restart the WAL between its next two batches.</summary>
    public void RequestWalRestart() => _walRestartDue = true;

    public async Task<T> EnqueueAsync<T>(WriteOperation<T> operation, CancellationToken cancellationToken)
    {
        // A store that cannot write answers at once, rather than after a turn of the writer that can only fail.
        if (Failure is { } failure)
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
                throw Failure ?? (Exception)new ObjectDisposedException(nameof(SqliteMessageStore), "The store is shutting down.");
            }
        }

        // Once queued, the operation is committed or failed by the writer; cancelling the wait would not undo it.
        return await operation.Task;
    }

    /// <summary>Stops taking writes and returns once what was queued is committed (or failed).</summary>
    public Task StopAsync()
    {
        _queue.Writer.TryComplete();
        return _stopped.Task;
    }

    private void WriteLoop()
    {
        var batch = new List<WriteOperation>(_maxBatch);
        var reader = _queue.Reader;
        try
        {
            while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                while (batch.Count < _maxBatch && reader.TryRead(out var operation))
                {
                    batch.Add(operation);
                }

                // Timed after the drain: an operation queued while the batch was being drained has still waited
                // until now, and a stamp taken before the drain would give it a negative wait.
                var takenAt = Stopwatch.GetTimestamp();
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

            _stopped.SetResult();
        }
        catch (Exception error)
        {
            StoreLog.WriterFailed(_logger, error);
            var stopped = new StoreUnavailableException(
                "The store's writer stopped: the write's outcome is not known, and the store takes no more writes until the gateway is restarted.",
                error);
            _failure = stopped;
            _queue.Writer.TryComplete(error);
            foreach (var operation in batch)
            {
                operation.Fail(stopped);
            }

            while (reader.TryRead(out var operation))
            {
                operation.Fail(stopped);
            }

            _stopped.TrySetResult();
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
            var startedAt = Stopwatch.GetTimestamp();
            _session.Begin();
            foreach (var operation in batch)
            {
                operation.Apply(_session);
            }

            lastDeliveryId = _flusher is null ? 0 : _session.LastDeliveryId();
            _session.Commit();
            committedAt = Stopwatch.GetTimestamp();
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
        Observer?.Committed(commit, _session.NextSequence - 1, lastDeliveryId);

        // Readers see the commit now, so whatever is cached of what it changed goes now, not when the flush is done.
        foreach (var operation in batch)
        {
            _committed(operation);
        }

        if (_flusher is null)
        {
            Horizon?.Advance(_session.NextSequence - 1);
            foreach (var operation in batch)
            {
                operation.Complete();
            }
        }
        else
        {
            _flusher.Committed([.. batch], commit, lastDeliveryId, _session.NextSequence - 1, committedAt);
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
        if (Checkpointer.Checkpoint(_connection, "PASSIVE", _logger) is { } result)
        {
            StoreLog.WalRestartCheckpointed(_logger, result.Frames, result.Checkpointed, result.Busy);
        }
    }
}
