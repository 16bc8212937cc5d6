using System.Net;
using System.Net.Sockets;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.Hosting;
using Grpc.Health.V1;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.FunctionalTests.Hosting;

/// <summary>
/// Development identity believes a header, so the gateway serves on loopback only, whichever setting names the
/// address; a refusal is one line and exit code 1, not a crash.
/// </summary>
public sealed class ListenGuardTests : IDisposable
{
    private static readonly Dictionary<string, string> NoEnvironment = [];

    private readonly string _folder = Directory.CreateTempSubdirectory("gateway-listen-").FullName;

    private string DatabasePath => Path.Combine(_folder, "gateway.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Theory]
    [InlineData("http://loopback:0")]
    [InlineData("http://0.0.0.0:0")]
    [InlineData("http://[::]:0")]
    [InlineData("http://*:0")]
    [InlineData("http://localhost.:0")]
    public async Task A_url_beyond_loopback_is_refused_with_one_line_and_exit_code_1(string url)
    {
        AssertRefused(await GatewayStartAttempt.RunAsync(DatabasePath, NoEnvironment, "--urls", url));
    }

    [Fact]
    public async Task Ports_from_the_environment_are_refused_when_no_url_is_given()
    {
        AssertRefused(await GatewayStartAttempt.RunAsync(DatabasePath, new Dictionary<string, string> { ["ASPNETCORE_HTTP_PORTS"] = "0" }, "--urls", ""));
    }

    [Fact]
    public async Task Ports_from_the_command_line_are_refused_when_no_url_is_given()
    {
        AssertRefused(await GatewayStartAttempt.RunAsync(DatabasePath, NoEnvironment, "--urls", "", "--http_ports", "0"));
    }

    [Fact]
    public async Task Urls_from_the_environment_are_refused()
    {
        AssertRefused(await GatewayStartAttempt.RunAsync(DatabasePath, new Dictionary<string, string> { ["ASPNETCORE_URLS"] = "http://0.0.0.0:0" }));
    }

    [Fact]
    public async Task A_kestrel_endpoint_beyond_loopback_in_configuration_is_refused()
    {
        AssertRefused(await GatewayStartAttempt.RunAsync(
            DatabasePath, NoEnvironment, "--urls", "http://127.0.0.1:0", "--Kestrel:Endpoints:Public:Url=http://0.0.0.0:0"));
    }

    [Theory]
    [InlineData("http://127.0.0.1:{0}")]
    [InlineData("http://[::1]:{0}")]
    [InlineData("http://localhost:{0}")]
    public async Task A_loopback_address_is_served(string url)
    {
        await using var gateway = await GatewayProcess.StartAsync(
            DatabasePath, [.. GatewayProcess.IntakeOnly, "--urls", string.Format(System.Globalization.CultureInfo.InvariantCulture, url, GatewayStartAttempt.FreeLoopbackPort())]);

        var health = await new Grpc.Health.V1.Health.HealthClient(gateway.Channel).CheckAsync(new HealthCheckRequest());

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        Assert.Equal(0, await gateway.StopAsync());
    }

    [Fact]
    public async Task An_address_given_to_kestrel_in_code_is_checked_once_bound_and_closed_again()
    {
        // Nothing in configuration names this address, so only the check of what Kestrel bound can see it.
        var builder = GatewayHost.CreateBuilder(["--urls", "http://127.0.0.1:0", $"--Gateway:Storage:Sqlite:Path={DatabasePath}", .. GatewayProcess.IntakeOnly]);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Any, 0));
        await using var app = builder.Build();
        app.MapGateway();

        var refusal = await Assert.ThrowsAsync<GatewayConfigurationException>(() => app.StartAsync());

        var bound = Assert.Single(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses);
        Assert.Contains(bound, refusal.Message);
        using var client = new TcpClient();
        var connecting = await Assert.ThrowsAsync<SocketException>(() => client.ConnectAsync(IPAddress.Loopback, new Uri(bound).Port));
        Assert.Equal(SocketError.ConnectionRefused, connecting.SocketErrorCode);
    }

    [Fact]
    public async Task An_unusable_store_path_is_one_line_and_exit_code_1()
    {
        File.WriteAllText(DatabasePath, "not a database");

        var attempt = await GatewayStartAttempt.RunAsync(DatabasePath, NoEnvironment, "--urls", "http://127.0.0.1:0");

        Assert.Equal(StartupFailure.ExitCode, attempt.ExitCode);
        var line = Assert.Single(attempt.PlainLines);
        Assert.Contains($"The store {DatabasePath} cannot be opened", line);
        Assert.DoesNotContain("Unhandled exception", attempt.Output);
    }

    [Fact]
    public async Task Invalid_options_are_one_line_and_exit_code_1()
    {
        var attempt = await GatewayStartAttempt.RunAsync(
            DatabasePath, NoEnvironment, "--urls", "http://127.0.0.1:0", "--Gateway:Streams:PageSize=0");

        Assert.Equal(StartupFailure.ExitCode, attempt.ExitCode);
        var line = Assert.Single(attempt.PlainLines);
        Assert.Contains("Gateway:Streams:PageSize must be between 1 and 1000.", line);
        Assert.DoesNotContain("Unhandled exception", attempt.Output);
    }

    [Fact]
    public async Task A_delivery_lease_not_longer_than_the_call_timeout_stops_start_up_naming_the_setting()
    {
        var attempt = await GatewayStartAttempt.RunAsync(
            DatabasePath, NoEnvironment, "--urls", "http://127.0.0.1:0", "--Gateway:Delivery:Lease=00:00:05", "--Gateway:Delivery:Timeout=00:00:10");

        Assert.False(attempt.Listened, "The gateway listened:\n" + attempt.Output);
        Assert.Equal(StartupFailure.ExitCode, attempt.ExitCode);
        var line = Assert.Single(attempt.PlainLines);
        Assert.StartsWith("Liaison Gateway cannot start: ", line);
        Assert.Contains("Gateway:Delivery:Lease must be longer than Timeout (00:00:10)", line);
        Assert.DoesNotContain("Unhandled exception", attempt.Output);
    }

    private static void AssertRefused(GatewayStartAttempt attempt)
    {
        Assert.False(attempt.Listened, "The gateway listened:\n" + attempt.Output);
        Assert.Equal(StartupFailure.ExitCode, attempt.ExitCode);
        var line = Assert.Single(attempt.PlainLines);
        Assert.StartsWith("Liaison Gateway cannot start: Refusing to listen on ", line);
        Assert.Contains("loopback only", line);
        Assert.DoesNotContain("Unhandled exception", attempt.Output);
        Assert.DoesNotContain("   at ", attempt.Output);
    }
}
