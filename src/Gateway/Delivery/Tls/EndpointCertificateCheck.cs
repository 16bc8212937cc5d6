using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gateway.Delivery.Tls;

/// <summary>
/// Whether an endpoint's server certificate is the one to send to: it chains to an endpoint trust anchor (the configured
/// CAs alone, never the machine's store), is within its validity, is for server authentication, names the host, and is
/// exactly the certificate the directory registers for every agency at that endpoint. The answer is a short text that
/// completes "the certificate ...", for the delivery's last error and the log; it holds no content of any message.
/// </summary>
public static class EndpointCertificateCheck
{
    private const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";

    /// <returns>Null when the certificate is accepted; else what is wrong with it.</returns>
    /// <param name="presented">The endpoint's certificate.</param>
    /// <param name="intermediates">Further certificates the endpoint sent with it.</param>
    /// <param name="errors">What TLS found: only the host name is taken from it when trust anchors are configured.</param>
    public static string? Problem(
        X509Certificate2 presented, IEnumerable<X509Certificate2> intermediates, SslPolicyErrors errors, EndpointTlsMaterial material, DateTimeOffset now)
    {
        if (material.Unusable is not null)
        {
            return $"cannot be checked: the gateway's TLS files cannot be read ({material.Unusable})";
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return "was not presented";
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return "does not name the endpoint's host";
        }

        if (material.TrustAnchors.Count == 0)
        {
            // No anchors configured: the machine's trust decides, as for any https client (development only: MutualTls
            // mode requires anchors).
            if (errors != SslPolicyErrors.None)
            {
                return $"is not trusted by this machine ({errors})";
            }
        }
        else if (ChainProblem(presented, intermediates, material.TrustAnchors, now) is { } chainProblem)
        {
            return chainProblem;
        }

        var presentedHash = presented.GetCertHash(HashAlgorithmName.SHA256);
        foreach (var registered in material.Registered)
        {
            if (registered.Sha256 is null)
            {
                return $"cannot be compared: the certificate registered for {registered.Agency} ({registered.Path}) cannot be read: {registered.Unreadable}";
            }

            if (!CryptographicOperations.FixedTimeEquals(presentedHash, registered.Sha256))
            {
                return $"is not the one registered for {registered.Agency} (presented SHA-256 {Convert.ToHexString(presentedHash)}, registered {Convert.ToHexString(registered.Sha256)} in {registered.Path})";
            }
        }

        return null;
    }

    private static string? ChainProblem(X509Certificate2 presented, IEnumerable<X509Certificate2> intermediates, X509Certificate2Collection anchors, DateTimeOffset now)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(anchors);
        chain.ChainPolicy.ExtraStore.AddRange(intermediates.ToArray());
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(ServerAuthentication));

        // Endpoint certificates are pinned one by one in the directory: replacing the registered file withdraws one.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        if (chain.Build(presented))
        {
            return null;
        }

        var flags = chain.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status);
        return flags switch
        {
            _ when flags.HasFlag(X509ChainStatusFlags.NotTimeValid) => $"is outside its validity ({presented.NotBefore.ToUniversalTime():O} to {presented.NotAfter.ToUniversalTime():O})",
            _ when flags.HasFlag(X509ChainStatusFlags.NotValidForUsage) => "is not for server authentication",
            _ when flags.HasFlag(X509ChainStatusFlags.UntrustedRoot) || flags.HasFlag(X509ChainStatusFlags.PartialChain) => "does not chain to an endpoint trust anchor",
            _ => $"does not validate ({flags})",
        };
    }
}
