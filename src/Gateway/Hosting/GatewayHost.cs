using System.Data.Common;
using Gateway.Core.Storage;
using Gateway.Storage.Sqlite;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Gateway.Hosting;

/// <summary>Builds the gateway application; used by Program, the tests and the benchmark alike.</summary>
public static class GatewayHost
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        // The content root is the app's own folder and config is not watched: a database or log written under a
        // watched folder costs throughput and idle CPU.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [.. args, "--hostBuilder:reloadConfigOnChange=false"],
            ContentRootPath = AppContext.BaseDirectory,
        });

        builder.Configuration["urls"] ??= DefaultUrl;
        ListenGuard.EnsureSafe(builder.Configuration);
        ServiceDecoration.Decorate<IServer>(builder.Services, server => new LoopbackOnlyServer(server));
        ServiceDecoration.Decorate<ILoggerFactory>(builder.Services, loggers => new StartupFailureLogFilter(loggers));
        // Kestrel's limits come from Gateway:Limits (AddGatewayLimits), keepalive and idle timeout from Gateway:Streams.
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.ConfigureEndpointDefaults(endpoint => endpoint.Protocols = HttpProtocols.Http2));

        builder.Services
            .AddGatewayDirectory(builder.Configuration)
            .AddGatewayStorage(builder.Configuration)
            .AddGatewayIdentity(builder.Configuration)
            .AddGatewayIntake(builder.Configuration)
            .AddGatewayReceipts(builder.Configuration)
            .AddGatewayDelivery(builder.Configuration)
            .AddGatewayStreams(builder.Configuration)
            .AddGatewayGrpc(builder.Configuration)
            .AddGatewayLimits(builder.Configuration)
            .AddGatewayTelemetry(builder.Configuration);
        return builder;
    }

    public static WebApplication MapGateway(this WebApplication app)
    {
        OpenStore(app.Services);
        app.MapGatewayGrpc();
        app.Lifetime.ApplicationStarted.Register(() => StartupReport.Write(app));
        return app;
    }

    /// <summary>Opens the store now, so that a bad data path fails at start-up, saying why, rather than on the first message.</summary>
    private static void OpenStore(IServiceProvider services)
    {
        try
        {
            services.GetRequiredService<IStoreHealth>();
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or DbException or InvalidOperationException)
        {
            var path = services.GetRequiredService<IOptions<SqliteStoreOptions>>().Value.Path;
            throw new GatewayConfigurationException(
                $"The store {path} cannot be opened: {error.Message} Set {SqliteStoreOptions.Section}:Path to a file the gateway can create or open.",
                error);
        }
    }
}
