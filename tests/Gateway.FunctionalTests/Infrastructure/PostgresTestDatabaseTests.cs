using System.Net;
using System.Net.Sockets;
using Gateway.Tests.Shared.Postgres;
using Npgsql;
using Xunit;

namespace Gateway.FunctionalTests.Infrastructure;

/// <summary>
/// The plumbing of the PostgreSQL tests against the private server of LIAISON_TEST_POSTGRES, over a real socket: a
/// database of a test's own takes queries and is gone after the test.
/// </summary>
public sealed class PostgresTestDatabaseTests
{
    [PostgresFact]
    public async Task A_test_database_takes_queries_over_tcp_and_is_dropped_on_dispose()
    {
        var database = await PostgresTestDatabase.CreateAsync();
        await using (database)
        {
            await using var connection = new NpgsqlConnection(database.ConnectionString);
            await connection.OpenAsync();
            await Execute(connection, "CREATE TABLE referral (id text PRIMARY KEY); INSERT INTO referral VALUES ('r-1'), ('r-2')");

            Assert.Equal(database.Name, await Scalar<string>(connection, "SELECT current_database()"));
            Assert.Equal(IPAddress.Loopback, await Scalar<IPAddress>(connection, "SELECT inet_server_addr()"));
            Assert.Equal(2L, await Scalar<long>(connection, "SELECT count(*) FROM referral"));
        }

        Assert.False(await Exists(database.Name));
    }

    [PostgresFact]
    public async Task Dispose_drops_the_database_even_with_a_session_left_open_on_it()
    {
        var database = await PostgresTestDatabase.CreateAsync();
        var unpooled = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ConnectionString;
        await using var leftOver = new NpgsqlConnection(unpooled);
        await leftOver.OpenAsync();
        Assert.True(await Exists(database.Name));

        await database.DisposeAsync();

        Assert.False(await Exists(database.Name));
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => Scalar<int>(leftOver, "SELECT 1"));
    }

    [Fact]
    public void Without_a_connection_string_the_tests_are_skipped_with_the_reason()
    {
        Assert.Equal(PostgresTestServer.SkipReason, PostgresTestServer.SkipReasonFor(null));
        Assert.Equal(PostgresTestServer.SkipReason, PostgresTestServer.SkipReasonFor(""));
        Assert.Null(PostgresTestServer.SkipReasonFor("Host=127.0.0.1;Port=55432;Username=liaison;Database=liaison_test"));
        Assert.Contains("scripts/postgres-dev.sh start", PostgresTestServer.SkipReason);
    }

    [Fact]
    public async Task A_server_that_cannot_be_reached_fails_the_test_naming_it_but_not_its_password()
    {
        var closedPort = ClosedPort();
        var unreachable = $"Host=127.0.0.1;Port={closedPort};Username=liaison;Password=not-to-be-printed;Database=liaison_test;Timeout=5";

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => PostgresTestDatabase.CreateAsync(unreachable));

        Assert.Contains(PostgresTestServer.Variable, failure.Message);
        Assert.Contains($"127.0.0.1:{closedPort}", failure.Message);
        Assert.DoesNotContain("not-to-be-printed", failure.Message);
    }

    private static async Task<bool> Exists(string name)
    {
        await using var server = new NpgsqlConnection(PostgresTestServer.ConnectionString);
        await server.OpenAsync();
        await using var query = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = $1", server) { Parameters = { new() { Value = name } } };
        return (long)(await query.ExecuteScalarAsync())! == 1;
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> Scalar<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>A port nothing listens on: the system's choice of a free one, released again.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
