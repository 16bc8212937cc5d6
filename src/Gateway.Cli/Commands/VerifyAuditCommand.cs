using System.CommandLine;
using System.Text.Json;
using Gateway.Core.Audit;
using Gateway.Storage.Sqlite;

namespace Gateway.Cli.Commands;

/// <summary>
/// <c>verify-audit --store PATH</c>: the gateway's own verify-audit (src/Gateway/Hosting/AuditVerifyCommand.cs) without
/// starting a gateway: Core's AuditVerifier over the SQLite store's audit reader, which opens the file read-only, so it
/// can be checked while a gateway runs on it. Exit codes as the gateway's: 0 intact, 1 broken, 2 no store to read.
/// </summary>
internal static class VerifyAuditCommand
{
    public static Command Create(GlobalOptions global)
    {
        var command = new Command("verify-audit", "Recompute the audit hash chain of a gateway's SQLite store and name the first entry that does not hold; exit code 1 when broken");
        var store = new Option<FileInfo>("--store")
        {
            Description = "The store file, the gateway's Gateway:Storage:Sqlite:Path",
            HelpName = "PATH",
            Required = true,
        };
        command.Add(store);
        CliContext.Bind(command, global, async cli =>
        {
            var path = cli.Get(store)!.FullName;
            AuditVerification result;
            try
            {
                await using var log = await SqliteAuditLog.OpenAsync(path, cli.Cancellation);
                result = await AuditVerifier.VerifyAsync(log.ReadAsync(cli.Cancellation), log.Head, cli.Cancellation);
            }
            catch (FileNotFoundException missing)
            {
                await cli.Error.WriteLineAsync(missing.Message);
                return GatewayCtl.BadCommandLine;
            }

            if (cli.Json)
            {
                await cli.Out.WriteLineAsync(JsonSerializer.Serialize(
                    new { intact = result.IsIntact, recordsChecked = result.RecordsChecked, brokenAt = result.BrokenAt, problem = result.Problem }));
            }
            else
            {
                await cli.Out.WriteLineAsync(result.IsIntact
                    ? $"audit log intact: {result.RecordsChecked} entries verified"
                    : $"audit log BROKEN at entry {result.BrokenAt}: {result.Problem} ({result.RecordsChecked} entries verified before it)");
            }

            return result.IsIntact ? GatewayCtl.Done : GatewayCtl.Refused;
        });
        return command;
    }
}
