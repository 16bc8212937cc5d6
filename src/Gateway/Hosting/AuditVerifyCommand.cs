using Gateway.Core.Audit;
using Gateway.Storage.Postgres;
using Gateway.Storage.Sqlite;
using Microsoft.Extensions.Options;

namespace Gateway.Hosting;

/// <summary>
/// <c>Gateway verify-audit</c>: recomputes the audit hash chain of the configured store (file or PostgreSQL database) and names the first
/// position that does not hold. Exit code 0 when intact, 1 when broken, 2 when there is no store to read. The file is
/// read only, so it can be checked while a gateway runs on it, and as a stream, so its memory does not grow with the log.
/// </summary>
public static class AuditVerifyCommand
{
    public const string Name = "verify-audit";

    public static async Task<int> RunAsync(WebApplication app)
    {
        if (StorageSetup.IsPostgres(app.Configuration))
        {
            return await VerifyPostgresAsync(app);
        }

        var path = app.Services.GetRequiredService<IOptions<SqliteStoreOptions>>().Value.Path;
        try
        {
            await using var log = await SqliteAuditLog.OpenAsync(path, CancellationToken.None);
            return Report(await AuditVerifier.VerifyAsync(log.ReadAsync(CancellationToken.None), log.Head, CancellationToken.None));
        }
        catch (FileNotFoundException error)
        {
            Console.Error.WriteLine(error.Message);
            return 2;
        }
    }

    /// <summary>
    /// The one chain every instance writes, read in one snapshot (entries and head of the same moment, while instances
    /// go on appending) without migrating anything; no data key is needed.
    /// </summary>
    private static async Task<int> VerifyPostgresAsync(WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<PostgresStoreOptions>>().Value;
        try
        {
            await using var log = await PostgresAuditLog.OpenAsync(options.ConnectionString, CancellationToken.None);
            return Report(await AuditVerifier.VerifyAsync(log.ReadAsync(CancellationToken.None), log.Head, CancellationToken.None));
        }
        catch (Exception error) when (error is Npgsql.NpgsqlException or InvalidOperationException)
        {
            Console.Error.WriteLine($"The store {StorageSetup.Describe(app.Services)} cannot be read: {error.Message}");
            return 2;
        }
    }

    private static int Report(AuditVerification result)
    {
        Console.WriteLine(result.IsIntact
            ? $"audit log intact: {result.RecordsChecked} entries verified"
            : $"audit log BROKEN at entry {result.BrokenAt}: {result.Problem} ({result.RecordsChecked} entries verified before it)");
        return result.IsIntact ? 0 : 1;
    }
}
