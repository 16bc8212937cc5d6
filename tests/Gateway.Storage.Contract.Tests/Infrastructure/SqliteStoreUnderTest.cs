using Gateway.Storage.Sqlite;
using Gateway.Core.Encryption;
using Gateway.Core.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Gateway.Storage.Contract.Tests.Infrastructure;

/// <summary>A SQLite store on a file in a fresh temporary folder, deleted afterwards.</summary>
public sealed class SqliteStoreUnderTest : StoreUnderTest
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gateway-contract-").FullName;
    private SqliteMessageStore _store;

    public SqliteStoreUnderTest(DataKeyRing? keys)
    {
        Keys = keys;
        _store = Open();
    }

    public override IIntakeStore Intake => _store;

    public override IAuditLog Audit => _store;

    public override string DropAuditGuards => "DROP TRIGGER audit_append_only_update; DROP TRIGGER audit_append_only_delete;";

    private string Path => System.IO.Path.Combine(_folder, "gateway.db");

    public override async Task ReopenAsync()
    {
        await _store.DisposeAsync();
        _store = Open();
    }

    /// <summary>The store owns its file while open (and its writer keeps the chain's head): the SQL runs while it is closed.</summary>
    public override async Task ExecuteBehindTheStoreAsync(string sql)
    {
        await _store.DisposeAsync();
        try
        {
            await using var connection = new SqliteConnection($"Data Source={Path};Pooling=False");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync();
        }
        finally
        {
            _store = Open();
        }
    }

    public override async Task<object?> QueryBehindTheStoreAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Path};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private SqliteMessageStore Open() =>
        new(Options.Create(new SqliteStoreOptions { Path = Path }), TimeProvider.System, NullLogger<SqliteMessageStore>.Instance, keys: Keys);
}
