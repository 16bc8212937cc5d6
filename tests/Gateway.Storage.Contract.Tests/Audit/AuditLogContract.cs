using Gateway.Core.Audit;
using Gateway.Core.Encryption;
using Gateway.Core.Storage;
using Gateway.Storage.Contract.Tests.Infrastructure;
using Gateway.Tests.Shared;

namespace Gateway.Storage.Contract.Tests.Audit;

/// <summary>The audit of what changes no row is appended to the one chain, read back in order, and verifies against its head.</summary>
public abstract class AuditLogContract : StoreContract
{
    [StoreFact]
    public async Task Refusals_are_audited_with_fields_but_no_values()
    {
        var sequence = await Store.Audit.AppendAsync([new RefusalRecord("/interagency.v1.ReferralService/SubmitReferral", "CN/PLO-RU", null, "InvalidArgument", "schema", ["header.sender", "referral.subjects[0].name.latin"]).ToAuditEntry()], default);

        var entry = Assert.Single(await Store.Audit.ReadAuditAsync(default).ToListAsync());
        Assert.Equal(sequence, entry.Sequence);
        Assert.Equal(AuditKinds.IntakeRefused, entry.Kind);
        Assert.Equal(
            """{"v":2,"rpc":"/interagency.v1.ReferralService/SubmitReferral","code":"InvalidArgument","reason":"schema","fields":["header.sender","referral.subjects[0].name.latin"]}""",
            entry.Detail);
    }

    [StoreFact]
    public async Task An_empty_log_has_no_head_and_verifies()
    {
        Assert.Null(await Store.Audit.ReadAuditHeadAsync(default));
        Assert.True(AuditVerifier.Verify(await Store.Audit.ReadAuditAsync(default).ToListAsync(), null).IsIntact);
    }

    [StoreFact]
    public async Task Entries_appended_between_acceptances_continue_the_chain_and_the_head_is_the_last()
    {
        await Store.Intake.AcceptAsync(StoreSamples.Message(), default);
        var appended = await Store.Audit.AppendAsync([Consulted("GetMessageContent"), Consulted("GetMessageTrace")], default);
        await Store.Intake.AcceptAsync(StoreSamples.Message(), default);

        var entries = await Store.Audit.ReadAuditAsync(default).ToListAsync();
        var head = await Store.Audit.ReadAuditHeadAsync(default);

        Assert.Equal(3, appended);
        Assert.Equal([1L, 2, 3, 4], entries.Select(e => e.Sequence));
        Assert.Equal(4, head!.Sequence);
        Assert.Equal(entries[^1].Hash, head.Hash);
        Assert.True(AuditVerifier.Verify(entries, head).IsIntact);
    }

    [StoreFact]
    public async Task Appending_nothing_writes_nothing()
    {
        Assert.Equal(0, await Store.Audit.AppendAsync([], default));
        Assert.Null(await Store.Audit.ReadAuditHeadAsync(default));
    }

    private static AuditEntry Consulted(string via) => AuditEntries.Consulted("operator:duty", Guid.NewGuid().ToString(), via);
}

public sealed class SqliteAuditLogTests : AuditLogContract
{
    protected override Task<StoreUnderTest> OpenAsync(DataKeyRing? keys) => Task.FromResult<StoreUnderTest>(new SqliteStoreUnderTest(keys));
}

[RequiresPostgres]
public sealed class PostgresAuditLogTests : AuditLogContract
{
    protected override async Task<StoreUnderTest> OpenAsync(DataKeyRing? keys) => await PostgresStoreUnderTest.CreateAsync(keys);
}
