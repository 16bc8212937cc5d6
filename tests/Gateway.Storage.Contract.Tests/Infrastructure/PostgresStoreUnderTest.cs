using Gateway.Core.Encryption;
using Gateway.Core.Storage;
using Gateway.Storage.Postgres;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Storage.Contract.Tests.Infrastructure;

/// <summary>A PostgreSQL store on a database of its own (<see cref="PostgresDatabase"/>), dropped afterwards.</summary>
public sealed class PostgresStoreUnderTest : StoreUnderTest
{
    private readonly PostgresDatabase _database;
    private PostgresMessageStore _store;

    private PostgresStoreUnderTest(PostgresDatabase database, PostgresMessageStore store, DataKeyRing? keys)
    {
        _database = database;
        _store = store;
        Keys = keys;
    }

    /// <summary>The connection string of this test's database, for a second store on it (another gateway instance).</summary>
    public string ConnectionString => _database.ConnectionString;

    public override IIntakeStore Intake => _store;

    public override IAuditLog Audit => _store;

    public override string DropAuditGuards => "DROP TRIGGER audit_append_only_update ON audit; DROP TRIGGER audit_append_only_delete ON audit;";

    public static async Task<PostgresStoreUnderTest> CreateAsync(DataKeyRing? keys)
    {
        var database = await PostgresDatabase.CreateAsync();
        try
        {
            return new PostgresStoreUnderTest(database, await OpenStoreAsync(database.ConnectionString, keys), keys);
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    public static Task<PostgresMessageStore> OpenStoreAsync(string connectionString, DataKeyRing? keys) =>
        PostgresMessageStore.OpenAsync(connectionString, TimeProvider.System, NullLogger<PostgresMessageStore>.Instance, keys);

    public override async Task ReopenAsync()
    {
        await _store.DisposeAsync();
        _store = await OpenStoreAsync(ConnectionString, Keys);
    }

    /// <summary>Other instances (and a person with a SQL client) write while the store is open: it keeps no head of its own.</summary>
    public override Task ExecuteBehindTheStoreAsync(string sql) => _database.ExecuteAsync(sql);

    public override Task<object?> QueryBehindTheStoreAsync(string sql) => _database.QueryAsync(sql);

    public override async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        await _database.DisposeAsync();
    }
}
