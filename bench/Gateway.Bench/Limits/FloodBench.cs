using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using Grpc.Net.Client;
using Interagency.V1;

namespace Gateway.Bench.Limits;

/// <summary>
/// A flooding agency: agency A offers 10 times its configured rate while agency B sends at a steady rate below its own.
/// B's accepted referrals per second and p99 latency with A flooding are set against B alone, in the same run and on
/// the same gateway, measured alone before and after the flood so that drift of a busy machine shows (goal: within 10%).
/// </summary>
public static class FloodBench
{
    private const string Flooder = "CN/PLO-RU";
    private const string Steady = "CN/MPS";
    private const int FlooderPermitsPerSecond = 50;
    private const int SteadyPermitsPerSecond = 200;
    private const int SteadyRate = 100;
    private const int FloodFactor = 10;

    // The flood is offered by several paced senders, so that a slow answer does not lower the rate offered.
    private const int FloodSenders = 8;

    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(3);

    // Each referral opens a case of its own, so that the two agencies never share one.
    private static long _cases;

    public static async Task<int> RunAsync(DirectoryInfo dataDir, string synchronous, TimeSpan window)
    {
        await using var gateway = await BenchGateway.StartAsync(
            Path.Combine(dataDir.FullName, "flood.db"),
            synchronous,
            "--Gateway:Delivery:Enabled=false",
            $"--Gateway:AgencyLimits:Agencies:{Flooder}:PermitsPerSecond={FlooderPermitsPerSecond}",
            $"--Gateway:AgencyLimits:Agencies:{Flooder}:Burst={FlooderPermitsPerSecond}",
            $"--Gateway:AgencyLimits:Agencies:{Steady}:PermitsPerSecond={SteadyPermitsPerSecond}",
            $"--Gateway:AgencyLimits:Agencies:{Steady}:Burst={SteadyPermitsPerSecond}");
        using var steadyChannel = Program.OpenChannel(gateway.Address);
        using var floodChannel = Program.OpenChannel(gateway.Address);
        var steady = new ReferralService.ReferralServiceClient(steadyChannel);
        var flood = new ReferralService.ReferralServiceClient(floodChannel);

        await PacedAsync(steady, Steady, SteadyRate, WarmUp, senders: 1);
        var before = await PacedAsync(steady, Steady, SteadyRate, window, senders: 1);
        var flooding = PacedAsync(flood, Flooder, FlooderPermitsPerSecond * FloodFactor, window + WarmUp, FloodSenders);
        await Task.Delay(WarmUp);
        var during = await PacedAsync(steady, Steady, SteadyRate, window, senders: 1);
        var flooded = await flooding;
        var after = await PacedAsync(steady, Steady, SteadyRate, window, senders: 1);

        Print(synchronous, window, before, during, after, flooded);
        return before.Errors + during.Errors + after.Errors == 0 && flooded.Errors == 0 && flooded.Refused > 0 ? 0 : 1;
    }

