using Interagency.V1;

namespace Gateway.PartnerSim.Services;

/// <summary>The one thing the inbox cannot do without: a message id to apply once.</summary>
public static class DeliveryCheck
{
    /// <summary>What is wrong with the call's deliveries, or null when each has a message id.</summary>
    public static string? Problem(IReadOnlyList<DeliverRequest> deliveries)
    {
        for (var i = 0; i < deliveries.Count; i++)
        {
            if (string.IsNullOrEmpty(deliveries[i].Header?.MessageId))
            {
                return $"Delivery {i} (delivery_id '{deliveries[i].DeliveryId}') has no header.message_id; it is the idempotency key, so every delivery must carry it. Nothing of this call was applied.";
            }
        }

        return null;
    }
}
