using Npgsql;

namespace Gateway.Storage.Contract.Tests.Infrastructure;

/// <summary>
/// A database of its own on the server of <c>LIAISON_TEST_POSTGRES</c>, created empty and dropped on dispose with any
/// session still on it. The shared helper for PostgreSQL tests (tests/Shared) takes its place once both are merged.
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    private readonly string _server;
    private readonly string _name;

    private PostgresDatabase(string server, string name)
    {
        _server = server;
        _name = name;

        // A pool of its own per store, smaller than the server's connection limit even with three stores on the database.
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name, MaxPoolSize = 16 }.ConnectionString;
    }

    public string ConnectionString { get; }

    public static async Task<PostgresDatabase> CreateAsync()
    {
        var server = PostgresServer.ConnectionString ?? throw new InvalidOperationException(PostgresServer.SkipReason);
        var name = $"liaison_contract_{Guid.NewGuid():N}";

        // An identifier cannot be a parameter; the name is made here of letters, digits and '_'.
        await ExecuteAsync(server, $"CREATE DATABASE \"{name}\"");
        return new PostgresDatabase(server, name);
    }

    public Task ExecuteAsync(string sql) => ExecuteAsync(ConnectionString, sql);

    public async Task<object?> QueryAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await using (var pooled = new NpgsqlConnection(ConnectionString))
        {
            NpgsqlConnection.ClearPool(pooled);
        }

        await ExecuteAsync(_server, $"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)");
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
