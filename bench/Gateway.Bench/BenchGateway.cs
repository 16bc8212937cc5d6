using Gateway.Core.Agencies;
using Gateway.Delivery;
using Gateway.Hosting;
using Gateway.Storage.Sqlite;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gateway.Bench;

/// <summary>The real gateway, built by <see cref="GatewayHost"/> and started in this process on a free loopback port.</summary>
public sealed class BenchGateway : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly SqliteMessageStore _store;

    private BenchGateway(WebApplication app)
    {
        _app = app;
        _store = app.Services.GetRequiredService<SqliteMessageStore>();
        Address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Options = app.Services.GetRequiredService<IOptions<SqliteStoreOptions>>().Value;
    }

    public string Address { get; }

    public SqliteStoreOptions Options { get; }

    /// <summary>The store the gateway's trace calls read, to time the queries without the call around them.</summary>
    public Gateway.Core.Storage.ITraceStore TraceStore => _app.Services.GetRequiredService<Gateway.Core.Storage.ITraceStore>();

    /// <summary>The dispatcher's settings as configured, for the report.</summary>
    public DeliveryOptions Delivery => _app.Services.GetRequiredService<IOptions<DeliveryOptions>>().Value;

    /// <summary>The endpoint the gateway's directory has for <paramref name="agency"/>, to check that the configuration took.</summary>
    public Uri? EndpointOf(string agency) =>
        _app.Services.GetRequiredService<IAgencyDirectoryProvider>().GetDirectory().TryGet(AgencyId.Parse(agency), out var found) ? found.Endpoint : null;

    /// <summary>Store transactions so far; against calls, it tells how well group commit shares one disk flush.</summary>
    public long CommitCount => _store.CommitCount;

    /// <summary>The store's instruments (see <see cref="RequestStages"/>).</summary>
    public StoreMetrics StoreMetrics => _store.Metrics;

    /// <summary>Disk flushes of the WAL so far; one serves every commit made before it began.</summary>
    public long FlushCount => _store.FlushCount;

    /// <param name="settings">More configuration, as <c>--Key=value</c> command-line arguments.</param>
    public static Task<BenchGateway> StartAsync(string databasePath, string synchronous, params IEnumerable<string> settings) =>
        StartAsync(databasePath, synchronous, configure: null, settings);

    /// <param name="configure">Runs on the builder before the app is built (<see cref="BenchTelemetry.AttachTo"/>).</param>
    /// <param name="settings">More configuration, as <c>--Key=value</c> command-line arguments.</param>
    public static async Task<BenchGateway> StartAsync(
        string databasePath, string synchronous, Action<WebApplicationBuilder>? configure, params IEnumerable<string> settings)
    {
        string[] args =
        [
            "--urls", "http://127.0.0.1:0",
            $"--Gateway:Storage:Sqlite:Path={databasePath}",
            $"--Gateway:Storage:Sqlite:Synchronous={synchronous}",
            "--Logging:LogLevel:Default=Warning",
            // appsettings.json names this category explicitly, so Default alone does not quiet it.
            "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Warning",
            // The benchmarks measure the gateway at full load from one agency; the flood scenario sets its own limits.
            "--Gateway:AgencyLimits:Default:PermitsPerSecond=1000000", "--Gateway:AgencyLimits:Default:Burst=1000000", "--Gateway:AgencyLimits:Default:MaxConcurrentStreams=10000",
            .. settings,
        ];

        var builder = GatewayHost.CreateBuilder(args);
        configure?.Invoke(builder);
        var app = builder.Build();
        app.MapGateway();
        await app.StartAsync();
        return new BenchGateway(app);
    }

    /// <summary>Stops listening, then disposes the services, which commits what is queued and closes the store.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
