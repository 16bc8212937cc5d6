using System.CommandLine;
using System.Text.Json;
using Gateway.Core.Audit;
using Gateway.Storage.Postgres;
using Gateway.Storage.Sqlite;

namespace Gateway.Cli.Commands;

/// <summary>
/// <c>verify-audit --store PATH</c> or <c>--postgres CONNECTION</c>: the gateway's own verify-audit
/// (src/Gateway/Hosting/AuditVerifyCommand.cs) without starting a gateway: Core's AuditVerifier over the store's audit
/// reader, which opens the file read-only, or reads the database in one snapshot, so it can be checked while gateways
/// run on it. Exit codes as the gateway's: 0 intact, 1 broken, 2 no store to read.
/// </summary>
internal static class VerifyAuditCommand
{
    public static Command Create(GlobalOptions global)
    {
        var command = new Command("verify-audit", "Recompute the audit hash chain of a gateway's store (SQLite file or PostgreSQL database) and name the first entry that does not hold; exit code 1 when broken");
        var store = new Option<FileInfo>("--store")
        {
            Description = "The store file, the gateway's Gateway:Storage:Sqlite:Path",
            HelpName = "PATH",
        };
        var postgres = new Option<string>("--postgres")
        {
            Description = "The PostgreSQL store's connection string, the gateways' Gateway:Storage:Postgres:ConnectionString (a password left out is read from PGPASSWORD)",
            HelpName = "CONNECTION",
        };
        command.Add(store);
        command.Add(postgres);
        command.Validators.Add(result =>
        {
            if ((result.GetResult(store) is null) == (result.GetResult(postgres) is null))
            {
                result.AddError("Name one store: --store PATH (SQLite) or --postgres CONNECTION (PostgreSQL).");
            }
        });
        CliContext.Bind(command, global, async cli =>
        {
            AuditVerification result;
            try
            {
                result = cli.Get(postgres) is { } connection
                    ? await VerifyPostgresAsync(connection, cli.Cancellation)
                    : await VerifySqliteAsync(cli.Get(store)!.FullName, cli.Cancellation);
            }
            catch (Exception error) when (error is FileNotFoundException or InvalidOperationException or Npgsql.NpgsqlException or ArgumentException)
            {
                await cli.Error.WriteLineAsync(error.Message);
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

    private static async Task<AuditVerification> VerifySqliteAsync(string path, CancellationToken cancellationToken)
    {
        await using var log = await SqliteAuditLog.OpenAsync(path, cancellationToken);
        return await AuditVerifier.VerifyAsync(log.ReadAsync(cancellationToken), log.Head, cancellationToken);
    }

    private static async Task<AuditVerification> VerifyPostgresAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var log = await PostgresAuditLog.OpenAsync(connectionString, cancellationToken);
        return await AuditVerifier.VerifyAsync(log.ReadAsync(cancellationToken), log.Head, cancellationToken);
    }
}
