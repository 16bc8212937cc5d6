using Gateway.Audit;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gateway.Core.Agencies;
using Gateway.Core.Audit;
using Gateway.Core.Identity;
using Grpc.Core;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Certificate;

namespace Gateway.Identity;

/// <summary>
/// Mutual TLS identity: the agency is the one whose registered certificate the connection presented, as certificate
/// authentication (<see cref="CertificateAuthenticationSetup"/>, <see cref="AgencyCertificateEvents"/>) established it.
/// A refusal names the fault and carries what could be read of the certificate for the audit.
/// </summary>
public sealed class MutualTlsIdentity : ICallerIdentityResolver
{
    public async ValueTask<CallerIdentification> ResolveAsync(ServerCallContext context)
    {
        var call = context.GetHttpContext();
        if (call.Connection.ClientCertificate is not { } certificate)
        {
            return Refused(CertificateFault.Missing, null);
        }

        var result = await call.AuthenticateAsync(CertificateAuthenticationDefaults.AuthenticationScheme);
        if (result.Succeeded && AgencyId.TryParse(result.Principal.FindFirst(AgencyCertificateEvents.AgencyClaim)?.Value, out var agency))
        {
            return CallerIdentification.Of(agency);
        }

        return Refused((result.Failure as CertificateRefusedException)?.Fault ?? CertificateFault.Untrusted, certificate);
    }

    private static CallerIdentification Refused(CertificateFault fault, X509Certificate2? certificate) =>
        CallerIdentification.Refused(new CallRefusal(StatusCode.Unauthenticated, fault.ReasonCode(), Message(fault), [])
        {
            Certificate = certificate is null ? null : Describe(certificate),
        });

    /// <summary>What an audit entry keeps of a refused client certificate.</summary>
    private static AuditCertificate Describe(X509Certificate2 certificate) => new(
        certificate.Subject,
        certificate.Issuer,
        certificate.SerialNumber,
        certificate.GetCertHashString(HashAlgorithmName.SHA256),
        new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero),
        new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero));

    private static string Message(CertificateFault fault) => fault switch
    {
        CertificateFault.Missing => "The connection presented no client certificate; an agency calls with the client certificate registered for it in the directory.",
        CertificateFault.Untrusted => "The client certificate is not issued by an agency trust anchor of this gateway; use the certificate your agency was issued.",
        CertificateFault.Expired => "The client certificate has expired; renew it and have the renewed certificate registered.",
        CertificateFault.NotYetValid => "The client certificate is not valid yet; check its start date and the clock of the machine that issued it.",
        CertificateFault.Revoked => "The client certificate is revoked; use a new certificate and have it registered.",
        CertificateFault.Usage => "The client certificate is not for TLS client authentication; use a certificate issued for client authentication.",
        CertificateFault.Unregistered => "The client certificate is valid but is not the certificate any agency registered; have it registered in the directory.",
        _ => "The client certificate is refused.",
    };
}
