using System.Net;
using System.Net.Sockets;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.PartnerSim.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.FunctionalTests.Telemetry;

/// <summary>
/// The reference endpoint (src/Gateway.PartnerSim) hosted in this process on 127.0.0.1, built as its program builds it,
/// with OpenTelemetry's in-memory exporter attached as its OTLP exporter would be: its spans are read in <see cref="Telemetry"/>.
/// </summary>
public sealed class PartnerSimInProcess : IAsyncDisposable
{
    private readonly string _folder;
    private readonly WebApplication _app;

    private PartnerSimInProcess(string folder, WebApplication app, string address, TelemetryCapture telemetry)
    {
        _folder = folder;
        _app = app;
        Address = address;
        Telemetry = telemetry;
    }

    public string Address { get; }

    public IServiceProvider Services => _app.Services;

    public TelemetryCapture Telemetry { get; }

    /// <summary>A port free now on 127.0.0.1, for an endpoint that is to start after the gateway has tried to reach it.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static async Task<PartnerSimInProcess> StartAsync(string agency, int port = 0)
    {
        var folder = Directory.CreateTempSubdirectory("partnersim-inproc-").FullName;
        var options = new PartnerSimOptions { Agency = agency, Url = $"http://127.0.0.1:{port}", DataDirectory = folder };
        var builder = PartnerSimHost.CreateBuilder(options);
        var telemetry = new TelemetryCapture();
        telemetry.AttachTo(builder);
        var app = builder.Build();
        app.MapPartnerSim();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new PartnerSimInProcess(folder, app, address, telemetry);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
