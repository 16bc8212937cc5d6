using Gateway.Core.Agencies;
using Gateway.Hosting;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Primitives;

namespace Gateway.Agencies;

/// <summary>
/// Where the directory is read from, and when to read it again. With <c>Gateway:DirectoryFile</c> set, that JSON file
/// (holding <c>Agencies</c> and <c>Routes</c> at its root) is the whole directory, and it is watched: every edit is read
/// again. Otherwise the directory is the <c>Gateway:Directory</c> section of the gateway's configuration, read when
/// that configuration reloads (by default it does not: the host does not watch its files).
/// </summary>
public sealed class DirectorySource : IDisposable
{
    public const string FileKey = "Gateway:DirectoryFile";

    private readonly IConfiguration _configuration;
    private readonly PhysicalFileProvider? _folder;
    private readonly ConfigurationRoot? _fileRoot;
    private readonly string? _path;
    private Exception? _loadError;

    public DirectorySource(IConfiguration configuration)
    {
        var file = configuration[FileKey];
        if (string.IsNullOrEmpty(file))
        {
            _configuration = configuration.GetSection(DirectoryOptions.Section);
            Description = DirectoryOptions.Section;
            return;
        }

        _path = Path.GetFullPath(file);
        if (!File.Exists(_path))
        {
            throw new GatewayConfigurationException(
                $"The directory file {_path} does not exist. Set {FileKey} to the JSON file that lists the agencies and route agreements.");
        }

        // The file's own folder is watched, not the content root: the store and logs are written elsewhere, and a
        // watcher on their folder would cost throughput.
        _folder = new PhysicalFileProvider(Path.GetDirectoryName(_path)!);
        _fileRoot = (ConfigurationRoot)new ConfigurationBuilder()
            .Add(new JsonConfigurationSource
            {
                FileProvider = _folder,
                Path = Path.GetFileName(_path),
                Optional = true,
                ReloadOnChange = true,
                OnLoadException = context =>
                {
                    // Read leaves the provider empty and reloads; Read then refuses the file instead of an empty directory.
                    Volatile.Write(ref _loadError, context.Exception);
                    context.Ignore = true;
                },
            })
            .Build();
        _configuration = _fileRoot;
        Description = _path;
    }

    /// <summary>The file, or the configuration section, the directory comes from: for logs.</summary>
    public string Description { get; }

    public IChangeToken GetReloadToken() => _configuration.GetReloadToken();

    /// <summary>Reads the directory as it is now; returns what keeps it from being read, or nothing.</summary>
    public IReadOnlyList<string> TryRead(out DirectoryOptions options)
    {
        options = new DirectoryOptions();
        if (Interlocked.Exchange(ref _loadError, null) is { } loadError)
        {
            return [$"The directory file {_path} is not valid JSON: {loadError.InnerException?.Message ?? loadError.Message}"];
        }

        if (_path is not null && !File.Exists(_path))
        {
            return [$"The directory file {_path} is missing."];
        }

        try
        {
            _configuration.Bind(options);
            return [];
        }
        catch (InvalidOperationException error)
        {
            // A value the binder cannot convert, e.g. an agency Kind that is not one of the four.
            return [error.Message];
        }
    }

    public void Dispose()
    {
        _fileRoot?.Dispose();
        _folder?.Dispose();
    }
}
