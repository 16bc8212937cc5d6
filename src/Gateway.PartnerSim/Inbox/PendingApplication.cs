using Interagency.V1;

namespace Gateway.PartnerSim.Inbox;

/// <summary>One call's deliveries waiting for the inbox writer, and the caller waiting for their outcomes.</summary>
internal sealed class PendingApplication(IReadOnlyList<DeliverRequest> deliveries)
{
    // Continuations run off the writer, so that answering callers never delays the next commit.
    private readonly TaskCompletionSource<DeliveryOutcome[]> _outcomes = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<DeliverRequest> Deliveries { get; } = deliveries;

    public Task<DeliveryOutcome[]> Outcomes => _outcomes.Task;

    public void Complete(DeliveryOutcome[] outcomes) => _outcomes.TrySetResult(outcomes);

    public void Fail(Exception exception) => _outcomes.TrySetException(exception);
}
