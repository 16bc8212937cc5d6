namespace Gateway.Tests.Shared;

/// <summary>The faults a PartnerSim process is started with; each maps to its command-line option.</summary>
public sealed record PartnerSimFaults
{
    public static readonly PartnerSimFaults None = new();

    /// <summary><c>--fail-percent</c>: share of calls, 0 to 100, answered UNAVAILABLE without applying anything.</summary>
    public int FailPercent { get; init; }

    /// <summary><c>--delay-ms</c>: added before answering each call.</summary>
    public int DelayMilliseconds { get; init; }

    /// <summary><c>--refuse-for-seconds</c>: every call answered UNAVAILABLE for this long after start-up.</summary>
    public int RefuseForSeconds { get; init; }

    public IEnumerable<string> ToArguments() =>
    [
        "--fail-percent", FailPercent.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--delay-ms", DelayMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--refuse-for-seconds", RefuseForSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
    ];
}
