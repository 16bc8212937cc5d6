using Gateway.Core.Intake;

namespace Gateway.Core.Storage;

/// <summary>A delivery a worker holds the lease of, with what it needs to send it.</summary>
/// <param name="Payload">The message's request as received, in protobuf encoding.</param>
/// <param name="PrepareOnly">A referral whose coordination hold is still open: prepare, do not act.</param>
/// <param name="Late">The message answers a request that was already withdrawn.</param>
public sealed record ClaimedDelivery(DeliveryRecord Delivery, MessageKind Kind, byte[] Payload, bool PrepareOnly, bool Late)
{
    /// <summary>The trace context stored with the delivery's message: each attempt is a span of that trace.</summary>
    public string? TraceParent { get; init; }
}
