using Gateway.Core.Storage;
using Gateway.Storage.Contract.Tests.Infrastructure;
using Gateway.Tests.Shared;
using Gateway.Tests.Shared.Postgres;

namespace Gateway.Storage.Contract.Tests.Postgres;

/// <summary>
/// A connection the server drops (a restart, a failover, an operator ending sessions) fails the call in flight as
/// unavailable, which the wire answers UNAVAILABLE, and leaves the store working: the next call gets a new connection.
/// </summary>
[RequiresPostgres]
public sealed class ConnectionLossTests
{
    [StoreFact]
    public async Task A_dropped_connection_fails_its_call_as_unavailable_and_the_message_sent_again_is_accepted()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        var connectionString = PostgresStoreUnderTest.StoreConnectionString(database);
        await using var store = await PostgresStoreUnderTest.OpenStoreAsync(connectionString, null);
        Assert.True((await store.AcceptAsync(StoreSamples.Message(), default)).Applied);

        await PostgresStoreUnderTest.QueryAsync(database, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
        var message = StoreSamples.Message();

        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.AcceptAsync(message, default));
        Assert.True((await store.AcceptAsync(message, default)).Applied);
        Assert.Single(await store.GetDeliveriesAsync(message.MessageId, default));
    }
}
