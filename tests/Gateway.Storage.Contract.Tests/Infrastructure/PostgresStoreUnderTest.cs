using Gateway.Core.Encryption;
using Gateway.Core.Storage;
using Gateway.Storage.Postgres;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Gateway.Storage.Contract.Tests.Infrastructure;

/// <summary>A PostgreSQL store on a database of its own on the server of <c>LIAISON_TEST_POSTGRES</c>, dropped afterwards.</summary>
public sealed class PostgresStoreUnderTest : StoreUnderTest
{
    private readonly string _server;
    private readonly string _name;
    private PostgresMessageStore _store;

    private PostgresStoreUnderTest(string server, string name, string connectionString, PostgresMessageStore store, DataKeyRing? keys)
    {
        _server = server;
        _name = name;
        ConnectionString = connectionString;
        _store = store;
        Keys = keys;
    }

    /// <summary>The connection string of this test's database, for a second store on it (another gateway instance).</summary>
    public string ConnectionString { get; }

    public override IIntakeStore Intake => _store;

    public override IAuditLog Audit => _store;

    public override string DropAuditGuards => "DROP TRIGGER audit_append_only_update ON audit; DROP TRIGGER audit_append_only_delete ON audit;";

    public static async Task<PostgresStoreUnderTest> CreateAsync(DataKeyRing? keys)
    {
        var server = PostgresServer.ConnectionString ?? throw new InvalidOperationException(PostgresServer.SkipReason);
        var name = $"liaison_contract_{Guid.NewGuid():N}";

        // An identifier cannot be a parameter; the name is made here of letters, digits and '_'.
        await Execute(server, $"CREATE DATABASE \"{name}\"");
        // A pool of its own per store, smaller than the server's connection limit even with three stores on the database.
        var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = name, MaxPoolSize = 16 }.ConnectionString;
        try
        {
            return new PostgresStoreUnderTest(server, name, connectionString, await OpenStoreAsync(connectionString, keys), keys);
        }
        catch
        {
            await Execute(server, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
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
    public override Task ExecuteBehindTheStoreAsync(string sql) => Execute(ConnectionString, sql);

    public override async Task<object?> QueryBehindTheStoreAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        await using (var pooled = new NpgsqlConnection(ConnectionString))
        {
            NpgsqlConnection.ClearPool(pooled);
        }

        await Execute(_server, $"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)");
    }

    private static async Task Execute(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
