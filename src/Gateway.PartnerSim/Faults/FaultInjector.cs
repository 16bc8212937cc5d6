using Gateway.PartnerSim.Hosting;

namespace Gateway.PartnerSim.Faults;

/// <summary>Decides, per call, whether the simulator plays dead: first "down for a while", then a random share of calls.</summary>
public sealed class FaultInjector(PartnerSimOptions options, TimeProvider time)
{
    private readonly long _startedAt = time.GetTimestamp();

    /// <summary>Why this call is refused, or null when it is served.</summary>
    public string? Refusal()
    {
        if (options.RefuseFor > TimeSpan.Zero && time.GetElapsedTime(_startedAt) < options.RefuseFor)
        {
            return $"PartnerSim {options.Agency} is down for the first {options.RefuseFor.TotalSeconds:0} s after start-up (--refuse-for-seconds); retry later.";
        }

        if (options.FailPercent > 0 && Random.Shared.Next(100) < options.FailPercent)
        {
            return $"PartnerSim {options.Agency} refused this call at random (--fail-percent {options.FailPercent}); retry it.";
        }

        return null;
    }
}
