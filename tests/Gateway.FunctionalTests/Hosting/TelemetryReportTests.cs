using Gateway.Hosting;

namespace Gateway.FunctionalTests.Hosting;

/// <summary>
/// The gateway says at start-up whether it exports telemetry and where to: a dead OTLP endpoint fails silently, so the
/// operator must be able to see from the log that export is meant to be on.
/// </summary>
public sealed class TelemetryReportTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gateway-telemetry-").FullName;

    private string DatabasePath => Path.Combine(_folder, "gateway.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Without_an_otlp_endpoint_the_start_up_says_telemetry_is_not_exported_and_how_to_export_it()
    {
        var attempt = await GatewayStartAttempt.RunAsync(DatabasePath, new Dictionary<string, string>(), "--urls", "http://127.0.0.1:0");

        Assert.True(attempt.Listened, attempt.Output);
        Assert.Contains($"Telemetry not exported; set {GatewayServiceCollectionExtensions.OtlpEndpointKey} to export", attempt.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_an_otlp_endpoint_the_start_up_names_it()
    {
        // Nothing listens there: the exporter only tries when it has something to send, which the start-up line precedes.
        var environment = new Dictionary<string, string> { [GatewayServiceCollectionExtensions.OtlpEndpointKey] = "http://127.0.0.1:4317" };

        var attempt = await GatewayStartAttempt.RunAsync(DatabasePath, environment, "--urls", "http://127.0.0.1:0");

        Assert.True(attempt.Listened, attempt.Output);
        Assert.Contains("Telemetry (traces, metrics, logs) exported over OTLP to http://127.0.0.1:4317", attempt.Output, StringComparison.Ordinal);
    }
}
