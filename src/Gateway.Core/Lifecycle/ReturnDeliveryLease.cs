using Gateway.Core.Storage;

namespace Gateway.Core.Lifecycle;

/// <summary>
/// A lease given back unsent: the delivery has no lease, goes to <paramref name="State"/> with <paramref name="Attempts"/>
/// attempts, and keeps its due time, so it is due at once in its place in its case's order.
/// </summary>
public sealed record ReturnDeliveryLease(long DeliveryId, DeliveryState State, int Attempts) : RowChange;
