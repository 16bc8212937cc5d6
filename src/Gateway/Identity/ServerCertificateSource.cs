using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace Gateway.Identity;

/// <summary>
/// The gateway's server certificate as the files say now: Kestrel's certificate selector asks for it at every
/// handshake, so a replaced certificate serves new connections as soon as its files are re-read, and open connections
/// keep theirs. A replacement that does not read (a key that does not match yet, a half-written file) leaves the last
/// good certificate in use, logged; the next change is read again.
/// </summary>
public sealed class ServerCertificateSource : IDisposable
{
    private readonly string _certificatePath;
    private readonly string _keyPath;
    private readonly ILogger<ServerCertificateSource> _logger;
    private readonly Lock _reload = new();
    private readonly FileWatch _watch;
    private volatile X509Certificate2 _current;

    public ServerCertificateSource(IOptions<MutualTlsOptions> options, IHostEnvironment environment, ILogger<ServerCertificateSource> logger)
    {
        var paths = options.Value.ServerCertificate;
        _certificatePath = Path.GetFullPath(paths.CertificatePath ?? string.Empty, environment.ContentRootPath);
        _keyPath = Path.GetFullPath(paths.KeyPath ?? string.Empty, environment.ContentRootPath);
        _logger = logger;
        try
        {
            _current = TrustFiles.LoadServerCertificate(_certificatePath, _keyPath);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new Hosting.GatewayConfigurationException(
                $"{IdentityOptions.Section}:ServerCertificate cannot be used: {error.Message.TrimEnd('.')}. Give a PEM certificate and its private key the gateway can read.",
                error);
        }

        Loaded(_current);
        _watch = new FileWatch([_certificatePath, _keyPath], Reload);
    }

    /// <summary>The certificate new handshakes present.</summary>
    public X509Certificate2 Current => _current;

    public void Dispose() => _watch.Dispose();

    private void Reload()
    {
        lock (_reload)
        {
            X509Certificate2 loaded;
            try
            {
                loaded = TrustFiles.LoadServerCertificate(_certificatePath, _keyPath);
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                IdentityLog.ServerCertificateKept(_logger, _certificatePath, error.Message);
                return;
            }

            if (loaded.RawDataMemory.Span.SequenceEqual(_current.RawDataMemory.Span))
            {
                loaded.Dispose();
                return;
            }

            // The certificate replaced is not disposed: a handshake that took it a moment ago may still be using it.
            _current = loaded;
            Loaded(loaded);
        }
    }

    private void Loaded(X509Certificate2 certificate) => IdentityLog.ServerCertificateLoaded(
        _logger, _certificatePath, certificate.GetCertHashString(HashAlgorithmName.SHA256), certificate.NotAfter.ToUniversalTime());
}
