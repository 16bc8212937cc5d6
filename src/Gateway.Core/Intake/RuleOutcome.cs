using Gateway.Core.Agencies;
using Gateway.Core.Audit;

namespace Gateway.Core.Intake;

/// <summary>What the business rules decided about a message.</summary>
/// <param name="Refusal">Set when the message is refused; the rest is then empty.</param>
/// <param name="Recipients">Resolved, distinct recipient agencies.</param>
/// <param name="HeldForReview">The offence is of a character that a person must review before forwarding.</param>
/// <param name="CoordinationHold">Recipients must hold action until the named party releases it.</param>
public sealed record RuleOutcome(
    IntakeRefusal? Refusal,
    IReadOnlyList<AgencyId> Recipients,
    bool HeldForReview,
    bool CoordinationHold)
{
    /// <summary>
    /// The recipient added as a copy for information (the sending country's single point of contact), if any: it is one
    /// of <see cref="Recipients"/> but owes no reply.
    /// </summary>
    public AgencyId? Copy { get; init; }

    /// <summary>Why each of <see cref="Recipients"/> was chosen, in their order.</summary>
    public IReadOnlyList<AuditRoute> Routes { get; init; } = [];

    public static RuleOutcome Refused(IntakeRefusal refusal) => new(refusal, [], false, false);
}
