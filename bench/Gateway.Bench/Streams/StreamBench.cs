using System.Globalization;
using Gateway.Tests.Shared;
using Grpc.Core;
using Grpc.Net.Client;
using Interagency.V1;

namespace Gateway.Bench.Streams;

/// <summary>
/// Case update streams: acknowledged durable updates per second on 1 and 8 PublishUpdates streams, next to a plain
/// echo stream on the same server in the same run; then a flood to show memory stays bounded (peak RSS).
/// </summary>
public static class StreamBench
{
    private static readonly int[] StreamCounts = [1, 8];
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(3);

    // Before the first cell, both paths run unmeasured on one stream, as the intake table does: the durable path has far
    // more code for the JIT to compile and instrument than the echo, and a 3 s warm-up in a fresh process measured part
    // of that work against it.
    private static readonly TimeSpan ProcessWarmUp = TimeSpan.FromSeconds(5);

    public static async Task<int> RunAsync(DirectoryInfo dataDir, string synchronous, TimeSpan window)
    {
        // Acknowledgement means committed; delivery is measured by the delivery scenario, so the dispatcher stays off here.
        await using var gateway = await BenchGateway.StartAsync(
            Path.Combine(dataDir.FullName, "streams.db"), synchronous, "--Gateway:Delivery:Enabled=false");
        await using var echoServer = await LoopbackGrpcServer.StartAsync<EchoStreamService>();
        using var channel = GrpcChannel.ForAddress(gateway.Address);
        using var echoChannel = GrpcChannel.ForAddress(echoServer.Address);
        var cases = await OpenCasesAsync(channel, StreamCounts.Max());
        var updates = new CaseUpdateService.CaseUpdateServiceClient(channel);
        var echo = new CaseUpdateService.CaseUpdateServiceClient(echoChannel);
        var partner = new Metadata { { "x-liaison-agency", "AR/PFA" } };

        await StreamRun.MeasureAsync(1, ProcessWarmUp, TimeSpan.FromSeconds(1), _ => echo.PublishUpdates(), s => Update(cases[s]));
        await StreamRun.MeasureAsync(1, ProcessWarmUp, TimeSpan.FromSeconds(1), _ => updates.PublishUpdates(partner), s => Update(cases[s]));

        var rows = new List<(StreamRun Echo, StreamRun Durable)>();
        foreach (var streams in StreamCounts)
        {
            var echoRun = await StreamRun.MeasureAsync(streams, WarmUp, window, _ => echo.PublishUpdates(), s => Update(cases[s]));
            var durableRun = await StreamRun.MeasureAsync(streams, WarmUp, window, _ => updates.PublishUpdates(partner), s => Update(cases[s]));
            rows.Add((echoRun, durableRun));
        }

        var memory = await FloodAsync(updates, partner, cases[0], window);

        Print(synchronous, window, rows, memory);
        return rows.All(r => r.Durable.Refused == 0 && r.Durable.Answers > 0) ? 0 : 1;
    }

    private static PublishUpdatesRequest Update(string caseReference) => Samples.StatusUpdate("AR/PFA", caseReference);

    /// <summary>Referrals from the Argentine federal police to the ministry open the cases the partner then streams on.</summary>
    private static async Task<string[]> OpenCasesAsync(GrpcChannel channel, int count)
    {
        var client = new ReferralService.ReferralServiceClient(channel);
        var cases = new string[count];
        for (var i = 0; i < count; i++)
        {
            var referral = Samples.CaseOpening("AR/PFA", "CN/MPS", string.Create(CultureInfo.InvariantCulture, $"AR-PFA-BENCH-{i}"));
            await client.SubmitReferralAsync(referral, new Metadata { { "x-liaison-agency", "AR/PFA" } });
            cases[i] = referral.Header.CaseReference;
        }

        return cases;
    }

    /// <summary>One stream sending as fast as it can for a window while the process's resident memory is sampled.</summary>
    private static async Task<(long BeforeKiB, long PeakKiB, long Answers)> FloodAsync(
        CaseUpdateService.CaseUpdateServiceClient updates, Metadata partner, string caseReference, TimeSpan window)
    {
        GC.Collect();
        var before = Rss("VmRSS");
        var peak = before;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, Rss("VmRSS"));
                await Task.Delay(50);
            }
        });
        var run = await StreamRun.MeasureAsync(1, TimeSpan.Zero, window + window, _ => updates.PublishUpdates(partner), _ => Update(caseReference));
        await sampling.CancelAsync();
        await sampler;
        return (before, peak, run.Answers);
    }

    private static long Rss(string field)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    private static void Print(string synchronous, TimeSpan window, List<(StreamRun Echo, StreamRun Durable)> rows, (long BeforeKiB, long PeakKiB, long Answers) memory)
    {
        string F(double v) => v.ToString("0.00", CultureInfo.InvariantCulture);
        Console.WriteLine();
        Console.WriteLine("Case update streams: PublishUpdates (durable acknowledgements) vs a plain echo stream (same process, same run)");
        Console.WriteLine($"  durable      each update validated, authorised (party of the case), committed (SQLite synchronous={synchronous}, group commit), then acknowledged; delivery off");
        Console.WriteLine("  echo         PublishUpdates on a second Kestrel server in the bench process: answers each update at once, no validation, no storage");
        Console.WriteLine($"  load         each stream sends as fast as HTTP/2 flow control lets it; {WarmUp.TotalSeconds:0} s warm-up, {window.TotalSeconds:0} s window; latency = send to answer");
        Console.WriteLine($"  process      before the first cell, each path runs {ProcessWarmUp.TotalSeconds:0} s on one stream, unmeasured (JIT)");
        Console.WriteLine();
        Console.WriteLine(" streams |    echo/s | echo p50 ms | echo p99 ms | durable acks/s | ack p50 ms | ack p99 ms |  ratio");
        Console.WriteLine(new string('-', 101));
        foreach (var (echo, durable) in rows)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $" {echo.Streams,7} | {echo.PerSecond,9:0} | {F(echo.PercentileMs(0.5)),11} | {F(echo.PercentileMs(0.99)),11} | {durable.PerSecond,14:0} | {F(durable.PercentileMs(0.5)),10} | {F(durable.PercentileMs(0.99)),10} | {durable.PerSecond / echo.PerSecond * 100,5:0.0} %"));
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"memory: one stream flooding for {2 * window.TotalSeconds:0} s ({memory.Answers} acknowledged): bench process RSS {memory.BeforeKiB / 1024} MiB before, peak {memory.PeakKiB / 1024} MiB (gateway and load generator in one process)"));
        var one = rows.First(r => r.Durable.Streams == 1);
        var ratio = one.Durable.PerSecond / one.Echo.PerSecond;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"goal: durable acks/s on 1 stream >= 50% of the echo stream's messages/s -> {ratio * 100:0.0} % {(ratio >= 0.5 ? "MET" : "NOT MET")}"));
    }
}
