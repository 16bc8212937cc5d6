using Gateway.Core.Agencies;
using Grpc.Core;

namespace Gateway.Identity;

/// <summary>
/// Development identity: trusts the agency named in the <c>x-liaison-agency</c> header if it is in the
/// directory. Anyone who can reach the port can claim any agency, so the host refuses to bind anything
/// but loopback in this mode.
/// </summary>
public sealed class DevelopmentHeaderIdentity(AgencyDirectory directory) : ICallerIdentityResolver
{
    public AgencyId? Resolve(ServerCallContext context)
    {
        var value = context.RequestHeaders.GetValue(IdentityOptions.AgencyHeader);
        return AgencyId.TryParse(value, out var id) && directory.TryGet(id, out _) ? id : null;
    }
}
