using Gateway.Core.Agencies;
using Grpc.Core;

namespace Gateway.Identity;

/// <summary>Finds which agency is calling. The one seam where mutual TLS will plug in.</summary>
public interface ICallerIdentityResolver
{
    /// <summary>The calling agency, or null when the call does not prove one.</summary>
    AgencyId? Resolve(ServerCallContext context);
}
