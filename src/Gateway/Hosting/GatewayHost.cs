using System.Data.Common;
using Gateway.Core.Storage;
using Gateway.Delivery.Tls;
using Gateway.Encryption;
using Gateway.Identity;
using Gateway.Identity.Operators;
using Gateway.Limits;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Gateway.Hosting;

/// <summary>Builds the gateway application; used by Program, the tests and the benchmark alike.</summary>
public static class GatewayHost
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>Where the gateway listens in mutual TLS mode when no address is configured.</summary>
    public const string DefaultTlsUrl = "https://127.0.0.1:5443";

    /// <summary>The command-line option (<c>--config FILE</c>) naming an extra JSON configuration file.</summary>
    public const string ConfigFileKey = "config";

    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        // The content root is the app's own folder and config is not watched: a database or log written under a
        // watched folder costs throughput and idle CPU.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [.. args, "--hostBuilder:reloadConfigOnChange=false"],
            ContentRootPath = AppContext.BaseDirectory,
        });

        // --config FILE adds a JSON file (what `gatewayctl certs init` writes) over appsettings.json; the command line
        // is added again after it, so that a setting given there still wins.
        if (builder.Configuration[ConfigFileKey] is { Length: > 0 } extra)
        {
            var path = Path.GetFullPath(extra);
            if (!File.Exists(path))
            {
                throw new GatewayConfigurationException($"--{ConfigFileKey} names '{path}', which does not exist.");
            }

            builder.Configuration.AddJsonFile(path, optional: false, reloadOnChange: false);
            builder.Configuration.AddCommandLine(args);
        }

        builder.Configuration["urls"] ??= IdentityOptions.IsMutualTls(builder.Configuration) ? DefaultTlsUrl : DefaultUrl;
        var mode = ListenGuard.EnsureSafe(builder.Configuration);
        ServiceDecoration.Decorate<IServer>(builder.Services, server => new LoopbackOnlyServer(server, mode));
        ServiceDecoration.Decorate<ILoggerFactory>(builder.Services, loggers => new StartupFailureLogFilter(loggers));
        // Kestrel's limits come from Gateway:Limits (AddGatewayLimits), keepalive and idle timeout from Gateway:Streams.
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.ConfigureEndpointDefaults(endpoint => endpoint.Protocols = HttpProtocols.Http2));

        builder.Services
            .AddGatewayDirectory(builder.Configuration)
            .AddGatewayStorage(builder.Configuration)
            .AddGatewayEncryption(builder.Configuration)
            .AddGatewayIdentity(builder.Configuration)
            .AddGatewayOperators(builder.Configuration)
            .AddGatewayIntake(builder.Configuration)
            .AddGatewayReceipts(builder.Configuration)
            .AddGatewayDelivery(builder.Configuration)
            .AddGatewayEndpointTls(builder.Configuration)
            .AddGatewayStreams(builder.Configuration)
            .AddGatewayGrpc(builder.Configuration)
            .AddGatewayAgencyLimits(builder.Configuration)
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
        catch (StoreSchemaException error)
        {
            throw new GatewayConfigurationException(error.Message, error);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or DbException or InvalidOperationException)
        {
            throw new GatewayConfigurationException(
                $"The store {StorageSetup.Describe(services)} cannot be opened: {error.Message} {StorageSetup.FixFor(services)}",
                error);
        }
    }
}
