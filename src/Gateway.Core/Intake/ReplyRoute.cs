using Gateway.Core.Audit;
using Gateway.Core.Agencies;
using Gateway.Core.Lifecycle;
using Gateway.Core.Storage;

namespace Gateway.Core.Intake;

/// <summary>Where a message goes, the case it belongs to, and for a reply what it does to the message it answers; or why it is refused.</summary>
/// <param name="Answered">What the router read of the answered message, for the lifecycle to decide on.</param>
public sealed record ReplyRoute(IntakeRefusal? Refusal, IReadOnlyList<AgencyId> Recipients, MessageLink? Link, AnsweredMessage? Answered)
{
    /// <summary>For a reply: the message it answers as read, whose route limits the reply and whose case it joins.</summary>
    public StoredMessage? Target { get; init; }

    /// <summary>The agency that opened the message's case (<see cref="CaseRules"/>).</summary>
    public AgencyId? CaseOwner { get; init; }

    /// <summary>Agencies the message makes parties of its case.</summary>
    public IReadOnlyList<AgencyId> JoiningParties { get; init; } = [];

    /// <summary>Why each recipient was chosen, for a message routed to its case's parties; a linked message's go by its link.</summary>
    public IReadOnlyList<AuditRoute> Routes { get; init; } = [];

    public static ReplyRoute Refused(IntakeRefusal refusal) => new(refusal, [], null, null);
}
