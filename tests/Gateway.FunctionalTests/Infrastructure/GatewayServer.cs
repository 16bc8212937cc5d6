using Gateway.Storage.Sqlite;
using System.Collections.Concurrent;
using Gateway.Core.Storage;
using Gateway.Hosting;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.FunctionalTests.Infrastructure;

/// <summary>The real gateway on Kestrel, bound to a free 127.0.0.1 port, with its own SQLite file.</summary>
public sealed class GatewayServer : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gateway-func-").FullName;
    private readonly ErrorLogCollector _errors = new();
    private readonly ConcurrentBag<string> _expectedErrors = [];
    private WebApplication? _app;
    private bool _stopped;

    /// <summary>More command-line settings, e.g. <c>--Gateway:Streams:WriteTimeout=00:00:01</c>; read at start.</summary>
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];

    /// <summary>Runs on the builder before the app is built, e.g. to add a logger provider.</summary>
    public Action<WebApplicationBuilder>? Configure { get; init; }

    public GrpcChannel Channel { get; private set; } = null!;

    public SqliteMessageStore Store => _app!.Services.GetRequiredService<SqliteMessageStore>();

    public IServiceProvider Services => _app!.Services;

    public string Address { get; private set; } = string.Empty;

    /// <summary>
    /// Declares an error log the test provokes on purpose, by the exception type it carries; any other logged
    /// error still fails the fixture.
    /// </summary>
    public void ExpectErrorLog(string exceptionType) => _expectedErrors.Add(exceptionType);

    public static Metadata As(string agency) => new() { { "x-liaison-agency", agency } };

    public async Task InitializeAsync()
    {
        var builder = GatewayHost.CreateBuilder(
        [
            "--urls", "http://127.0.0.1:0",
            $"--Gateway:Storage:Sqlite:Path={Path.Combine(_folder, "gateway.db")}",
            "--Logging:LogLevel:Default=Warning",

            // The sample directory's endpoints are not running here; delivery has its tests with real endpoints.
            "--Gateway:Delivery:Enabled=false",

            // Every caller of a test is 127.0.0.1, one source to the audit budget of unidentified callers: tests that
            // assert a refusal is audited must not depend on how many others a class sent within a window. The budget
            // has its own tests (RefusalAuditFloodTests), which set it back through ExtraArguments.
            "--Gateway:Audit:UnauthenticatedRefusals:PermitsPerWindow=10000",

            // Tests send as fast as they can as one agency; the limits per agency have their own tests (Limits/), which
            // set them back through ExtraArguments.
            "--Gateway:AgencyLimits:Default:PermitsPerSecond=1000000", "--Gateway:AgencyLimits:Default:Burst=1000000", "--Gateway:AgencyLimits:Default:MaxConcurrentStreams=10000",
            .. ExtraArguments,
        ]);
        builder.Logging.AddProvider(_errors);
        Configure?.Invoke(builder);
        _app = builder.Build();
        _app.MapGateway();
        await _app.StartAsync();
        Address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Channel = GrpcChannel.ForAddress(Address);
    }

    /// <summary>
    /// Stops the gateway as a shutdown would and starts it again on the same store and settings (the same
    /// <see cref="Configure"/>, so a fake clock carries on), as a restart of its process would.
    /// </summary>
    public async Task RestartAsync()
    {
        Channel.Dispose();
        await _app!.StopAsync();
        await _app.DisposeAsync();
        _app = null;
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await InitializeAsync();
    }

    /// <summary>Stops the server as a shutdown would (ApplicationStopping, then Kestrel); disposing stops it too.</summary>
    public async Task StopAsync()
    {
        _stopped = true;
        await _app!.StopAsync();
    }

    public async Task DisposeAsync()
    {
        Channel.Dispose();
        if (_app is not null)
        {
            if (!_stopped)
            {
                await _app.StopAsync();
            }

            await _app.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);

        // Refusals are expected; an error logged by the server is not, whichever test caused it.
        var unexpected = _errors.Errors.Where(e => !_expectedErrors.Any(x => e.EndsWith(" " + x, StringComparison.Ordinal))).ToList();
        if (unexpected.Count > 0)
        {
            var message = "The server logged errors: "
                + string.Join(Environment.NewLine, unexpected.Select(e => _errors.Exceptions.TryGetValue(e, out var detail) ? e + Environment.NewLine + detail : e));
            FixtureFailureLog.Record(nameof(GatewayServer), message);
            Assert.Fail(message);
        }
    }
}
