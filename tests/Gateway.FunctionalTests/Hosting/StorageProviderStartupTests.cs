using Gateway.Hosting;
using Gateway.Tests.Shared.Postgres;

namespace Gateway.FunctionalTests.Hosting;

/// <summary>
/// <c>Gateway:Storage:Provider</c> chooses the store: an unknown one, PostgreSQL without a connection string, or a
/// PostgreSQL server that does not answer stops the gateway at start-up with one line saying what to fix; a reachable
/// database is migrated and served, and the start-up report names it without its password.
/// </summary>
public sealed class StorageProviderStartupTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gateway-provider-start-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string StorePath => Path.Combine(_folder, "gateway.db");

    [Fact]
    public async Task An_unknown_provider_is_one_line_naming_the_two_it_knows()
    {
        var attempt = await GatewayStartAttempt.RunAsync(StorePath, new Dictionary<string, string>(), "--urls", "http://127.0.0.1:0", "--Gateway:Storage:Provider=Oracle");

        Assert.Equal(StartupFailure.ExitCode, attempt.ExitCode);
        var line = Assert.Single(attempt.PlainLines);
        Assert.Equal("Liaison Gateway cannot start: Gateway:Storage:Provider is 'Oracle'; it must be Sqlite (the default) or Postgres.", line);
        Assert.False(File.Exists(StorePath));
    }

    [Fact]
    public async Task Postgres_without_a_connection_string_is_one_line_asking_for_it()
    {
        var attempt = await GatewayStartAttempt.RunAsync(StorePath, new Dictionary<string, string>(), "--urls", "http://127.0.0.1:0", "--Gateway:Storage:Provider=Postgres");

        Assert.Equal(StartupFailure.ExitCode, attempt.ExitCode);
        var line = Assert.Single(attempt.PlainLines);
        Assert.Contains("Gateway:Storage:Postgres:ConnectionString is required with the PostgreSQL store", line, StringComparison.Ordinal);
        Assert.False(File.Exists(StorePath));
    }

    [Fact]
    public async Task A_server_that_does_not_answer_is_one_line_naming_the_database_and_never_the_password()
    {
        var port = GatewayStartAttempt.FreeLoopbackPort();
        const string Password = "s3cret-never-shown";
        var attempt = await GatewayStartAttempt.RunAsync(
            StorePath,
            new Dictionary<string, string>(),
            "--urls", "http://127.0.0.1:0",
            "--Gateway:Storage:Provider=Postgres",
            $"--Gateway:Storage:Postgres:ConnectionString=Host=127.0.0.1;Port={port};Database=liaison;Username=gateway;Password={Password};Timeout=3");

        Assert.Equal(StartupFailure.ExitCode, attempt.ExitCode);
        var line = Assert.Single(attempt.PlainLines);
        Assert.StartsWith($"Liaison Gateway cannot start: The store PostgreSQL database liaison on 127.0.0.1:{port} cannot be opened: ", line, StringComparison.Ordinal);
        Assert.EndsWith("Check that PostgreSQL is running and that Gateway:Storage:Postgres:ConnectionString names a server, database and role the gateway can use.", line, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, attempt.Output, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task A_reachable_database_is_migrated_and_served_and_the_report_names_it_without_the_password()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        var settings = new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString);

        var attempt = await GatewayStartAttempt.RunAsync(
            StorePath,
            new Dictionary<string, string>(),
            "--urls", "http://127.0.0.1:0",
            "--Gateway:Storage:Provider=postgres",
            $"--Gateway:Storage:Postgres:ConnectionString={database.ConnectionString}");

        Assert.True(attempt.Listened, attempt.Output);
        Assert.Contains($"Data stored in PostgreSQL database {settings.Database} on 127.0.0.1:{settings.Port}", attempt.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(settings.Password!, attempt.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(StorePath));
        await using var connection = new Npgsql.NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var count = new Npgsql.NpgsqlCommand("SELECT count(*) FROM audit_head", connection);
        Assert.Equal(1L, await count.ExecuteScalarAsync());
    }
}
