using System.Collections.ObjectModel;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Gateway.FunctionalTests.Infrastructure;

/// <summary>
/// OpenTelemetry's in-memory exporters attached to a gateway (<see cref="AttachTo"/> from <see cref="GatewayServer.Configure"/>):
/// as the OTLP exporter does, they start the tracer and meter providers, which then listen to what the gateway set up. Activity listeners are process-wide: spans of other servers running in this
/// process are captured too, so a test picks its own by trace id.
/// </summary>
public sealed class TelemetryCapture
{
    private readonly Locked<Activity> _spans = new();
    private readonly Locked<Metric> _metrics = new();

    public IReadOnlyList<Activity> Spans => _spans.Snapshot();

    public IReadOnlyList<Metric> Metrics => _metrics.Snapshot();

    public void AttachTo(WebApplicationBuilder builder)
    {
        builder.Services.AddOpenTelemetry()
            .WithTracing(tracing => tracing.AddInMemoryExporter(_spans))
            .WithMetrics(metrics => metrics.AddInMemoryExporter(_metrics));
    }

    /// <summary>The spans of one trace, once <paramref name="done"/> holds for them (a span is exported when it ends).</summary>
    public Task<Activity[]> TraceAsync(ActivityTraceId traceId, Func<Activity[], bool> done, string what) =>
        Eventually.WaitForAsync(() => Spans.Where(s => s.TraceId == traceId).ToArray(), done, what);

    /// <summary>The exporters add from the provider's thread while a test reads.</summary>
    private sealed class Locked<T> : Collection<T>
    {
        private readonly Lock _gate = new();

        public IReadOnlyList<T> Snapshot()
        {
            lock (_gate)
            {
                return [.. Items];
            }
        }

        protected override void InsertItem(int index, T item)
        {
            lock (_gate)
            {
                base.InsertItem(index, item);
            }
        }

        protected override void ClearItems()
        {
            lock (_gate)
            {
                base.ClearItems();
            }
        }
    }
}
