using Gateway.Core.Storage;

namespace Gateway.Core.Lifecycle;

/// <summary>
/// The delivery is still in <paramref name="State"/> after <paramref name="Attempts"/> attempts, as it was read: nobody
/// has claimed, completed, replayed, reviewed or withdrawn it since.
/// </summary>
public sealed record DeliveryInState(long DeliveryId, DeliveryState State, int Attempts) : Precondition;
