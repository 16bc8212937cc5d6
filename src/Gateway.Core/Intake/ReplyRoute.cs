using Gateway.Core.Agencies;
using Gateway.Core.Lifecycle;
using Gateway.Core.Storage;

namespace Gateway.Core.Intake;

/// <summary>Where a reply goes and what it does to the message it answers, or why it is refused.</summary>
/// <param name="Answered">What the router read of the answered message, for the lifecycle to decide on.</param>
public sealed record ReplyRoute(IntakeRefusal? Refusal, IReadOnlyList<AgencyId> Recipients, MessageLink? Link, AnsweredMessage? Answered)
{
    public static ReplyRoute Refused(IntakeRefusal refusal) => new(refusal, [], null, null);
}
