using Gateway.Storage.Contract.Tests.Infrastructure;
using Gateway.Tests.Shared;
using Gateway.Tests.Shared.Postgres;

namespace Gateway.Storage.Contract.Tests.Postgres;

/// <summary>The schema is brought up by Evolve at open, once, however many instances open an empty database together.</summary>
[RequiresPostgres]
public sealed class MigrationTests
{
    [StoreFact]
    public async Task Instances_opening_an_empty_database_together_migrate_it_once_and_all_of_them_work()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        var connectionString = PostgresStoreUnderTest.StoreConnectionString(database);

        var stores = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => PostgresStoreUnderTest.OpenStoreAsync(connectionString, null)));
        try
        {
            Assert.Equal(1L, await PostgresStoreUnderTest.QueryAsync(database, "SELECT count(*) FROM schema_history WHERE version = '1' AND success"));
            foreach (var store in stores)
            {
                Assert.True((await store.AcceptAsync(StoreSamples.Message(), default)).Applied);
            }
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }

    [StoreFact]
    public async Task Reopening_a_migrated_database_keeps_its_rows_and_runs_nothing_again()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        var connectionString = PostgresStoreUnderTest.StoreConnectionString(database);
        await using (var first = await PostgresStoreUnderTest.OpenStoreAsync(connectionString, null))
        {
            await first.AcceptAsync(StoreSamples.Message(), default);
        }

        await using var again = await PostgresStoreUnderTest.OpenStoreAsync(connectionString, null);

        Assert.Equal(1L, await PostgresStoreUnderTest.QueryAsync(database, "SELECT count(*) FROM messages"));
        Assert.Equal(1L, await PostgresStoreUnderTest.QueryAsync(database, "SELECT count(*) FROM schema_history WHERE version = '1'"));
    }
}
