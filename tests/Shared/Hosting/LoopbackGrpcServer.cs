using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Tests.Shared;

/// <summary>
/// Kestrel on a free 127.0.0.1 port serving one gRPC service over HTTP/2 without TLS, as the gateway serves and calls
/// endpoints in development: how the bench runs the baselines the gateway is measured against (the forwarding proxy, the
/// echo stream), and how functional tests serve a test's agency endpoint.
/// </summary>
public sealed class LoopbackGrpcServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackGrpcServer(WebApplication app)
    {
        _app = app;
        Address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
    }

    public string Address { get; }

    /// <param name="services">Registers what <typeparamref name="TService"/> needs.</param>
    public static async Task<LoopbackGrpcServer> StartAsync<TService>(Action<IServiceCollection>? services = null)
        where TService : class
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        services?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapGrpcService<TService>();
        await app.StartAsync();
        return new LoopbackGrpcServer(app);
    }

    /// <summary>Serves <paramref name="service"/> itself, e.g. a test endpoint that records what it was sent.</summary>
    public static Task<LoopbackGrpcServer> StartAsync<TService>(TService service)
        where TService : class =>
        StartAsync<TService>(services => services.AddSingleton(service));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
