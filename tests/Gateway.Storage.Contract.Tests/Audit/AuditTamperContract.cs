using Gateway.Core.Audit;
using Gateway.Core.Encryption;
using Gateway.Storage.Contract.Tests.Infrastructure;
using Gateway.Tests.Shared;

namespace Gateway.Storage.Contract.Tests.Audit;

/// <summary>
/// Someone with write access to the store edits the audit table directly (dropping the append-only triggers first);
/// the verifier must notice and name the position. The SQL is the same for both stores.
/// </summary>
public abstract class AuditTamperContract : StoreContract
{
    private const int Position = 5;

    [StoreFact]
    public async Task The_log_cannot_be_changed_through_SQL_while_the_triggers_stand()
    {
        await Store.Intake.AcceptAsync(StoreSamples.Message(), default);

        foreach (var sql in new[] { "DELETE FROM audit WHERE seq = 1", "UPDATE audit SET actor = 'gateway' WHERE seq = 1" })
        {
            var error = await Assert.ThrowsAnyAsync<Exception>(() => Store.ExecuteBehindTheStoreAsync(sql));
            Assert.Contains("append-only", error.Message);
        }

        Assert.True((await VerifyAsync()).IsIntact);
    }

    [StoreFact]
    public async Task A_changed_entry_is_found()
    {
        var result = await TamperAndVerify($"UPDATE audit SET detail = 'kind=Referral case=CN-FJ-2026-0042 recipients=US/FBI state=Accepted deliveries=Pending' WHERE seq = {Position}");

        Assert.Equal(Position, result.BrokenAt);
    }

    [StoreFact]
    public async Task A_deleted_entry_is_found()
    {
        var result = await TamperAndVerify($"DELETE FROM audit WHERE seq = {Position}");

        Assert.Equal(Position, result.BrokenAt);
    }

    [StoreFact]
    public async Task An_inserted_entry_is_found()
    {
        // Linked to the entry before it, as a forger would, but with a hash that cannot be right without the chain's rules.
        var result = await TamperAndVerify($"""
            UPDATE audit SET seq = seq + 1000 WHERE seq >= {Position};
            UPDATE audit SET seq = seq - 999 WHERE seq >= 1000;
            INSERT INTO audit (seq, at, kind, actor, message_id, detail, prev_hash, hash)
                SELECT {Position}, at, 'delivery.delivered', 'gateway', message_id, 'recipient=CN/FJPSD', hash, hash
                FROM audit WHERE seq = {Position - 1};
            """);

        Assert.Equal(Position, result.BrokenAt);
    }

    [StoreFact]
    public async Task Reordered_entries_are_found()
    {
        var result = await TamperAndVerify($"""
            UPDATE audit SET seq = -1 WHERE seq = {Position};
            UPDATE audit SET seq = {Position} WHERE seq = {Position + 1};
            UPDATE audit SET seq = {Position + 1} WHERE seq = -1;
            """);

        Assert.Equal(Position, result.BrokenAt);
    }

    [StoreFact]
    public async Task A_removed_last_entry_is_found()
    {
        var result = await TamperAndVerify("DELETE FROM audit WHERE seq = (SELECT MAX(seq) FROM audit)");

        Assert.Equal(6, result.BrokenAt);
    }

    private async Task<AuditVerification> TamperAndVerify(string sql)
    {
        for (var i = 0; i < 6; i++)
        {
            await Store.Intake.AcceptAsync(StoreSamples.Message(), default);
        }

        Assert.True((await VerifyAsync()).IsIntact);
        await Store.ExecuteBehindTheStoreAsync(Store.DropAuditGuards + sql);
        return await VerifyAsync();
    }

    private async Task<AuditVerification> VerifyAsync() =>
        AuditVerifier.Verify(await Store.Audit.ReadAuditAsync(default).ToListAsync(), await Store.Audit.ReadAuditHeadAsync(default));
}

public sealed class SqliteAuditTamperTests : AuditTamperContract
{
    protected override Task<StoreUnderTest> OpenAsync(DataKeyRing? keys) => Task.FromResult<StoreUnderTest>(new SqliteStoreUnderTest(keys));
}

[RequiresPostgres]
public sealed class PostgresAuditTamperTests : AuditTamperContract
{
    protected override async Task<StoreUnderTest> OpenAsync(DataKeyRing? keys) => await PostgresStoreUnderTest.CreateAsync(keys);
}
