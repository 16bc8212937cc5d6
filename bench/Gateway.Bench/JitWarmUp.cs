using System.Diagnostics;
using System.Runtime;

namespace Gateway.Bench;

/// <summary>
/// Runs calls unmeasured until the JIT has settled: tiered compilation first runs code unoptimised and recompiles what
/// stays hot, and until it has done so a cell measures the JIT as much as the gateway. A fixed warm-up was not enough:
/// the first cell measured the no-op far below its settled rate (docs/tuning-figures.md).
/// </summary>
public static class JitWarmUp
{
    // A round in which the whole process compiles fewer methods than this counts as settled: well below the rounds of
    // a warming process, above the odd path first taken late (docs/tuning-figures.md).
    public const long SettledCompilations = 100;
    public const int MaxRounds = 20;
    private const int MinRounds = 2;
    private static readonly TimeSpan Round = TimeSpan.FromSeconds(1);

    /// <summary>Rounds of one second of each call in turn, at <paramref name="callers"/>, until one compiles few methods.</summary>
    /// <returns>How long the warm-up took, and whether the JIT settled before the round limit.</returns>
    public static async Task<(TimeSpan Took, bool Settled)> RunAsync(int callers, IReadOnlyList<Func<int, CancellationToken, Task>> calls)
    {
        var started = Stopwatch.GetTimestamp();
        for (var round = 1; round <= MaxRounds; round++)
        {
            var before = JitInfo.GetCompiledMethodCount();
            foreach (var call in calls)
            {
                await LoadRunner.RunAsync(callers, Round, TimeSpan.Zero, call);
            }

            var compiled = JitInfo.GetCompiledMethodCount() - before;
            if (round >= MinRounds && compiled < SettledCompilations)
            {
                return (Stopwatch.GetElapsedTime(started), true);
            }
        }

        return (Stopwatch.GetElapsedTime(started), false);
    }
}
