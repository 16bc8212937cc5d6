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

    /// <summary><c>--refuse</c>: payload kinds (e.g. <c>referral</c>) the agency refuses instead of applying.</summary>
    public IReadOnlyList<string> Refuse { get; init; } = [];

    /// <summary><c>--refuse-reason</c>, e.g. <c>legal_grounds</c>; PartnerSim's default when null.</summary>
    public string? RefuseReason { get; init; }

    /// <summary><c>--clarify</c>: payload kinds the agency asks a question about instead of applying.</summary>
    public IReadOnlyList<string> Clarify { get; init; } = [];

    /// <summary><c>--question</c>; PartnerSim's default when null.</summary>
    public string? Question { get; init; }

    public IEnumerable<string> ToArguments() =>
    [
        "--fail-percent", FailPercent.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--delay-ms", DelayMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--refuse-for-seconds", RefuseForSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        .. Refuse.Count > 0 ? ["--refuse", string.Join(',', Refuse)] : Array.Empty<string>(),
        .. RefuseReason is { } reason ? ["--refuse-reason", reason] : Array.Empty<string>(),
        .. Clarify.Count > 0 ? ["--clarify", string.Join(',', Clarify)] : Array.Empty<string>(),
        .. Question is { } question ? ["--question", question] : Array.Empty<string>(),
    ];
}
