using Gateway.Core.Storage;

namespace Gateway.Core.Lifecycle;

/// <summary>Ends a delivery never attempted, in <see cref="State"/> at the change set's time: its recipient never saw the request.</summary>
public sealed record WithdrawDelivery(long DeliveryId) : RowChange
{
    public DeliveryState State => DeliveryState.Withdrawn;
}
