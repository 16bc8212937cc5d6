using Gateway.Core.Storage;

namespace Gateway.Core.Lifecycle;

/// <summary>A reviewer refused the held delivery: it goes to <paramref name="State"/> and is finished at the transaction's time.</summary>
public sealed record RefuseHeldDelivery(long DeliveryId, DeliveryState State) : RowChange;
