using Gateway.Core.Agencies;
using Gateway.Core.Storage;

namespace Gateway.Core.Routing;

/// <summary>Checks stored deliveries against one snapshot of the directory, reading each message once.</summary>
public sealed class DeliveryRouteCheck(IAgencyDirectoryProvider directories, IIntakeStore messages) : IDeliveryRouteCheck
{
    public async Task<IReadOnlySet<long>> NotPermittedAsync(IReadOnlyList<DeliveryRecord> deliveries, CancellationToken cancellationToken)
    {
        var directory = directories.GetDirectory();
        var read = new Dictionary<string, StoredMessage?>(StringComparer.Ordinal);
        var refused = new HashSet<long>();
        foreach (var delivery in deliveries)
        {
            if (!read.TryGetValue(delivery.MessageId, out var message))
            {
                read[delivery.MessageId] = message = await messages.FindMessageAsync(delivery.MessageId, cancellationToken);
            }

            if (message is not null && !DeliveryRoutes.StillPermits(directory, message, delivery.Recipient))
            {
                refused.Add(delivery.DeliveryId);
            }
        }

        return refused;
    }
}
