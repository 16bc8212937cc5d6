using System.Diagnostics;
using Grpc.Core;
using Interagency.V1;

namespace Gateway.Bench.Streams;

/// <summary>What some streams achieved in a measured window: answers counted and their latencies (send to answer).</summary>
public sealed record StreamRun(int Streams, long Answers, long Refused, double Seconds, double[] SortedLatencyMs)
{
    public double PerSecond => Answers / Seconds;

    public double PercentileMs(double fraction) =>
        SortedLatencyMs.Length == 0 ? double.NaN : SortedLatencyMs[Math.Min(SortedLatencyMs.Length - 1, (int)(fraction * SortedLatencyMs.Length))];

    /// <summary>
    /// Runs <paramref name="streams"/> streams, each sending updates as fast as flow control lets it and reading answers
    /// (which come in order, so a FIFO of send times gives each answer's latency); counts answers inside the window.
    /// </summary>
    public static async Task<StreamRun> MeasureAsync(
        int streams,
        TimeSpan warmUp,
        TimeSpan window,
        Func<int, AsyncDuplexStreamingCall<PublishUpdatesRequest, PublishUpdatesResponse>> open,
        Func<int, PublishUpdatesRequest> next)
    {
        var start = Stopwatch.GetTimestamp();
        var from = start + (long)(warmUp.TotalSeconds * Stopwatch.Frequency);
        var until = from + (long)(window.TotalSeconds * Stopwatch.Frequency);
        var results = await Task.WhenAll(Enumerable.Range(0, streams).Select(s => Task.Run(() => OneStreamAsync(s, from, until, open, next))));
        var latencies = results.SelectMany(r => r.Latencies).ToArray();
        Array.Sort(latencies);
        return new StreamRun(streams, results.Sum(r => r.Answers), results.Sum(r => r.Refused), window.TotalSeconds, latencies);
    }

    private static async Task<(long Answers, long Refused, List<double> Latencies)> OneStreamAsync(
        int stream,
        long from,
        long until,
        Func<int, AsyncDuplexStreamingCall<PublishUpdatesRequest, PublishUpdatesResponse>> open,
        Func<int, PublishUpdatesRequest> next)
    {
        using var call = open(stream);
        var sentAt = new System.Collections.Concurrent.ConcurrentQueue<long>();
        var sending = Task.Run(async () =>
        {
            while (Stopwatch.GetTimestamp() < until)
            {
                var update = next(stream);
                sentAt.Enqueue(Stopwatch.GetTimestamp());
                await call.RequestStream.WriteAsync(update);
            }

            await call.RequestStream.CompleteAsync();
        });
        long answers = 0, refused = 0;
        var latencies = new List<double>(1 << 16);
        await foreach (var answer in call.ResponseStream.ReadAllAsync())
        {
            var now = Stopwatch.GetTimestamp();
            sentAt.TryDequeue(out var sent);
            if (now >= from && now < until)
            {
                answers++;
                refused += answer.Outcome == UpdateOutcome.Refused ? 1 : 0;
                latencies.Add((now - sent) * 1000.0 / Stopwatch.Frequency);
            }
        }

        await sending;
        return (answers, refused, latencies);
    }
}
