using Gateway.Core.Agencies;
using Gateway.Core.Storage;

namespace Gateway.Core.Intake;

/// <summary>Where a reply goes and what it does to the message it answers, or why it is refused.</summary>
/// <param name="Stale">The refusal to give if the answered message changes state before the reply is committed.</param>
public sealed record ReplyRoute(IntakeRefusal? Refusal, IReadOnlyList<AgencyId> Recipients, MessageLink? Link, IntakeRefusal? Stale)
{
    public static ReplyRoute Refused(IntakeRefusal refusal) => new(refusal, [], null, null);
}
