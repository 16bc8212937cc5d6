using Gateway.PartnerSim.Hosting;

namespace Gateway.PartnerSim.Faults;

/// <summary>Decides, per call, whether the simulator plays dead: first "down for a while", then a share of calls.</summary>
/// <remarks>
/// The share is spread evenly rather than drawn at random: call n (counting from 1) fails when n x percent / 100 reaches a
/// new whole number, so exactly that many of every 100 calls fail and the first failure comes within 100 / percent
/// calls. A run of few calls (deliveries travel in batches) therefore always meets the fault it was started with.
/// </remarks>
public sealed class FaultInjector(PartnerSimOptions options, TimeProvider time)
{
    private readonly long _startedAt = time.GetTimestamp();
    private long _calls;

    /// <summary>Why this call is refused, or null when it is served.</summary>
    public string? Refusal()
    {
        if (options.RefuseFor > TimeSpan.Zero && time.GetElapsedTime(_startedAt) < options.RefuseFor)
        {
            return $"PartnerSim {options.Agency} is down for the first {options.RefuseFor.TotalSeconds:0} s after start-up (--refuse-for-seconds); retry later.";
        }

        if (options.FailPercent > 0)
        {
            var call = Interlocked.Increment(ref _calls);
            if (call * options.FailPercent / 100 > (call - 1) * options.FailPercent / 100)
            {
                return $"PartnerSim {options.Agency} refused this call, one of {options.FailPercent} in every 100 (--fail-percent {options.FailPercent}); retry it.";
            }
        }

        return null;
    }
}
