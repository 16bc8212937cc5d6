using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gateway.Core.Agencies;
using Gateway.Hosting;
using Microsoft.Extensions.Options;

namespace Gateway.Delivery.Tls;

/// <summary>
/// Reads the files an https endpoint's connection depends on: the gateway's client certificate, the endpoint trust
/// anchors and the certificates the directory registers for the endpoint's agencies. Their stamps (<see cref="FileStamp"/>)
/// tell when any of them changed, so that a replaced file takes effect without a restart.
/// </summary>
public sealed class EndpointTlsFiles(IOptions<EndpointTlsOptions> options, IHostEnvironment environment)
{
    private readonly EndpointTlsOptions _options = options.Value;

    /// <summary>The stamps of every file a connection to <paramref name="endpoint"/> depends on, in <paramref name="directory"/>.</summary>
    public FileStamp[] Stamps(Uri endpoint, AgencyDirectory directory) =>
    [
        .. ClientFiles().Select(FileStamp.Of),
        .. _options.TrustAnchors.Paths.Select(p => FileStamp.Of(Resolve(p))),
        .. Registered(endpoint, directory).Select(r => FileStamp.Of(r.Path)),
    ];

    /// <summary>Reads everything a new connection to <paramref name="endpoint"/> uses; throws when the gateway's own files cannot be read.</summary>
    public EndpointTlsMaterial Load(Uri endpoint, AgencyDirectory directory)
    {
        SslStreamCertificateContext? client = null;
        if (ClientFiles() is [var certificatePath, var keyPath])
        {
            // The PEM file may hold the issuing chain after the certificate: it is sent along, so that an endpoint
            // trusting only the root can build the path.
            var certificate = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            var chain = new X509Certificate2Collection();
            chain.ImportFromPemFile(certificatePath);
            client = SslStreamCertificateContext.Create(
                certificate, new X509Certificate2Collection(chain.Where(c => c.Thumbprint != certificate.Thumbprint).ToArray()), offline: true);
        }

        var anchors = new X509Certificate2Collection();
        foreach (var path in _options.TrustAnchors.Paths)
        {
            anchors.ImportFromPemFile(Resolve(path));
        }

        var pins = Registered(endpoint, directory).Select(r => RegisteredCertificate.Read(r.Agency, r.Path)).ToArray();
        return new EndpointTlsMaterial(client, anchors, pins);
    }

    /// <summary>An absolute path: a relative one resolves against the content root, as Kestrel's certificate paths do.</summary>
    public static string Resolve(IHostEnvironment environment, string path) => Path.GetFullPath(path, environment.ContentRootPath);

    private string Resolve(string path) => Resolve(environment, path);

    private string[] ClientFiles() =>
        _options.ClientCertificate is { CertificatePath: { Length: > 0 } certificate, KeyPath: { Length: > 0 } key }
            ? [Resolve(certificate), Resolve(key)]
            : [];

    private IEnumerable<(string Agency, string Path)> Registered(Uri endpoint, AgencyDirectory directory) =>
        directory.Agencies
            .Where(a => a.Endpoint == endpoint && a.EndpointCertificate is not null)
            .Select(a => (a.Id.ToString(), Resolve(a.EndpointCertificate!)));
}

/// <summary>The certificate an agency registers for its endpoint, by SHA-256 of its DER encoding, or why it cannot be read.</summary>
public sealed record RegisteredCertificate(string Agency, string Path, byte[]? Sha256, string? Unreadable)
{
    public static RegisteredCertificate Read(string agency, string path)
    {
        try
        {
            using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(path));
            return new RegisteredCertificate(agency, path, certificate.GetCertHash(HashAlgorithmName.SHA256), null);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            return new RegisteredCertificate(agency, path, null, error.Message);
        }
    }
}

/// <summary>What one connection to an endpoint is made with: the gateway's certificate, the anchors, the registered certificates.</summary>
public sealed record EndpointTlsMaterial(
    SslStreamCertificateContext? ClientCertificate, X509Certificate2Collection TrustAnchors, IReadOnlyList<RegisteredCertificate> Registered)
{
    /// <summary>Why the gateway's own files could not be read; no endpoint certificate is accepted while this is set.</summary>
    public string? Unusable { get; init; }
}
