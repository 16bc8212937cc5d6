using Gateway.Core.Audit;
using Gateway.Storage.Contract.Tests.Infrastructure;
using Gateway.Storage.Postgres;
using Gateway.Tests.Shared;
using Gateway.Tests.Shared.Postgres;

namespace Gateway.Storage.Contract.Tests.Postgres;

/// <summary>
/// <c>verify-audit</c>'s reader of a PostgreSQL store (<see cref="PostgresAuditLog"/>): the log as of the moment it was
/// opened verifies while instances keep appending, a removed entry is still found, and a database without a store is named.
/// </summary>
[RequiresPostgres]
public sealed class AuditLogReaderTests : StoreContract
{
    private string ConnectionString => ((PostgresStoreUnderTest)Store).ConnectionString;

    protected override async Task<StoreUnderTest> OpenAsync(Core.Encryption.DataKeyRing? keys) => await PostgresStoreUnderTest.CreateAsync(keys);

    [StoreFact]
    public async Task The_log_read_while_an_instance_appends_verifies_as_of_the_moment_it_was_opened()
    {
        await AcceptAsync(3);
        await using var log = await PostgresAuditLog.OpenAsync(ConnectionString, default);

        await AcceptAsync(2);
        var result = await AuditVerifier.VerifyAsync(log.ReadAsync(default), log.Head, default);

        Assert.Equal((true, 3L), (result.IsIntact, result.RecordsChecked));
        Assert.Equal(5, (await Store.Audit.ReadAuditHeadAsync(default))!.Sequence);
    }

    [StoreFact]
    public async Task A_removed_last_entry_is_found()
    {
        await AcceptAsync(6);
        await Store.ExecuteBehindTheStoreAsync(Store.DropAuditGuards + "DELETE FROM audit WHERE seq = (SELECT MAX(seq) FROM audit)");

        await using var log = await PostgresAuditLog.OpenAsync(ConnectionString, default);
        var result = await AuditVerifier.VerifyAsync(log.ReadAsync(default), log.Head, default);

        Assert.Equal(6, result.BrokenAt);
    }

    [StoreFact]
    public async Task An_empty_log_has_no_head_and_verifies()
    {
        await using var log = await PostgresAuditLog.OpenAsync(ConnectionString, default);

        Assert.Null(log.Head);
        Assert.True((await AuditVerifier.VerifyAsync(log.ReadAsync(default), log.Head, default)).IsIntact);
    }

    [StoreFact]
    public async Task A_database_without_a_store_is_named_and_left_as_it_was()
    {
        await using var empty = await PostgresTestDatabase.CreateAsync();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => PostgresAuditLog.OpenAsync(empty.ConnectionString, default));

        Assert.Contains($"The database {empty.Name} holds no gateway store", error.Message);
        Assert.Equal(0L, await PostgresStoreUnderTest.QueryAsync(empty, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"));
    }

    private async Task AcceptAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await Store.Intake.AcceptAsync(StoreSamples.Message(), default);
        }
    }
}
