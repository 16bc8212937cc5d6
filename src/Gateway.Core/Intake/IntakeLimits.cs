namespace Gateway.Core.Intake;

/// <summary>Business bounds on a message, tighter than the wire schema's (section <c>Gateway:Intake</c>).</summary>
public sealed class IntakeLimits
{
    public const string Section = "Gateway:Intake";

    /// <summary>Most recipients one message may name.</summary>
    public int MaxRecipients { get; set; } = 16;

    /// <summary>Most persons one referral may carry.</summary>
    public int MaxSubjects { get; set; } = 20;

    /// <summary>Most hops a message may take to reach the gateway: the agencies in <c>header.relayed_by</c>, plus the sender.</summary>
    public int MaxHops { get; set; } = 4;
}
