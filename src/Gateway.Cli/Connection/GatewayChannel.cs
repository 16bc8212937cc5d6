using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;

namespace Gateway.Cli.Connection;

/// <summary>
/// The channel to the gateway: plaintext HTTP/2 for http:// (the development gateway), TLS for https:// with the
/// server verified against the given CAs (or the machine's trust store without them) and, when given, a client
/// certificate for mutual TLS. Verification is never switched off.
/// </summary>
internal static class GatewayChannel
{
    // TLS server authentication, the extended key usage a gateway's certificate must carry.
    private const string ServerAuth = "1.3.6.1.5.5.7.3.1";

    /// <summary>Where the TLS material comes from: explicit files, or a profile and the calling agency.</summary>
    public sealed record Settings(IReadOnlyList<string> TrustAnchors, string? Certificate, string? Key)
    {
        public bool Any => TrustAnchors.Count > 0 || Certificate is not null || Key is not null;
    }

    /// <summary>Explicit --ca, --cert and --key win over what --profile (with --as) names.</summary>
    public static Settings Resolve(string? ca, string? certificate, string? key, string? profile, string? agency)
    {
        if ((certificate is null) != (key is null))
        {
            throw new UsageException("--cert and --key go together: the client certificate and its private key");
        }

        if (profile is null)
        {
            return new Settings(ca is null ? [] : [ca], certificate, key);
        }

        var loaded = ConnectionProfile.Load(profile);
        var client = certificate is null && agency is not null ? loaded.ClientCertificateOf(agency) : null;
        return new Settings(ca is null ? loaded.TrustAnchors : [ca], certificate ?? client?.Certificate, key ?? client?.Key);
    }

    /// <summary>Opens the channel; <paramref name="clientCertificate"/> is the caller's to dispose with it.</summary>
    public static GrpcChannel Open(Uri address, Settings settings, out X509Certificate2? clientCertificate)
    {
        clientCertificate = null;
        if (address.Scheme == Uri.UriSchemeHttp)
        {
            return settings.Any
                ? throw new UsageException("--ca, --cert, --key and --profile are for TLS: give an https:// --gateway")
                : GrpcChannel.ForAddress(address);
        }

        var anchors = LoadAnchors(settings.TrustAnchors);
        var client = settings.Certificate is null ? null : LoadClientCertificate(settings.Certificate, settings.Key!);
        var ssl = new SslClientAuthenticationOptions();
        if (anchors is not null)
        {
            ssl.RemoteCertificateValidationCallback = (_, certificate, chain, errors) => IsTrusted(certificate, chain, errors, anchors);
        }

        if (client is not null)
        {
            // Always this certificate, whichever CAs the server names as acceptable: a server that names none must get it too.
            ssl.ClientCertificates = [client];
            ssl.LocalCertificateSelectionCallback = (_, _, _, _, _) => client;
        }

        clientCertificate = client;
        var handler = new SocketsHttpHandler { SslOptions = ssl, EnableMultipleHttp2Connections = true };
        return GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
    }

    /// <summary>
    /// The server's certificate as SslStream saw it, but its chain built again to the given CAs only: SslStream's own
    /// chain check used the machine's trust store, which a test PKI is not in and must not be put in.
    /// </summary>
    private static bool IsTrusted(X509Certificate? certificate, X509Chain? presented, SslPolicyErrors errors, X509Certificate2Collection anchors)
    {
        if (certificate is not X509Certificate2 server || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(anchors);
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(ServerAuth));
        if (presented is not null)
        {
            chain.ChainPolicy.ExtraStore.AddRange(presented.ChainElements.Select(e => e.Certificate).ToArray());
        }

        // Revocation is checked where a certificate names a CRL distribution point, and passes where none is
        // named or reachable, as browsers do: the test PKI names none, its CRL is for the gateway to read.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.Online;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreEndRevocationUnknown | X509VerificationFlags.IgnoreCertificateAuthorityRevocationUnknown;
        return chain.Build(server);
    }

    private static X509Certificate2Collection? LoadAnchors(IReadOnlyList<string> paths)
    {
        if (paths.Count == 0)
        {
            return null;
        }

        var anchors = new X509Certificate2Collection();
        foreach (var path in paths)
        {
            try
            {
                anchors.ImportFromPemFile(path);
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException or CryptographicException)
            {
                throw new UsageException($"the CA certificate '{path}' (--ca or --profile) cannot be read: {error.Message}");
            }
        }

        return anchors.Count > 0 ? anchors : throw new UsageException($"no CA certificate in {string.Join(", ", paths)} (--ca or --profile)");
    }

    private static X509Certificate2 LoadClientCertificate(string certificate, string key)
    {
        try
        {
            return X509Certificate2.CreateFromPemFile(certificate, key);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw new UsageException($"the client certificate '{certificate}' with key '{key}' (--cert/--key or --profile) cannot be loaded: {error.Message}");
        }
    }
}
