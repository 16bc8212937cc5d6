using Gateway.Core.Storage;

namespace Gateway.Core.Intake;

/// <summary>
/// A message through the rules and routing, ready to commit; or, when <see cref="Decided"/> is set, already answered
/// (refused, or a replay's stored receipt) with nothing to commit.
/// </summary>
/// <param name="Stale">The refusal to give if the message it answers changed state before the commit.</param>
public sealed record PreparedMessage(IntakeResult? Decided, NewMessage? Message, IntakeRefusal? Stale);
