using Npgsql;

namespace Gateway.Tests.Shared.Postgres;

/// <summary>
/// A database of its own for one test (or one test class's fixture) on the private PostgreSQL server: created with a
/// unique name, so tests running in parallel never see each other's rows, and dropped on dispose together with any
/// connection still open to it, so a failed test leaves nothing behind.
/// </summary>
internal sealed class PostgresTestDatabase : IAsyncDisposable
{
    private const int DropAttempts = 100;
    private static readonly TimeSpan DropRetryDelay = TimeSpan.FromMilliseconds(100);

    private readonly string serverConnectionString;
    private int disposed;

    private PostgresTestDatabase(string serverConnectionString, string name, string connectionString)
    {
        this.serverConnectionString = serverConnectionString;
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }

    /// <summary>The server's connection string with this database in place of the server's own.</summary>
    public string ConnectionString { get; }

    /// <summary>Creates a database on the server of <c>LIAISON_TEST_POSTGRES</c>.</summary>
    public static Task<PostgresTestDatabase> CreateAsync(CancellationToken cancellationToken = default) =>
        CreateAsync(PostgresTestServer.ConnectionString ?? throw new InvalidOperationException(PostgresTestServer.SkipReason), cancellationToken);

    /// <summary>Creates a database on the server of <paramref name="serverConnectionString"/>, whose role may create databases.</summary>
    public static async Task<PostgresTestDatabase> CreateAsync(string serverConnectionString, CancellationToken cancellationToken = default)
    {
        var name = $"liaison_test_{Guid.NewGuid():N}";
        await using (var server = await OpenServerAsync(serverConnectionString, cancellationToken))
        {
            // An identifier cannot be a parameter; the name is ours (letters, digits and '_'), never input.
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", server);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        var database = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = name };
        return new PostgresTestDatabase(serverConnectionString, name, database.ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        // FORCE ends every session on the database; this process's idle pooled ones would otherwise be handed out broken.
        await using (var pooled = new NpgsqlConnection(ConnectionString))
        {
            NpgsqlConnection.ClearPool(pooled);
        }

        await using var server = await OpenServerAsync(serverConnectionString, CancellationToken.None);
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", server);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await drop.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException error) when (error.SqlState == PostgresErrorCodes.InsufficientPrivilege && attempt < DropAttempts)
            {
                // An autovacuum worker on the database, which the tests' role may not terminate; it ends within moments
                // and announces nothing to wait for, so the drop is tried again.
                await Task.Delay(DropRetryDelay);
            }
        }
    }

    private static async Task<NpgsqlConnection> OpenServerAsync(string serverConnectionString, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(serverConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch (NpgsqlException e)
        {
            await connection.DisposeAsync();
            // The server's address and role, never the password, which the connection string also holds.
            var server = new NpgsqlConnectionStringBuilder(serverConnectionString);
            throw new InvalidOperationException(
                $"{PostgresTestServer.Variable} is set, but PostgreSQL at {server.Host}:{server.Port} (database '{server.Database}', role " +
                $"'{server.Username}') could not be reached: {e.Message}. Start it with `scripts/postgres-dev.sh start`, or unset " +
                $"{PostgresTestServer.Variable} to skip the PostgreSQL tests.",
                e);
        }
    }
}
