using Gateway.Audit;
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
    private static readonly CallerIdentification Unknown = CallerIdentification.Refused(new CallRefusal(
        StatusCode.Unauthenticated,
        "caller_unknown",
        $"The call does not identify a known agency; send the '{IdentityOptions.AgencyHeader}' header with an agency id from the directory.",
        []));

    public ValueTask<CallerIdentification> ResolveAsync(ServerCallContext context)
    {
        var value = context.RequestHeaders.GetValue(IdentityOptions.AgencyHeader);
        return ValueTask.FromResult(
            AgencyId.TryParse(value, out var id) && directories.GetDirectory().TryGet(id, out _) ? CallerIdentification.Of(id) : Unknown);
    }
}
