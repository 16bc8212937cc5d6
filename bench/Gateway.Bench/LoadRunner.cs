using System.Diagnostics;
using Grpc.Core;

namespace Gateway.Bench;

/// <summary>The outcome of one measured window: completed calls, failures and every call's latency.</summary>
public sealed class Measurement(
    int callers, TimeSpan window, DateTimeOffset windowStart, long[] sortedLatencyTicks, long completed, long errors, string? firstError, ProcessCost cost)
{
    public int Callers { get; } = callers;

    /// <summary>When the measured window began, on the wall clock (to compare with times other processes record).</summary>
    public DateTimeOffset WindowStart { get; } = windowStart;

    public DateTimeOffset WindowEnd => WindowStart + window;

    /// <summary>Calls answered within the measured window.</summary>
    public long Calls => sortedLatencyTicks.Length;

    /// <summary>Every call answered without error, warm-up and tail included (to set against server-side counters).</summary>
    public long Completed { get; } = completed;

    public long Errors { get; } = errors;

    public string? FirstError { get; } = firstError;

    public double CallsPerSecond => Calls / window.TotalSeconds;

    /// <summary>
    /// CPU time this process (load generator and gateway alike) spent per call answered in the window, in microseconds.
    /// Against the cores, it bounds throughput: no run can exceed cores / CPU per call.
    /// </summary>
    public double CpuMicrosPerCall => Calls == 0 ? double.NaN : cost.Cpu.TotalMicroseconds / Calls;

    /// <summary>Share of all cores this process kept busy during the window.</summary>
    public double CpuBusyPercent => 100.0 * cost.Cpu.TotalSeconds / (window.TotalSeconds * Environment.ProcessorCount);

    /// <summary>Garbage collections during the window; each pauses every thread for a while.</summary>
    public int GcPauses => cost.Collections;

    /// <summary>
    /// Managed memory this process (load generator and gateway) allocated per call answered in the window, in KiB: what
    /// sets how often the garbage collector runs. NaN where the runtime's count went down in the window (see
    /// <see cref="ProcessCost.Now"/>).
    /// </summary>
    public double AllocatedKiBPerCall => Calls == 0 || cost.Allocated < 0 ? double.NaN : cost.Allocated / 1024.0 / Calls;

    /// <summary>Time the process was paused for garbage collection during the window.</summary>
    public TimeSpan GcPauseTime => cost.GcPause;

    /// <summary>Busy CPU time of the whole machine during the window (every process), in microseconds per call answered.</summary>
    public double MachineCpuMicrosPerCall => Calls == 0 ? double.NaN : cost.MachineBusy.TotalMicroseconds / Calls;

    /// <summary>Busy CPU time of the whole machine during the window (every process).</summary>
    public TimeSpan MachineBusy => cost.MachineBusy;

    /// <summary>Share of all cores the machine kept busy during the window.</summary>
    public double MachineBusyPercent => 100.0 * cost.MachineBusy.TotalSeconds / (window.TotalSeconds * Environment.ProcessorCount);

    /// <summary>Nearest-rank percentile in milliseconds; NaN when no call completed.</summary>
    public double PercentileMs(double fraction)
    {
        if (sortedLatencyTicks.Length == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(fraction * sortedLatencyTicks.Length) - 1;
        return sortedLatencyTicks[Math.Clamp(rank, 0, sortedLatencyTicks.Length - 1)] * 1000.0 / Stopwatch.Frequency;
    }
}

/// <summary>
/// CPU time and garbage collections of this process, and the machine's busy CPU time (every process, the PartnerSim
/// endpoints included; zero where <c>/proc/stat</c> does not exist), so far or between two readings.
/// </summary>
public readonly record struct ProcessCost(TimeSpan Cpu, int Collections, TimeSpan GcPause, TimeSpan MachineBusy, long Allocated)
{
    // The runtime's count can go down when server GC changes its number of heaps (DATAS; dotnet/runtime#131069, fixed
    // after the .NET 10 runtime this runs on), so a window with such a change can show too little, or less than nothing.
    public static ProcessCost Now() =>
        new(Environment.CpuUsage.TotalTime, GC.CollectionCount(0), GC.GetTotalPauseDuration(), MachineBusyNow(), GC.GetTotalAllocatedBytes());

    public static ProcessCost operator -(ProcessCost after, ProcessCost before) =>
        new(after.Cpu - before.Cpu, after.Collections - before.Collections, after.GcPause - before.GcPause, after.MachineBusy - before.MachineBusy,
            after.Allocated - before.Allocated);

    /// <summary>
    /// All cores' time in user, nice, system, irq and softirq since boot, from the first line of <c>/proc/stat</c>
    /// (in clock ticks of 10 ms: the kernel's USER_HZ is 100 on Linux).
    /// </summary>
    private static TimeSpan MachineBusyNow()
    {
        if (!File.Exists("/proc/stat"))
        {
            return TimeSpan.Zero;
        }

        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        long Ticks(int index) => long.Parse(fields[index], System.Globalization.CultureInfo.InvariantCulture);
        var busy = Ticks(1) + Ticks(2) + Ticks(3) + Ticks(6) + Ticks(7);
        return TimeSpan.FromMilliseconds(busy * 10);
    }
}

/// <summary>
/// Closed-loop load: each caller is an async loop that issues its next call as soon as the previous one
/// answers, so concurrency is exactly the number of callers and calls/s is what the server sustains at it.
/// </summary>
public static class LoadRunner
{
    // Enough for a few seconds of fast calls per caller without growing while measuring; List doubles beyond it.
    private const int LatencyCapacity = 16 * 1024;

    /// <param name="call">One call by the caller with the given index; throws RpcException when refused.</param>
    public static async Task<Measurement> RunAsync(
        int callers, TimeSpan warmUp, TimeSpan window, Func<int, CancellationToken, Task> call)
    {
        var wallStart = DateTimeOffset.UtcNow;
        var start = Stopwatch.GetTimestamp();
        var measureFrom = start + ToTicks(warmUp);
        var measureUntil = measureFrom + ToTicks(window);

        // A backstop so that a hung server cannot keep the benchmark running: every call is cancelled
        // well after the window has ended.
        using var backstop = new CancellationTokenSource(warmUp + window + TimeSpan.FromSeconds(30));

        // Task.Run so the callers start together on the pool rather than one after another on this thread.
        var loops = Enumerable.Range(0, callers)
            .Select(index => Task.Run(() => CallerLoopAsync(index, measureFrom, measureUntil, call, backstop.Token)))
            .ToArray();
        var cost = CostDuringAsync(measureFrom, measureUntil);
        var results = await Task.WhenAll(loops);

        var merged = new long[results.Sum(r => r.Latencies.Count)];
        var offset = 0;
        foreach (var result in results)
        {
            result.Latencies.CopyTo(merged, offset);
            offset += result.Latencies.Count;
        }

        Array.Sort(merged);
        return new Measurement(
            callers,
            window,
            wallStart + warmUp,
            merged,
            results.Sum(r => r.Completed),
            results.Sum(r => r.Errors),
            results.Select(r => r.FirstError).FirstOrDefault(e => e is not null),
            await cost);
    }

    /// <summary>What the process spent between two <see cref="Stopwatch"/> timestamps, read when each comes.</summary>
    private static async Task<ProcessCost> CostDuringAsync(long from, long until)
    {
        await Task.Delay(Until(from));
        var before = ProcessCost.Now();
        await Task.Delay(Until(until));
        return ProcessCost.Now() - before;

        static TimeSpan Until(long timestamp) => TimeSpan.FromTicks(Math.Max(0, Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), timestamp).Ticks));
    }

    private static async Task<CallerResult> CallerLoopAsync(
        int index, long measureFrom, long measureUntil, Func<int, CancellationToken, Task> call, CancellationToken cancellationToken)
    {
        var result = new CallerResult();
        while (true)
        {
            var sent = Stopwatch.GetTimestamp();
            if (sent >= measureUntil)
            {
                return result;
            }

            try
            {
                await call(index, cancellationToken);
            }
            catch (RpcException error)
            {
                // Counted, not thrown: one refused call should be visible in the report, not abort the run.
                result.Errors++;
                result.FirstError ??= $"{error.StatusCode}: {error.Status.Detail}";
                continue;
            }

            var answered = Stopwatch.GetTimestamp();
            result.Completed++;

            // A call counts when it is answered inside the window (Little's law: rate = completions / window).
            // Requiring it to be sent inside as well would drop up to one call per caller at each edge, which
            // at high latency and a short window understates the rate badly. Load is the same on both sides
            // of the window's start, so calls sent during warm-up are representative.
            if (answered >= measureFrom && answered <= measureUntil)
            {
                result.Latencies.Add(answered - sent);
            }
        }
    }

    private static long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    private sealed class CallerResult
    {
        public List<long> Latencies { get; } = new(LatencyCapacity);

        public long Completed { get; set; }

        public long Errors { get; set; }

        public string? FirstError { get; set; }
    }
}
