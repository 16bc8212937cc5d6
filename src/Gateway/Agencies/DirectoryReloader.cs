using Gateway.Core.Agencies;
using Gateway.Core.Audit;
using Gateway.Core.Storage;
using Gateway.Delivery;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Gateway.Agencies;

/// <summary>
/// Keeps the directory in effect in step with its source, in the manner of YARP's configuration manager: each edit is
/// read, validated as a whole by every <see cref="IDirectoryValidator"/>, and only then swapped in. An edit that fails
/// is refused and logged, and the snapshot in effect stays. Every snapshot that takes effect, the first at start-up
/// included, is first audited as <c>directory.loaded</c> with its content hash and what it changed: no route changes
/// without a trace, and none takes effect if the audit log cannot record it.
/// </summary>
public sealed class DirectoryReloader : IHostedService, IDisposable
{
    private readonly DirectorySource _source;
    private readonly AgencyDirectoryProvider _provider;
    private readonly IDirectoryValidator[] _validators;
    private readonly IAuditLog _audit;
    private readonly WorkSignal _work;
    private readonly ILogger<DirectoryReloader> _logger;
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private IDisposable? _subscription;
    private Task _reloading = Task.CompletedTask;

    public DirectoryReloader(
        DirectorySource source,
        AgencyDirectoryProvider provider,
        IEnumerable<IDirectoryValidator> validators,
        IAuditLog audit,
        WorkSignal work,
        ILogger<DirectoryReloader> logger)
    {
        _source = source;
        _provider = provider;
        _validators = [.. validators];
        _audit = audit;
        _work = work;
        _logger = logger;
    }

    /// <summary>Reads and validates the directory at start-up; a directory that fails stops the gateway.</summary>
    public static AgencyDirectory Load(DirectorySource source, IEnumerable<IDirectoryValidator> validators)
    {
        var failures = Read(source, validators, out var directory);
        return directory ?? throw new OptionsValidationException(DirectoryOptions.Section, typeof(DirectoryOptions), failures);
    }

    /// <summary>
    /// Audits the directory read at start-up, then follows its source. Hosted services start before the server does,
    /// so the entry is written before the first call is served.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var directory = _provider.GetDirectory();
        await _audit.AppendAsync([AuditEntries.DirectoryLoaded(directory, DirectoryChanges.Between(null, directory))], cancellationToken);
        DirectoryLog.Loaded(_logger, directory.ContentHash, _source.Description, directory.Agencies.Count, directory.Routes.Agreements.Count);
        _subscription = ChangeToken.OnChange(_source.GetReloadToken, () => _reloading = ReloadAsync());
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        await _reloading.WaitAsync(cancellationToken);
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        _oneAtATime.Dispose();
    }

    private static IReadOnlyList<string> Read(DirectorySource source, IEnumerable<IDirectoryValidator> validators, out AgencyDirectory? directory)
    {
        directory = null;
        var failures = source.TryRead(out var options);
        return failures.Count > 0 ? failures : DirectoryValidation.TryRead(options, validators, out directory);
    }

    private async Task ReloadAsync()
    {
        await _oneAtATime.WaitAsync();
        try
        {
            var current = _provider.GetDirectory();
            var failures = Read(_source, _validators, out var next);
            if (next is null)
            {
                DirectoryLog.EditRefused(
                    _logger, _source.Description, current.ContentHash, new OptionsValidationException(DirectoryOptions.Section, typeof(DirectoryOptions), failures));
                return;
            }

            // An editor's save often comes as several file events: the same content is not a new snapshot.
            if (next.ContentHash == current.ContentHash)
            {
                DirectoryLog.Unchanged(_logger, _source.Description, current.ContentHash);
                return;
            }

            try
            {
                await _audit.AppendAsync([AuditEntries.DirectoryLoaded(next, DirectoryChanges.Between(current, next))], CancellationToken.None);
            }
            catch (Exception error)
            {
                DirectoryLog.EditNotAudited(_logger, _source.Description, current.ContentHash, error);
                return;
            }

            _provider.Update(next);

            // An endpoint the edit added or changed may have deliveries waiting for it: the dispatcher need not wait
            // for its next idle poll to find them.
            _work.Notify();
            DirectoryLog.Loaded(_logger, next.ContentHash, _source.Description, next.Agencies.Count, next.Routes.Agreements.Count);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }
}
