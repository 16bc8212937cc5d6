using System.Diagnostics.Metrics;
using System.Globalization;
using Gateway.Storage.Sqlite;

namespace Gateway.Bench;

/// <summary>
/// Tells where a durable call spent its time during a run, from two meters: the store's <see cref="StoreMetrics"/>
/// (waiting for the writer, being committed with its batch, waiting for a flush to start, being flushed) and ASP.NET
/// Core's <c>http.server.request.duration</c> (the whole request as the server saw it). What the server time holds
/// beyond the store's stages is intake, gRPC and the thread pool; what the caller saw beyond it is the client and the
/// transport.
/// </summary>
public sealed class RequestStages : IDisposable
{
    private const string ServerMeter = "Microsoft.AspNetCore.Hosting";
    private const string ServerDuration = "http.server.request.duration";

    private static readonly (string Instrument, string Label)[] Stages =
    [
        (StoreMetrics.QueueDuration, "queue"),
        (StoreMetrics.CommitDuration, "commit"),
        (StoreMetrics.FlushDelay, "wait for flush"),
        (StoreMetrics.FlushDuration, "flush"),
    ];

    private readonly MeterListener _listener = new();
    private readonly Dictionary<string, List<double>> _values = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private bool _recording;

    public RequestStages(Meter storeMeter)
    {
        foreach (var (instrument, _) in Stages)
        {
            _values[instrument] = [];
        }

        _values[ServerDuration] = [];
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            var ours = ReferenceEquals(instrument.Meter, storeMeter) || (instrument.Meter.Name == ServerMeter && instrument.Name == ServerDuration);
            if (ours && _values.ContainsKey(instrument.Name))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((instrument, value, _, _) =>
        {
            lock (_lock)
            {
                if (_recording)
                {
                    _values[instrument.Name].Add(value);
                }
            }
        });
        _listener.Start();
    }

    /// <summary>Forgets what was recorded and records from now on.</summary>
    public void Restart()
    {
        lock (_lock)
        {
            foreach (var values in _values.Values)
            {
                values.Clear();
            }

            _recording = true;
        }
    }

    /// <summary>One line of p50/p99 in ms since <see cref="Restart"/>: each store stage, then the whole request on the server.</summary>
    public string Summary()
    {
        lock (_lock)
        {
            _recording = false;
            return "store: " + string.Join(", ", Stages.Select(s => $"{s.Label} {Percentiles(s.Instrument)}"))
                + $"; server, whole request {Percentiles(ServerDuration)}";
        }
    }

    private string Percentiles(string instrument)
    {
        var values = _values[instrument];
        if (values.Count == 0)
        {
            return "-";
        }

        values.Sort();
        return $"{Ms(values, 0.50)}/{Ms(values, 0.99)}";
    }

    private static string Ms(List<double> sorted, double fraction)
    {
        var rank = Math.Clamp((int)Math.Ceiling(fraction * sorted.Count) - 1, 0, sorted.Count - 1);
        return (sorted[rank] * 1000).ToString("0.000", CultureInfo.InvariantCulture);
    }

    public void Dispose() => _listener.Dispose();
}
