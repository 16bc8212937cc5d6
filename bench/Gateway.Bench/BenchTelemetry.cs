using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Gateway.Bench;

/// <summary>
/// <c>--telemetry on</c>: the gateway runs with its tracer and meter providers as an OTLP exporter would start them,
/// every span sampled (AlwaysOn) and handed by a batch processor to an exporter that receives each one (and counts it),
/// and the metrics collected every second by a reader whose exporter receives them: everything but the network. The
/// intake scenario's gateway delivers nothing, so it traces no gRPC client: the load generator's calls in this process,
/// a caller's in a real deployment, are not traced, and each server span is the root of its trace.
/// </summary>
public sealed class BenchTelemetry
{
    private readonly CountingExporter<Activity> _spans = new();
    private readonly CountingExporter<Metric> _metrics = new();

    /// <summary>Spans the exporter received so far.</summary>
    public long Spans => _spans.Received;

    /// <summary>Metric streams the exporter received so far (one per instrument and collection).</summary>
    public long MetricStreams => _metrics.Received;

    public void AttachTo(WebApplicationBuilder builder)
    {
        builder.Services.AddOpenTelemetry()
            .WithTracing(tracing => tracing
                .SetSampler(new AlwaysOnSampler())
                .AddProcessor(new BatchActivityExportProcessor(_spans)))
            .WithMetrics(metrics => metrics
                .AddReader(new PeriodicExportingMetricReader(_metrics, exportIntervalMilliseconds: 1000)));
    }

    private sealed class CountingExporter<T> : BaseExporter<T>
        where T : class
    {
        private long _received;

        public long Received => Interlocked.Read(ref _received);

        public override ExportResult Export(in Batch<T> batch)
        {
            long count = 0;
            foreach (var _ in batch)
            {
                count++;
            }

            Interlocked.Add(ref _received, count);
            return ExportResult.Success;
        }
    }
}
