using Gateway.Core.Storage;

namespace Gateway.Core.Lifecycle;

/// <summary>
/// A delivery is in the state, and has the attempts, that a decision about it was taken on: a withdrawal withdraws the
/// deliveries never attempted and addresses the others, so a claim, a review or a replay in between changes the answer.
/// </summary>
public sealed record DeliveryUnchanged(long DeliveryId, DeliveryState State, int Attempts) : Precondition;
