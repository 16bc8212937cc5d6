using System.Security.Cryptography.X509Certificates;
using Gateway.Core.Identity;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Gateway.Identity;

/// <summary>
/// The agency trust anchors and revocation lists as their files say now. Every change to one of the files re-reads
/// them all (a replaced anchor may be what a list must now be signed by) and publishes a new <see cref="Snapshot"/>,
/// whose change token tells certificate authentication to take the new anchors. A file that no longer reads keeps what
/// it held before, logged; at start-up a file that does not read stops the gateway, naming its setting.
/// </summary>
public sealed class AgencyTrustStore : IDisposable
{
    private readonly string[] _anchorPaths;
    private readonly string[] _listPaths;
    private readonly TimeProvider _time;
    private readonly ILogger<AgencyTrustStore> _logger;
    private readonly Lock _reload = new();
    private readonly FileWatch _watch;
    private readonly Dictionary<string, X509Certificate2[]> _anchors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RevocationList> _lists = new(StringComparer.Ordinal);
    private volatile Snapshot _current;

    public AgencyTrustStore(IOptions<MutualTlsOptions> options, IHostEnvironment environment, TimeProvider time, ILogger<AgencyTrustStore> logger)
    {
        _anchorPaths = [.. options.Value.AgencyTrustAnchors.Select(p => Path.GetFullPath(p, environment.ContentRootPath))];
        _listPaths = [.. options.Value.RevocationLists.Select(p => Path.GetFullPath(p, environment.ContentRootPath))];
        _time = time;
        _logger = logger;
        if (_anchorPaths.Length == 0)
        {
            throw new Hosting.GatewayConfigurationException(
                $"{IdentityOptions.Section}:AgencyTrustAnchors is empty; in {IdentityOptions.MutualTlsMode} mode give the CA certificates agency client certificates are issued by.");
        }

        _current = Read(startUp: true, generation: 1);
        foreach (var anchor in _current.Anchors)
        {
            var thumbprint = anchor.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256);
            if (!_current.Lists.Any(l => l.Anchor == thumbprint))
            {
                IdentityLog.AnchorWithoutRevocationList(_logger, anchor.Subject);
            }
        }

        _watch = new FileWatch([.. _anchorPaths, .. _listPaths], Reload);
    }

    /// <summary>What agency certificates are checked against now.</summary>
    public Snapshot Current => _current;

    public void Dispose() => _watch.Dispose();

    private void Reload()
    {
        lock (_reload)
        {
            var previous = _current;
            _current = Read(startUp: false, previous.Generation + 1);
            IdentityLog.TrustReloaded(_logger, _current.Anchors.Count, _current.Lists.Count);
            previous.Replaced();
        }
    }

    private Snapshot Read(bool startUp, long generation)
    {
        for (var i = 0; i < _anchorPaths.Length; i++)
        {
            Keep(startUp, $"{IdentityOptions.Section}:AgencyTrustAnchors:{i}", _anchorPaths[i], path => _anchors[path] = TrustFiles.LoadAnchors(path));
        }

        X509Certificate2[] anchors = [.. _anchors.Values.SelectMany(a => a)];
        for (var i = 0; i < _listPaths.Length; i++)
        {
            Keep(startUp, $"{IdentityOptions.Section}:RevocationLists:{i}", _listPaths[i], path => _lists[path] = TrustFiles.LoadRevocationList(path, anchors));
        }

        var now = _time.GetUtcNow();
        foreach (var list in _lists.Values.Where(l => l.IsStale(now)))
        {
            IdentityLog.RevocationListStale(_logger, list.Source, list.NextUpdate!.Value);
        }

        return new Snapshot(new X509Certificate2Collection(anchors), [.. _lists.Values], generation);
    }

    private void Keep(bool startUp, string setting, string path, Action<string> read)
    {
        try
        {
            read(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            if (startUp)
            {
                throw new Hosting.GatewayConfigurationException(
                    $"{setting} ({path}) cannot be used: {error.Message.TrimEnd('.')}.", error);
            }

            IdentityLog.TrustFileKept(_logger, path, setting, error.Message);
        }
    }

    /// <summary>One reading of the trust files.</summary>
    /// <param name="generation">Grows by one with every reading, so that results computed from an older one can be told apart.</param>
    public sealed class Snapshot(X509Certificate2Collection anchors, IReadOnlyList<RevocationList> lists, long generation)
    {
        private readonly CancellationTokenSource _replaced = new();

        public X509Certificate2Collection Anchors { get; } = anchors;

        public IReadOnlyList<RevocationList> Lists { get; } = lists;

        public long Generation { get; } = generation;

        /// <summary>Fires when a newer reading replaces this one.</summary>
        public IChangeToken ChangeToken => new CancellationChangeToken(_replaced.Token);

        internal void Replaced() => _replaced.Cancel();
    }
}
