using Gateway.Core.Agencies;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Gateway.Agencies;

/// <summary>
/// Keeps the directory in effect in step with its source, in the manner of YARP's configuration manager: each edit is
/// read, validated as a whole by every <see cref="IDirectoryValidator"/>, and only then swapped in. An edit that fails
/// is refused and logged, and the snapshot in effect stays.
/// </summary>
public sealed class DirectoryReloader : IHostedService, IDisposable
{
    private readonly DirectorySource _source;
    private readonly AgencyDirectoryProvider _provider;
    private readonly IDirectoryValidator[] _validators;
    private readonly ILogger<DirectoryReloader> _logger;
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private IDisposable? _subscription;
    private Task _reloading = Task.CompletedTask;

    public DirectoryReloader(
        DirectorySource source,
        AgencyDirectoryProvider provider,
        IEnumerable<IDirectoryValidator> validators,
        ILogger<DirectoryReloader> logger)
    {
        _source = source;
        _provider = provider;
        _validators = [.. validators];
        _logger = logger;
    }

    /// <summary>Reads and validates the directory at start-up; a directory that fails stops the gateway.</summary>
    public static AgencyDirectory Load(DirectorySource source, IEnumerable<IDirectoryValidator> validators)
    {
        var failures = Read(source, validators, out var directory);
        return directory ?? throw new OptionsValidationException(DirectoryOptions.Section, typeof(DirectoryOptions), failures);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var directory = _provider.GetDirectory();
        DirectoryLog.Loaded(_logger, directory.ContentHash, _source.Description, directory.Agencies.Count, directory.Routes.Agreements.Count);
        _subscription = ChangeToken.OnChange(_source.GetReloadToken, () => _reloading = ReloadAsync());
        return Task.CompletedTask;
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
                return;
            }

            _provider.Update(next);
            DirectoryLog.Loaded(_logger, next.ContentHash, _source.Description, next.Agencies.Count, next.Routes.Agreements.Count);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }
}
