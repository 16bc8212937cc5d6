using Gateway.Core.Intake;
using Interagency.V1;

namespace Gateway.Core.Storage;

/// <summary>
/// A delivery the queue found due (pending, a retry whose time has come, or in flight under a lease that ran out), with
/// the facts Core decides its claim and what it is sent as on.
/// </summary>
/// <param name="Payload">The message's request as received, in protobuf encoding.</param>
/// <param name="MessageState">The state of the delivery's message.</param>
/// <param name="Hold">The state of the coordination hold on the delivery's message (a referral), or null when it has none.</param>
public sealed record DueDelivery(DeliveryRecord Delivery, MessageKind Kind, byte[] Payload, MessageState MessageState, HoldState? Hold)
{
    /// <summary>The trace context stored with the delivery's message (<see cref="NewMessage.TraceParent"/>).</summary>
    public string? TraceParent { get; init; }
}
