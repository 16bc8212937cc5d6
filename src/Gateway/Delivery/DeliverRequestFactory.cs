using Gateway.Core.Messages;
using Gateway.Core.Storage;
using Interagency.V1;

namespace Gateway.Delivery;

/// <summary>Turns a claimed delivery (the request as received, stored as bytes) into what the endpoint is sent.</summary>
public static class DeliverRequestFactory
{
    public static DeliverRequest Create(ClaimedDelivery claimed)
    {
        var delivery = claimed.Delivery;
        var request = new DeliverRequest
        {
            DeliveryId = delivery.DeliveryId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Attempt = (uint)delivery.Attempts,
            PrepareOnly = claimed.PrepareOnly,
            Recipient = delivery.Recipient,
            Late = claimed.Late,
            Replayed = delivery.Replayed,
        };
        var kind = KindRequests.For(claimed.Kind);
        kind.FillDelivery(kind.Parser.ParseFrom(claimed.Payload), request);
        return request;
    }
}