    /// <summary>
    /// Offers <paramref name="rate"/> referrals a second as <paramref name="agency"/> for <paramref name="window"/>: each
    /// sender starts a call on its schedule, without waiting for the one before (an open loop, as independent clients would).
    /// </summary>
    private static async Task<Run> PacedAsync(ReferralService.ReferralServiceClient client, string agency, int rate, TimeSpan window, int senders)
    {
        var headers = ReferralFactory.HeadersFor(agency);
        var latencies = new ConcurrentBag<long>();
        long accepted = 0, refused = 0, errors = 0;
        string? firstError = null;
        var interval = TimeSpan.FromTicks(TimeSpan.TicksPerSecond * senders / rate);
        var started = Stopwatch.GetTimestamp();
        var calls = new ConcurrentBag<Task>();
        var sending = Enumerable.Range(0, senders).Select(sender => Task.Run(async () =>
        {
            for (var i = 0L; ; i++)
            {
                var due = TimeSpan.FromTicks(interval.Ticks * i + interval.Ticks * sender / senders);
                if (due >= window)
                {
                    return;
                }

                var wait = due - Stopwatch.GetElapsedTime(started);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait);
                }

                calls.Add(CallAsync());
            }
        }));

        async Task CallAsync()
        {
            var referral = ReferralFactory.Create(agency, "CN/FJPSD", string.Create(CultureInfo.InvariantCulture, $"CN-FJ-FLOOD-{Interlocked.Increment(ref _cases):D12}"));
            var start = Stopwatch.GetTimestamp();
            try
            {
                await client.SubmitReferralAsync(referral, headers);
                latencies.Add(Stopwatch.GetTimestamp() - start);
                Interlocked.Increment(ref accepted);
            }
            catch (RpcException error) when (error.StatusCode == StatusCode.ResourceExhausted)
            {
                Interlocked.Increment(ref refused);
            }
            catch (RpcException error)
            {
                Interlocked.Increment(ref errors);
                Interlocked.CompareExchange(ref firstError, $"{error.StatusCode}: {error.Status.Detail}", null);
            }
        }

        await Task.WhenAll(sending);
        await Task.WhenAll(calls);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var sorted = latencies.Order().ToArray();
        return new Run(accepted, refused, errors, accepted / elapsed.TotalSeconds, Percentile(sorted, 0.5), Percentile(sorted, 0.99), firstError);
    }

    private static double Percentile(long[] sortedTicks, double fraction) =>
        sortedTicks.Length == 0
            ? double.NaN
            : sortedTicks[Math.Clamp((int)Math.Ceiling(fraction * sortedTicks.Length) - 1, 0, sortedTicks.Length - 1)] * 1000.0 / Stopwatch.Frequency;

    private static void Print(string synchronous, TimeSpan window, Run before, Run during, Run after, Run flooded)
    {
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(inv, $"Flooding agency: {Flooder} limited to {FlooderPermitsPerSecond}/s offers {FlooderPermitsPerSecond * FloodFactor}/s; {Steady} (limit {SteadyPermitsPerSecond}/s) sends a steady {SteadyRate}/s; {window.TotalSeconds:0} s windows, synchronous={synchronous}, {Environment.ProcessorCount} cores"));
        Console.WriteLine();
        Console.WriteLine("| B (CN/MPS)           | accepted/s | p50 ms | p99 ms | errors |");
        Console.WriteLine("| -------------------- | ---------: | -----: | -----: | -----: |");
        foreach (var (name, run) in new[] { ("alone, before", before), ("A flooding", during), ("alone, after", after) })
        {
            Console.WriteLine(string.Create(inv, $"| {name,-20} | {run.PerSecond,10:0.0} | {run.P50Ms,6:0.00} | {run.P99Ms,6:0.00} | {run.Errors,6} |"));
        }

        var alone = (before.PerSecond + after.PerSecond) / 2;
        var aloneP99 = (before.P99Ms + after.P99Ms) / 2;
        Console.WriteLine();
        Console.WriteLine(string.Create(inv, $"A (CN/PLO-RU) during the flood: {flooded.Accepted} accepted ({flooded.PerSecond:0.0}/s), {flooded.Refused} refused RESOURCE_EXHAUSTED, {flooded.Errors} errors"));
        foreach (var error in new[] { before, during, after, flooded }.Select(r => r.FirstError).OfType<string>().Distinct())
        {
            Console.WriteLine($"first error: {error}");
        }

        Console.WriteLine(string.Create(inv, $"B with A flooding against B alone (mean of before and after): throughput {100 * (during.PerSecond / alone - 1):+0.0;-0.0} %, p99 {100 * (during.P99Ms / aloneP99 - 1):+0.0;-0.0} % (goal: within 10 %)"));
    }

    private sealed record Run(long Accepted, long Refused, long Errors, double PerSecond, double P50Ms, double P99Ms, string? FirstError);
}
