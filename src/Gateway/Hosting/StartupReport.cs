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
        GatewayLog.InsecureIdentity(logger, IdentityOptions.AgencyHeader);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        foreach (var address in addresses)
        {
            GatewayLog.Listening(logger, address);
        }

        GatewayLog.DataPath(logger, app.Services.GetRequiredService<IOptions<SqliteStoreOptions>>().Value.Path);
    }
}
