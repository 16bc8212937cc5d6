namespace Gateway.Identity;

/// <summary>The start-up report's line on mutual TLS identity. Taking the trust files here also starts their watches.</summary>
internal static class MutualTlsReport
{
    public static void Write(IServiceProvider services, ILogger logger)
    {
        var trust = services.GetRequiredService<AgencyTrustStore>().Current;
        var pins = services.GetRequiredService<RegisteredAgencyCertificates>().Current;
        IdentityLog.MutualTlsIdentity(logger, trust.Anchors.Count, trust.Lists.Count, pins.Agencies.Count);
    }
}
