using Gateway.Hosting;
using Microsoft.Data.Sqlite;

namespace Gateway.FunctionalTests.Hosting;

/// <summary>A store the gateway cannot migrate stops it at start-up with one line saying what to do, and is left as it was.</summary>
public sealed class StoreSchemaStartupTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gateway-schema-start-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task A_store_written_by_a_newer_gateway_is_one_line_naming_both_versions_and_left_untouched()
    {
        var path = Path.Combine(_folder, "gateway.db");
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version = 99;";
            command.ExecuteNonQuery();
        }

        var attempt = await GatewayStartAttempt.RunAsync(path, new Dictionary<string, string>(), "--urls", "http://127.0.0.1:0");

        Assert.Equal(StartupFailure.ExitCode, attempt.ExitCode);
        var line = Assert.Single(attempt.PlainLines);
        Assert.StartsWith($"Liaison Gateway cannot start: The store {path} has schema version 99, written by a newer gateway; this gateway reads up to version ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("cannot be opened", line, StringComparison.Ordinal);
        using var reopened = new SqliteConnection($"Data Source={path};Pooling=False;Mode=ReadOnly");
        reopened.Open();
        using var tables = reopened.CreateCommand();
        tables.CommandText = "SELECT count(*) FROM sqlite_master";
        Assert.Equal(0L, tables.ExecuteScalar());
    }
}
