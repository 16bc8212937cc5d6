using Gateway.Audit;
using Gateway.Core.Agencies;
using Grpc.Core;

namespace Gateway.Identity;

/// <summary>Finds which agency is calling: the header in development mode, the client certificate in mutual TLS.</summary>
public interface ICallerIdentityResolver
{
    /// <summary>The calling agency, or the refusal that says why the call proves none.</summary>
    ValueTask<CallerIdentification> ResolveAsync(ServerCallContext context);
}

/// <summary>An agency, or the refusal of a call that does not prove one.</summary>
public readonly record struct CallerIdentification
{
    private CallerIdentification(AgencyId? agency, CallRefusal? refusal)
    {
        Agency = agency;
        Refusal = refusal;
    }

    public AgencyId? Agency { get; }

    public CallRefusal? Refusal { get; }

    public static CallerIdentification Of(AgencyId agency) => new(agency, null);

    public static CallerIdentification Refused(CallRefusal refusal) => new(null, refusal with { ClaimRefused = true });
}
