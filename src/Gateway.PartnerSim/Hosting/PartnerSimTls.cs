using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Gateway.PartnerSim.Hosting;

/// <summary>
/// TLS as an agency's endpoint would serve it: its server certificate, and with a client CA a client certificate
/// required at the handshake, chaining to that CA (never the machine's store), valid now, for client authentication,
/// and when a gateway certificate is given, exactly that one. Each accepted client certificate is logged with its
/// SHA-256, so that a test or an operator sees which certificate the gateway presented.
/// </summary>
internal static class PartnerSimTls
{
    private const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";

    public static void Configure(KestrelServerOptions kestrel, PartnerSimOptions options)
    {
        if (options.TlsCertificatePath is null)
        {
            return;
        }

        var certificate = X509Certificate2.CreateFromPemFile(options.TlsCertificatePath, options.TlsKeyPath);
        kestrel.ConfigureHttpsDefaults(https =>
        {
            https.ServerCertificate = certificate;
            if (options.ClientCaPath is null)
            {
                return;
            }

            var authority = new X509Certificate2Collection();
            authority.ImportFromPemFile(options.ClientCaPath);
            var pinned = options.GatewayCertificatePath is null ? null : Sha256(options.GatewayCertificatePath);
            var logger = new Lazy<ILogger>(() => kestrel.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("PartnerSim"));
            https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
            https.ClientCertificateValidation = (client, _, _) => Accept(client, authority, pinned, logger.Value);
        });
    }

    private static bool Accept(X509Certificate2 client, X509Certificate2Collection authority, byte[]? pinned, ILogger logger)
    {
        var hash = client.GetCertHash(HashAlgorithmName.SHA256);
        var problem = ChainProblem(client, authority)
            ?? (pinned is not null && !hash.AsSpan().SequenceEqual(pinned) ? "is not the gateway certificate given with --gateway-certificate" : null);
        if (problem is null)
        {
            PartnerSimLog.ClientCertificateAccepted(logger, client.Subject, Convert.ToHexString(hash));
            return true;
        }

        PartnerSimLog.ClientCertificateRefused(logger, client.Subject, Convert.ToHexString(hash), problem);
        return false;
    }

    private static string? ChainProblem(X509Certificate2 client, X509Certificate2Collection authority)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authority);
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(ClientAuthentication));
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(client)
            ? null
            : $"does not validate against --client-ca ({chain.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status)})";
    }

    private static byte[] Sha256(string path)
    {
        using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(path));
        return certificate.GetCertHash(HashAlgorithmName.SHA256);
    }
}
