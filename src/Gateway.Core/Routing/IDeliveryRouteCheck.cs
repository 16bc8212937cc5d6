using Gateway.Core.Storage;

namespace Gateway.Core.Routing;

/// <summary>
/// Which stored deliveries the route agreements in effect no longer allow (<see cref="DeliveryRoutes.StillPermits"/>):
/// an operator's replay or a reviewer's release repeats intake's check, since the table may have changed meanwhile.
/// </summary>
public interface IDeliveryRouteCheck
{
    /// <returns>The ids of the deliveries whose route is no longer agreed.</returns>
    Task<IReadOnlySet<long>> NotPermittedAsync(IReadOnlyList<DeliveryRecord> deliveries, CancellationToken cancellationToken);
}
