using Gateway.Core.Storage;

namespace Gateway.Core.Lifecycle;

/// <summary>
/// A claim: the delivery goes to <paramref name="State"/> under <paramref name="Worker"/>'s lease until
/// <paramref name="Lease"/> after the transaction's time, and its count of attempts becomes <paramref name="Attempts"/>.
/// </summary>
public sealed record LeaseDelivery(long DeliveryId, DeliveryState State, string Worker, TimeSpan Lease, int Attempts) : RowChange;
