using Gateway.Core.Routing;
using Gateway.Core.Storage;

namespace Gateway.Tests.Shared;

/// <summary>
/// A route check with a fixed answer, for tests of what a replay or a review does with it: the deliveries named are no
/// longer agreed, every other one is.
/// </summary>
public sealed class FixedRouteCheck(params long[] notAgreed) : IDeliveryRouteCheck
{
    /// <summary>Every route still agreed.</summary>
    public static readonly FixedRouteCheck AllAgreed = new();

    public Task<IReadOnlySet<long>> NotPermittedAsync(IReadOnlyList<DeliveryRecord> deliveries, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlySet<long>>(deliveries.Select(d => d.DeliveryId).Where(notAgreed.Contains).ToHashSet());
}
