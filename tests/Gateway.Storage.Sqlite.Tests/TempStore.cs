using Interagency.V1;
using Gateway.Core.Agencies;
using Gateway.Core.Encryption;
using Gateway.Core.Intake;
using Gateway.Core.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Storage.Sqlite.Tests;

/// <summary>A real SQLite store in a fresh temporary folder, deleted afterwards.</summary>
public sealed class TempStore : IAsyncDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gateway-store-").FullName;

    private readonly TimeProvider _time;
    private readonly Action<SqliteStoreOptions>? _configure;

    public TempStore(TimeProvider? time = null, Action<SqliteStoreOptions>? configure = null, DataKeyRing? keys = null)
    {
        _time = time ?? TimeProvider.System;
        _configure = configure;
        Keys = keys;
        Store = Open();
    }

    /// <summary>A clock that moves only when told, so lease expiry is tested without waiting.</summary>
    public static FakeTimeProvider Clock() => new(new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero));

    public string Path => System.IO.Path.Combine(_folder, "gateway.db");

    public SqliteMessageStore Store { get; private set; }

    /// <summary>The data keys the store is opened with (none: it writes in clear); set before a reopen to rotate them.</summary>
    public DataKeyRing? Keys { get; set; }

    public SqliteMessageStore Open()
    {
        var options = new SqliteStoreOptions { Path = Path };
        _configure?.Invoke(options);
        return new(Options.Create(options), _time, NullLogger<SqliteMessageStore>.Instance, keys: Keys);
    }

    /// <summary>Closes the store, lets <paramref name="change"/> work on the closed file, and opens it again.</summary>
    public async Task ReopenAsync(Action<string>? change = null)
    {
        await Store.DisposeAsync();
        change?.Invoke(Path);
        Store = Open();
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
