using Gateway.Core.Audit;
using Gateway.Core.Storage;

namespace Gateway.Hosting;

/// <summary>
/// <c>Gateway verify-audit</c>: recomputes the audit hash chain of the configured store and names the first
/// position that does not hold. Exit code 0 when intact, 1 when broken.
/// </summary>
public static class AuditVerifyCommand
{
    public const string Name = "verify-audit";

    public static async Task<int> RunAsync(WebApplication app)
    {
        var store = app.Services.GetRequiredService<IMessageStore>();
        var result = AuditVerifier.Verify(
            await store.ReadAuditAsync(CancellationToken.None).ToListAsync(),
            await store.ReadAuditHeadAsync(CancellationToken.None));
        Console.WriteLine(result.IsIntact
            ? $"audit log intact: {result.RecordsChecked} entries verified"
            : $"audit log BROKEN at entry {result.BrokenAt}: {result.Problem} ({result.RecordsChecked} entries verified before it)");
        return result.IsIntact ? 0 : 1;
    }
}
