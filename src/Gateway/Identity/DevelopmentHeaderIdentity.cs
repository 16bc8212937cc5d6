using Gateway.Core.Agencies;
using Grpc.Core;

namespace Gateway.Identity;

/// <summary>
/// Development identity: trusts the agency named in the <c>x-liaison-agency</c> header if it is in the
/// directory in effect. Anyone who can reach the port can claim any agency, so the host refuses to bind anything
/// but loopback in this mode.
/// </summary>
public sealed class DevelopmentHeaderIdentity(IAgencyDirectoryProvider directories) : ICallerIdentityResolver
{
    public AgencyId? Resolve(ServerCallContext context)
    {
        var value = context.RequestHeaders.GetValue(IdentityOptions.AgencyHeader);
        return AgencyId.TryParse(value, out var id) && directories.GetDirectory().TryGet(id, out _) ? id : null;
    }
}
