using Gateway.Core.Intake;

namespace Gateway.Delivery;

/// <summary>
/// Raised once intake has committed a message: the dispatcher has new work, and a case update is news to subscribers.
/// Core decides and commits; waking the host's loops is the host's part. A replay or a refusal committed nothing new.
/// </summary>
public sealed class CommitSignals(WorkSignal work, UpdateFeedSignal feed)
{
    public void Committed(MessageKind kind, IntakeResult result)
    {
        if (result.Receipt is null || result.Duplicate)
        {
            return;
        }

        work.Notify();
        if (kind == MessageKind.CaseUpdate)
        {
            feed.Notify();
        }
    }
}
