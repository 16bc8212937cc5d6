using Gateway.Core.Audit;
using Gateway.Storage.Contract.Tests.Infrastructure;
using Gateway.Tests.Shared;

namespace Gateway.Storage.Contract.Tests.Postgres;

/// <summary>
/// Several gateway instances on one database, each with a store of its own: they write one audit chain between them,
/// and one message sent to all of them at once is stored once. What only the shared store must do.
/// </summary>
[RequiresPostgres]
public sealed class SharedChainTests : StoreContract
{
    protected override async Task<StoreUnderTest> OpenAsync(Core.Encryption.DataKeyRing? keys) => await PostgresStoreUnderTest.CreateAsync(keys);

    [StoreFact]
    public async Task Three_instances_accepting_at_once_write_one_chain_that_verifies()
    {
        var connectionString = ((PostgresStoreUnderTest)Store).ConnectionString;
        await using var second = await PostgresStoreUnderTest.OpenStoreAsync(connectionString, null);
        await using var third = await PostgresStoreUnderTest.OpenStoreAsync(connectionString, null);
        Core.Storage.IIntakeStore[] instances = [Store.Intake, second, third];

        var results = await Task.WhenAll(Enumerable.Range(0, 300).Select(i => instances[i % 3].AcceptAsync(StoreSamples.Message(), default)));

        Assert.All(results, r => Assert.True(r.Applied));
        Assert.Equal(Enumerable.Range(1, 300).Select(i => (long)i), results.Select(r => r.Receipt!.AuditSequence).Order());
        var entries = await second.ReadAuditAsync(default).ToListAsync();
        Assert.True(AuditVerifier.Verify(entries, await third.ReadAuditHeadAsync(default)).IsIntact);
    }

    [StoreFact]
    public async Task One_message_sent_to_every_instance_at_once_is_stored_once()
    {
        var connectionString = ((PostgresStoreUnderTest)Store).ConnectionString;
        await using var second = await PostgresStoreUnderTest.OpenStoreAsync(connectionString, null);
        var message = StoreSamples.Message();

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => (i % 2 == 0 ? Store.Intake : second).AcceptAsync(message, default)));

        Assert.Single(results, r => r.Applied);
        Assert.Single(await second.GetDeliveriesAsync(message.MessageId, default));
        Assert.Equal(1, await Store.Audit.ReadAuditAsync(default).CountAsync());
    }
}
