using Gateway.Core.Encryption;
using Gateway.Core.Storage;
using Gateway.Storage.Postgres;
using Gateway.Tests.Shared.Postgres;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Gateway.Storage.Contract.Tests.Infrastructure;

/// <summary>A PostgreSQL store on a database of its own (<see cref="PostgresTestDatabase"/>), dropped afterwards.</summary>
public sealed class PostgresStoreUnderTest : StoreUnderTest
{
    private readonly PostgresTestDatabase _database;
    private PostgresMessageStore _store;

    private PostgresStoreUnderTest(PostgresTestDatabase database, PostgresMessageStore store, DataKeyRing? keys)
    {
        _database = database;
        _store = store;
        Keys = keys;
    }

    /// <summary>The connection string of this test's database, for a second store on it (another gateway instance).</summary>
    public string ConnectionString => StoreConnectionString(_database);

    public override IIntakeStore Intake => _store;

    public override IAuditLog Audit => _store;

    public override string DropAuditGuards => "DROP TRIGGER audit_append_only_update ON audit; DROP TRIGGER audit_append_only_delete ON audit;";

    public static async Task<PostgresStoreUnderTest> CreateAsync(DataKeyRing? keys)
    {
        var database = await PostgresTestDatabase.CreateAsync();
        try
        {
            return new PostgresStoreUnderTest(database, await OpenStoreAsync(StoreConnectionString(database), keys), keys);
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// A pool of its own for each store, smaller than the server's connection limit even with three stores on the database:
    /// every acceptance holds a connection while it waits for the chain's head.
    /// </summary>
    internal static string StoreConnectionString(PostgresTestDatabase database) =>
        new NpgsqlConnectionStringBuilder(database.ConnectionString) { MaxPoolSize = 16 }.ConnectionString;

    public static Task<PostgresMessageStore> OpenStoreAsync(string connectionString, DataKeyRing? keys) =>
        PostgresMessageStore.OpenAsync(connectionString, TimeProvider.System, NullLogger<PostgresMessageStore>.Instance, keys);

    /// <summary>Runs <paramref name="sql"/> on <paramref name="database"/> and returns the first column of its first row, if any.</summary>
    internal static async Task<object?> QueryAsync(PostgresTestDatabase database, string sql)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    public override async Task ReopenAsync()
    {
        await _store.DisposeAsync();
        _store = await OpenStoreAsync(ConnectionString, Keys);
    }

    /// <summary>Other instances (and a person with a SQL client) write while the store is open: it keeps no head of its own.</summary>
    public override Task ExecuteBehindTheStoreAsync(string sql) => QueryAsync(_database, sql);

    public override Task<object?> QueryBehindTheStoreAsync(string sql) => QueryAsync(_database, sql);

    public override async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        await _database.DisposeAsync();
    }
}
