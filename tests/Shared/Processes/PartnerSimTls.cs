namespace Gateway.Tests.Shared;

/// <summary>
/// The TLS files a PartnerSim serves with (<c>--tls-cert</c>, <c>--tls-key</c>) and, optionally, the CA client
/// certificates must chain to (<c>--client-ca</c>) and the one client certificate it accepts (<c>--gateway-certificate</c>).
/// </summary>
public sealed record PartnerSimTls(string CertificatePath, string KeyPath, string? ClientCaPath = null, string? GatewayCertificatePath = null)
{
    public IEnumerable<string> ToArguments()
    {
        yield return "--tls-cert";
        yield return CertificatePath;
        yield return "--tls-key";
        yield return KeyPath;
        if (ClientCaPath is not null)
        {
            yield return "--client-ca";
            yield return ClientCaPath;
        }

        if (GatewayCertificatePath is not null)
        {
            yield return "--gateway-certificate";
            yield return GatewayCertificatePath;
        }
    }
}
