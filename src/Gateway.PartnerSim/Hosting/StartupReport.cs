using Gateway.PartnerSim.Inbox;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Gateway.PartnerSim.Hosting;

/// <summary>
/// Tells whoever started the simulator where it listens (the bound address, port resolved) and where its data is.
/// Written straight to stdout, one line each, because scripts and tests read these lines.
/// </summary>
internal static class StartupReport
{
    public static void Write(WebApplication app)
    {
        var options = app.Services.GetRequiredService<PartnerSimOptions>();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? options.Url;
        Console.Out.WriteLine($"PartnerSim {options.Agency} listening on {address}");
        Console.Out.WriteLine($"PartnerSim {options.Agency} data in {options.DataDirectory} (inbox {Path.GetFileName(options.InboxPath)}, log {Path.GetFileName(options.ReceivedLogPath)})");
        Console.Out.Flush();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("PartnerSim");
        PartnerSimLog.Faults(logger, options.FailPercent, (long)options.Delay.TotalMilliseconds, (long)options.RefuseFor.TotalSeconds);
        PartnerSimLog.Answers(logger, Kinds(options.Refuse), NoticeKinds.Name(options.RefuseReason), Kinds(options.Clarify));
    }

    private static string Kinds(IReadOnlySet<string> kinds) => kinds.Count == 0 ? "none" : string.Join(',', kinds.Order(StringComparer.Ordinal));
}
