using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.FunctionalTests.Infrastructure;

/// <summary>
/// Serves one gRPC service instance (a test's agency endpoint) on Kestrel in this process, on 127.0.0.1 at a free port,
/// plaintext HTTP/2 as the gateway calls endpoints in development.
/// </summary>
public sealed class LoopbackEndpointHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackEndpointHost(WebApplication app, string address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The address the service listens on, e.g. http://127.0.0.1:41234.</summary>
    public string Address { get; }

    public static async Task<LoopbackEndpointHost> StartAsync<TService>(TService service)
        where TService : class
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(service);
        var app = builder.Build();
        app.MapGrpcService<TService>();
        await app.StartAsync();
        return new LoopbackEndpointHost(app, app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
