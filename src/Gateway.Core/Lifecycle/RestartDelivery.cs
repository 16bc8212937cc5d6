using Gateway.Core.Storage;

namespace Gateway.Core.Lifecycle;

/// <summary>
/// The delivery starts its life again at the transaction's time, in <paramref name="State"/>: no attempts, due at once,
/// not finished, its age for dead-lettering counted from now; <paramref name="Replayed"/> marks an operator's replay.
/// </summary>
public sealed record RestartDelivery(long DeliveryId, DeliveryState State, bool Replayed) : RowChange;
