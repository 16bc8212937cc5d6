using Gateway.PartnerSim.Faults;
using Gateway.PartnerSim.Inbox;
using Gateway.PartnerSim.Services;
using Gateway.PartnerSim.Telemetry;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Gateway.PartnerSim.Hosting;

/// <summary>Builds the simulator: Kestrel on one loopback address, HTTP/2 in plaintext or over TLS, AgencyEndpointService.</summary>
public static class PartnerSimHost
{
    public static WebApplicationBuilder CreateBuilder(PartnerSimOptions options)
    {
        // As for the gateway: the content root is the app's own folder and config is not watched, since a watcher
        // costs idle CPU. The command line is ours, so it is not handed to configuration.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
            ContentRootPath = AppContext.BaseDirectory,
        });

        builder.WebHost.UseUrls(options.Url);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.ConfigureEndpointDefaults(endpoint => endpoint.Protocols = HttpProtocols.Http2);
            PartnerSimTls.Configure(kestrel, options);
        });

        // Per-request framework logs would cost more CPU than the endpoint itself under a benchmark.
        builder.Logging
            .AddFilter("Microsoft.AspNetCore", LogLevel.Warning)
            .AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning)
            .AddFilter("Grpc", LogLevel.Warning);

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<FaultInjector>();
        builder.Services.AddSingleton<ReceivedLog>();
        builder.Services.AddSingleton<InboxStore>();
        builder.Services.AddSingleton<Reception>();
        builder.Services.AddGrpc();
        builder.Services.AddPartnerSimTelemetry(builder.Configuration, options.Agency);
        return builder;
    }

    public static WebApplication MapPartnerSim(this WebApplication app)
    {
        // Open the inbox and start the refusal window now: a bad data folder fails at start-up, and
        // "down for N seconds" counts from start-up, not from the first call.
        app.Services.GetRequiredService<InboxStore>();
        app.Services.GetRequiredService<FaultInjector>();
        app.MapGrpcService<AgencyEndpointGrpcService>();
        app.Lifetime.ApplicationStarted.Register(() => StartupReport.Write(app));
        return app;
    }
}
