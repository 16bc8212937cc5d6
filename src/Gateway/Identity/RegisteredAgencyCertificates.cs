using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gateway.Core.Agencies;
using Gateway.Core.Identity;
using Microsoft.Extensions.Primitives;

namespace Gateway.Identity;

/// <summary>
/// The certificate each agency registered (directory field <c>ClientCertificate</c>), pinned by SHA-256 thumbprint
/// (<see cref="AgencyCertificatePins"/> says why pins rather than names). Re-read when the directory is replaced and
/// when a registered file changes: renewing an agency's certificate is replacing its file.
/// </summary>
public sealed class RegisteredAgencyCertificates : IDisposable
{
    private readonly IAgencyDirectoryProvider _directories;
    private readonly string _contentRoot;
    private readonly ILogger<RegisteredAgencyCertificates> _logger;
    private readonly Lock _reload = new();
    private readonly IDisposable _directoryChanges;
    private FileWatch? _watch;
    private string[] _watched = [];
    private volatile Pins _current = new(AgencyCertificatePins.Empty, 0);

    public RegisteredAgencyCertificates(IAgencyDirectoryProvider directories, IHostEnvironment environment, ILogger<RegisteredAgencyCertificates> logger)
    {
        _directories = directories;
        _contentRoot = environment.ContentRootPath;
        _logger = logger;
        Reload();
        _directoryChanges = ChangeToken.OnChange(() => _directories.GetDirectory().ChangeToken, Reload);
    }

    public Pins Current => _current;

    public void Dispose()
    {
        _directoryChanges.Dispose();
        lock (_reload)
        {
            _watch?.Dispose();
        }
    }

    private void Reload()
    {
        lock (_reload)
        {
            var registered = new List<(AgencyId, string)>();
            var paths = new List<string>();
            foreach (var agency in _directories.GetDirectory().Agencies.Where(a => a.ClientCertificate is not null))
            {
                var path = Path.GetFullPath(agency.ClientCertificate!, _contentRoot);
                paths.Add(path);
                try
                {
                    using var certificate = X509CertificateLoader.LoadCertificateFromFile(path);
                    registered.Add((agency.Id, certificate.GetCertHashString(HashAlgorithmName.SHA256)));
                }
                catch (Exception error) when (error is IOException or UnauthorizedAccessException or CryptographicException)
                {
                    IdentityLog.RegisteredCertificateUnreadable(_logger, path, agency.Id.ToString(), error.Message);
                }
            }

            var pins = AgencyCertificatePins.Build(registered);
            foreach (var thumbprint in pins.Ambiguous)
            {
                IdentityLog.CertificateAmbiguous(_logger, thumbprint);
            }

            _current = new Pins(pins, _current.Generation + 1);
            IdentityLog.CertificatesPinned(_logger, pins.Count);
            if (!paths.SequenceEqual(_watched))
            {
                _watch?.Dispose();
                _watched = [.. paths];
                _watch = new FileWatch(paths, Reload);
            }
        }
    }

    /// <summary>One reading of the registered certificates.</summary>
    /// <param name="Generation">Grows by one with every reading.</param>
    public sealed record Pins(AgencyCertificatePins Agencies, long Generation);
}
