using System.Security.Claims;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gateway.Core.Identity;
using Microsoft.AspNetCore.Authentication.Certificate;

namespace Gateway.Identity;

/// <summary>
/// What certificate authentication cannot check itself: revocation by the operator's CRL files, and which agency the
/// certificate is; and, when its own chain validation failed, which fault it was (it reports only that it failed).
/// </summary>
public sealed class AgencyCertificateEvents(AgencyTrustStore trust, RegisteredAgencyCertificates registered, TimeProvider time)
    : CertificateAuthenticationEvents
{
    /// <summary>The claim that carries the authenticated agency's id.</summary>
    public const string AgencyClaim = "liaison:agency";

    public override Task CertificateValidated(CertificateValidatedContext context)
    {
        var certificate = context.ClientCertificate;
        var snapshot = trust.Current;
        using var chain = BuildChain(certificate, snapshot);
        var issuer = chain.ChainElements.Count > 1 ? chain.ChainElements[1].Certificate : certificate;
        if (RevocationRules.Revokes(snapshot.Lists, issuer.GetCertHashString(HashAlgorithmName.SHA256), CertificateSerial.Normalize(certificate.SerialNumberBytes.Span)))
        {
            context.Fail(new CertificateRefusedException(CertificateFault.Revoked));
            return Task.CompletedTask;
        }

        if (registered.Current.Agencies.Find(certificate.GetCertHashString(HashAlgorithmName.SHA256)) is not { } agency)
        {
            context.Fail(new CertificateRefusedException(CertificateFault.Unregistered));
            return Task.CompletedTask;
        }

        context.Principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(AgencyClaim, agency.ToString())], context.Scheme.Name));
        context.Success();
        return Task.CompletedTask;
    }

    public override Task AuthenticationFailed(CertificateAuthenticationFailedContext context)
    {
        if (context.Exception is CertificateRefusedException)
        {
            return Task.CompletedTask;
        }

        var certificate = context.HttpContext.Connection.ClientCertificate;
        var fault = CertificateFault.Untrusted;
        if (certificate is not null)
        {
            using var chain = BuildChain(certificate, trust.Current);
            var flags = chain.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, status) => all | status.Status);
            fault = CertificateFaults.FromChain(
                flags, certificate.NotBefore.ToUniversalTime(), certificate.NotAfter.ToUniversalTime(), time.GetUtcNow());
        }

        context.Fail(new CertificateRefusedException(fault));
        return Task.CompletedTask;
    }

    /// <summary>The chain as certificate authentication built it (<see cref="CertificateAuthenticationSetup"/>), to read its issuer or its faults.</summary>
    private static X509Chain BuildChain(X509Certificate2 certificate, AgencyTrustStore.Snapshot snapshot)
    {
        var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(snapshot.Anchors);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(CertificateAuthenticationSetup.ClientAuthentication));
        chain.Build(certificate);
        return chain;
    }
}
