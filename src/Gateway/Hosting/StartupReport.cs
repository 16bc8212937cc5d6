using Gateway.Identity;
using Gateway.Storage.Sqlite;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Gateway.Hosting;

/// <summary>Tells the operator, once listening, where the gateway is, where its data is and how insecure it is.</summary>
internal static class StartupReport
{
    public static void Write(WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Gateway");
        if (IdentityOptions.IsMutualTls(app.Configuration))
        {
            MutualTlsReport.Write(app.Services, logger);
        }
        else
        {
            GatewayLog.InsecureIdentity(logger, IdentityOptions.AgencyHeader);
        }

        // Said before the addresses: a dead OTLP endpoint fails silently (OpenTelemetry reports to its EventSource only).
        var otlp = app.Configuration[GatewayServiceCollectionExtensions.OtlpEndpointKey];
        if (string.IsNullOrWhiteSpace(otlp))
        {
            GatewayLog.TelemetryNotExported(logger, GatewayServiceCollectionExtensions.OtlpEndpointKey);
        }
        else
        {
            GatewayLog.TelemetryExported(logger, otlp);
        }

        GatewayLog.DataPath(logger, StorageSetup.Describe(app.Services));

        // The addresses last: scripts and tests take "Liaison Gateway listening on" as the end of the report (a test
        // that stopped the gateway on it missed the store's line written after it).
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        foreach (var address in addresses)
        {
            GatewayLog.Listening(logger, address);
        }
    }
}
