using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Authentication.Certificate;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Gateway.Identity;

/// <summary>
/// Certificate authentication for agencies: a chain to one of the configured anchors only (never the machine's
/// store), within its validity, with client-authentication usage. Revocation is not left to X509Chain, which cannot
/// read the operator's CRL files (<see cref="AgencyCertificateEvents"/> checks it). Configured again whenever the
/// trust files change, through <see cref="IOptionsChangeTokenSource{TOptions}"/>.
/// </summary>
public sealed class CertificateAuthenticationSetup(AgencyTrustStore trust)
    : IConfigureNamedOptions<CertificateAuthenticationOptions>, IOptionsChangeTokenSource<CertificateAuthenticationOptions>
{
    /// <summary>TLS client authentication (1.3.6.1.5.5.7.3.2).</summary>
    public const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";

    public string Name => CertificateAuthenticationDefaults.AuthenticationScheme;

    public IChangeToken GetChangeToken() => trust.Current.ChangeToken;

    public void Configure(string? name, CertificateAuthenticationOptions options)
    {
        if (name == Name)
        {
            Configure(options);
        }
    }

    public void Configure(CertificateAuthenticationOptions options)
    {
        options.AllowedCertificateTypes = CertificateTypes.Chained;
        options.ChainTrustValidationMode = X509ChainTrustMode.CustomRootTrust;
        options.CustomTrustStore = [.. trust.Current.Anchors];
        options.RevocationMode = X509RevocationMode.NoCheck;
        options.ValidateCertificateUse = true;
        options.ValidateValidityPeriod = true;
        options.EventsType = typeof(AgencyCertificateEvents);
    }
}
