using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Gateway.Storage.Sqlite;

/// <summary>
/// Where a write's time goes between its caller and the disk, as <see cref="System.Diagnostics.Metrics"/> instruments
/// of the meter <see cref="MeterName"/> (OpenTelemetry and <c>dotnet-counters</c> read them by that name). Every
/// write passes the same stages: it waits in the writer's queue, is applied and committed with its batch, waits for
/// the flusher to start a flush that covers it, and waits for that flush. Durations are in seconds.
/// </summary>
/// <remarks>Recording costs next to nothing while no listener is attached.</remarks>
public sealed class StoreMetrics : IDisposable
{
    public const string MeterName = "Liaison.Gateway.Store";

    public const string QueueDuration = "liaison.store.queue.duration";
    public const string CommitDuration = "liaison.store.commit.duration";
    public const string CommitWrites = "liaison.store.commit.writes";
    public const string FlushDelay = "liaison.store.flush.delay";
    public const string FlushDuration = "liaison.store.flush.duration";
    public const string FlushWrites = "liaison.store.flush.writes";
    public const string Backlog = "liaison.deliveries.backlog";

    /// <summary>The agency a <see cref="Backlog"/> measurement is of.</summary>
    public const string RecipientTag = "recipient";

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Histogram<double> _queued;
    private readonly Histogram<double> _committed;
    private readonly Histogram<int> _batchSize;
    private readonly Histogram<double> _flushDelayed;
    private readonly Histogram<double> _flushed;
    private readonly Histogram<int> _flushSize;

    /// <param name="meters">The host's meter factory; without one (a store opened by hand) the meter is the store's own.</param>
    public StoreMetrics(IMeterFactory? meters)
    {
        // A factory's meters are the factory's to dispose.
        _ownsMeter = meters is null;
        _meter = meters?.Create(MeterName) ?? new Meter(MeterName);
        _queued = _meter.CreateHistogram<double>(
            QueueDuration, "s", "Time a write waited for the writer to start the batch that took it.");
        _committed = _meter.CreateHistogram<double>(
            CommitDuration, "s", "Time to apply a batch of writes and commit its transaction, flush to disk excluded.");
        _batchSize = _meter.CreateHistogram<int>(
            CommitWrites, "{write}", "Writes one committed transaction carried (group commit).");
        _flushDelayed = _meter.CreateHistogram<double>(
            FlushDelay, "s", "Time from a batch's commit to the start of the flush that covers it (a flush of earlier batches running).");
        _flushed = _meter.CreateHistogram<double>(
            FlushDuration, "s", "Time of one flush of the WAL to disk.");
        _flushSize = _meter.CreateHistogram<int>(
            FlushWrites, "{write}", "Writes one flush made durable.");
    }

    /// <summary>
    /// The delivery backlog per recipient, by <paramref name="observe"/> at each collection (nothing runs while no
    /// listener collects it).
    /// </summary>
    internal void ObserveBacklog(Func<IEnumerable<Measurement<long>>> observe) =>
        _meter.CreateObservableGauge(
            Backlog, observe, "{delivery}", "Open deliveries (pending, in flight, waiting for a retry) per recipient, read from the store when collected.");

    /// <summary>The instruments' meter, for listeners that want this store's measurements only.</summary>
    public Meter Meter => _meter;

    internal void Taken(long queuedAt, long takenAt) =>
        _queued.Record(Stopwatch.GetElapsedTime(queuedAt, takenAt).TotalSeconds);

    internal void BatchCommitted(int writes, long startedAt, long committedAt)
    {
        _committed.Record(Stopwatch.GetElapsedTime(startedAt, committedAt).TotalSeconds);
        _batchSize.Record(writes);
    }

    internal void FlushStarted(long committedAt, long flushStartedAt) =>
        _flushDelayed.Record(Stopwatch.GetElapsedTime(committedAt, flushStartedAt).TotalSeconds);

    internal void Flushed(int writes, long flushStartedAt, long flushedAt)
    {
        _flushed.Record(Stopwatch.GetElapsedTime(flushStartedAt, flushedAt).TotalSeconds);
        _flushSize.Record(writes);
    }

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
