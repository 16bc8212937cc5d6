using System.Threading.Channels;
using Gateway.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Gateway.Storage.Sqlite.Internal;

/// <summary>
/// Makes committed batches durable and only then answers their callers. The writer commits with SQLite's
/// <c>synchronous=NORMAL</c>, which writes the WAL frames but does not flush them, and hands the batch here; this
/// thread flushes the WAL file to disk while the writer already builds the next batch. One flush covers every batch
/// committed before it began, so batches that pile up during a flush share the next one.
/// </summary>
/// <remarks>
/// A flush that fails leaves the disk state unknown, as after a crash: the batches it covered are failed, and so is
/// every later one (<see cref="Failure"/>), until the gateway is restarted and SQLite recovers the WAL. A later flush
/// that succeeds would prove nothing: Linux may drop the pages a failed fsync could not write and report the next
/// fsync clean (PostgreSQL's "fsyncgate", 2018), so the store does not try again.
/// </remarks>
internal sealed class WalFlusher
{
    private readonly FileStream _wal;
    private readonly Channel<Commit> _committed = Channel.CreateUnbounded<Commit>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly StoreMetrics _metrics;
    private readonly ILogger _logger;
    private readonly Thread _thread;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _flushes;
    private long _durableDeliveryId;
    private volatile StoreUnavailableException? _failure;
    private volatile IDurabilityObserver? _observer;

    /// <param name="walPath">The database's <c>-wal</c> file. The writer's connection keeps it open, so SQLite neither deletes nor replaces it meanwhile; an empty one is a valid empty log, should it not exist yet.</param>
    /// <param name="lastDeliveryId">The highest delivery id in the store now, all of it on disk.</param>
    public WalFlusher(string walPath, long lastDeliveryId, StoreMetrics metrics, ILogger logger)
    {
        _metrics = metrics;
        _logger = logger;
        _durableDeliveryId = lastDeliveryId;
        _wal = new FileStream(walPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        _thread = new Thread(FlushLoop) { IsBackground = true, Name = "gateway-store-flush" };
        _thread.Start();
    }

    /// <summary>Flushes so far; against commits, it tells how many commits one flush served.</summary>
    public long Flushes => Interlocked.Read(ref _flushes);

    /// <summary>
    /// The highest delivery id known to be on disk. Readers that hand deliveries to the outside (the update feed) stop
    /// there: a delivery committed but not yet flushed could vanish in a crash, and its id be given to another.
    /// </summary>
    public long DurableDeliveryId => Interlocked.Read(ref _durableDeliveryId);

    /// <summary>Advanced to the audit sequence each flush makes durable; set before the first write.</summary>
    public AuditHorizon? Horizon { get; set; }

    /// <summary>Why flushing stopped, if it did: what a write covered by the failed flush, or any write after it, fails with.</summary>
    public StoreUnavailableException? Failure => _failure;

    /// <summary>Sees each flush start and end (<see cref="IDurabilityObserver"/>); tests only.</summary>
    public IDurabilityObserver? Observer
    {
        get => _observer;
        set => _observer = value;
    }

    /// <summary>Called by the writer after a commit: the batch's callers are answered once a flush has covered it.</summary>
    /// <param name="number">The commit's number, counted by the writer from 1.</param>
    /// <param name="lastDeliveryId">The highest delivery id once the batch was committed.</param>
    /// <param name="committedAt">When the commit ended (a <see cref="System.Diagnostics.Stopwatch"/> timestamp).</param>
    /// <param name="lastAuditSequence">The audit sequence of the chain's head once the batch was committed.</param>
    public void Committed(WriteOperation[] batch, long number, long lastDeliveryId, long lastAuditSequence, long committedAt)
    {
        if (!_committed.Writer.TryWrite(new Commit(batch, number, lastDeliveryId, lastAuditSequence, committedAt)))
        {
            throw new InvalidOperationException("The WAL flusher was stopped before the writer.");
        }
    }

    /// <summary>Flushes what the writer has committed, answers its callers and stops. The writer must have stopped.</summary>
    public async Task StopAsync()
    {
        _committed.Writer.TryComplete();
        await _stopped.Task;
        await _wal.DisposeAsync();
    }

    private void FlushLoop()
    {
        var reader = _committed.Reader;
        var covered = new List<WriteOperation[]>();
        var committedAt = new List<long>();
        var lastDeliveryId = 0L;
        var lastAuditSequence = 0L;
        var lastCommit = 0L;
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            // Everything drained here was written to the WAL before this flush starts, so the flush covers it.
            var writes = 0;
            while (reader.TryRead(out var committed))
            {
                covered.Add(committed.Batch);
                committedAt.Add(committed.CommittedAt);
                writes += committed.Batch.Length;
                lastDeliveryId = Math.Max(lastDeliveryId, committed.LastDeliveryId);
                lastAuditSequence = Math.Max(lastAuditSequence, committed.LastAuditSequence);
                lastCommit = committed.Number;
            }

            // Timed after the drain, so that a batch committed while it ran is not given a negative delay.
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            foreach (var at in committedAt)
            {
                _metrics.FlushStarted(at, started);
            }

            committedAt.Clear();

            if (_failure is null)
            {
                var flush = Flushes + 1;
                try
                {
                    _observer?.FlushStarting(flush, lastCommit);
                    _wal.Flush(flushToDisk: true);
                    _metrics.Flushed(writes, started, System.Diagnostics.Stopwatch.GetTimestamp());
                    Interlocked.Increment(ref _flushes);

                    // The observer hears of the flush before the new horizon is published: a feed reader that sees the
                    // horizon on another thread could otherwise be recorded as showing an entry before the flush ended.
                    var durableDeliveryId = Math.Max(lastDeliveryId, DurableDeliveryId);
                    _observer?.Flushed(flush, durableDeliveryId);
                    Interlocked.Exchange(ref _durableDeliveryId, durableDeliveryId);
                    Horizon?.Advance(lastAuditSequence);
                }
                catch (Exception error)
                {
                    StoreLog.FlushFailed(_logger, error);
                    _failure = new StoreUnavailableException(
                        "The store could not flush its log to disk: what it wrote since the last flush is not known to be durable, and it takes no more writes until the gateway is restarted.",
                        error);
                }
            }

            foreach (var batch in covered)
            {
                foreach (var operation in batch)
                {
                    if (_failure is { } failure)
                    {
                        operation.Fail(failure);
                    }
                    else
                    {
                        operation.Complete();
                    }
                }
            }

            covered.Clear();
        }

        _stopped.SetResult();
    }

    private readonly record struct Commit(WriteOperation[] Batch, long Number, long LastDeliveryId, long LastAuditSequence, long CommittedAt);
}
