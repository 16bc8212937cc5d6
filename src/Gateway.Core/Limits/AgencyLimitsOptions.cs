namespace Gateway.Core.Limits;

/// <summary>
/// What one agency may ask of the gateway (section <c>Gateway:AgencyLimits</c>): <see cref="Default"/> for every agency,
/// and per-agency overrides in <see cref="Agencies"/>, field by field. The transport caps (<c>Gateway:Limits</c>
/// message sizes, <c>Gateway:Intake:MaxRecipients</c>) still apply above them, so the defaults equal those caps.
/// </summary>
public sealed class AgencyLimitsOptions
{
    public const string Section = "Gateway:AgencyLimits";

    /// <summary>The limits of an agency without an override, and of every field an override leaves out.</summary>
    public AgencyLimitSettings Default { get; set; } = AgencyLimitSettings.SafeDefaults();

    /// <summary>Overrides by agency id (e.g. <c>RU/MVD</c>); each must name an agency of the directory.</summary>
    public Dictionary<string, AgencyLimitSettings> Agencies { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>One block of limits; a field left out takes its value from <see cref="AgencyLimitsOptions.Default"/>.</summary>
public sealed class AgencyLimitSettings
{
    /// <summary>One mebibyte: the transport cap of the agency-facing services (<c>Gateway:Limits:*MaxMessageBytes</c>).</summary>
    public const int TransportMessageBytes = 1024 * 1024;

    /// <summary>Calls per second the agency's token bucket refills with; each message on a PublishUpdates stream counts as one.</summary>
    public int? PermitsPerSecond { get; set; }

    /// <summary>Tokens the bucket holds: calls the agency may make at once after a quiet spell.</summary>
    public int? Burst { get; set; }

    /// <summary>Streams (Subscribe, PublishUpdates, WatchFlow) the agency may hold open at once, over all its connections.</summary>
    public int? MaxConcurrentStreams { get; set; }

    /// <summary>Most recipients one message of the agency may name.</summary>
    public int? MaxRecipients { get; set; }

    /// <summary>Largest message by kind (a <see cref="Intake.MessageKind"/> name), in bytes as sent (the whole request).</summary>
    public Dictionary<string, int> MaxMessageBytes { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Today's global limits, so that an unconfigured gateway behaves as before.</summary>
    public static AgencyLimitSettings SafeDefaults() => new()
    {
        PermitsPerSecond = 200,
        Burst = 400,
        MaxConcurrentStreams = 8,
        MaxRecipients = 16,
        MaxMessageBytes = new(StringComparer.OrdinalIgnoreCase)
        {
            ["Referral"] = TransportMessageBytes,
            ["LocationRequest"] = TransportMessageBytes,
            ["CaseUpdate"] = TransportMessageBytes,
        },
    };
}
