using Gateway.Core.Lifecycle;

namespace Gateway.Core.Intake;

/// <summary>
/// A message through the rules, routing and the lifecycle's decision, ready to commit; or, when <see cref="Decided"/> is
/// set, already answered (refused, or a replay's stored receipt) with nothing to commit.
/// </summary>
public sealed class PreparedMessage
{
    internal PreparedMessage(Submission submission, int attempt, IntakeResult? decided, AcceptDecision? decision)
    {
        Submission = submission;
        Attempt = attempt;
        Decided = decided;
        Decision = decision;
    }

    public IntakeResult? Decided { get; }

    /// <summary>The change set to commit, when nothing is <see cref="Decided"/> yet.</summary>
    internal AcceptDecision? Decision { get; }

    /// <summary>What was submitted, to decide again on if the state read changes before the commit.</summary>
    internal Submission Submission { get; }

    /// <summary>How many times the message has been decided, this one included.</summary>
    internal int Attempt { get; }
}
