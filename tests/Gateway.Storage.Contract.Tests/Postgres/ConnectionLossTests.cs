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
    public async Task A_dropped_connection_fails_a_call_only_as_unavailable_and_the_message_sent_again_is_stored_once()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        var connectionString = PostgresStoreUnderTest.StoreConnectionString(database);
        await using var store = await PostgresStoreUnderTest.OpenStoreAsync(connectionString, null);
        Assert.True((await store.AcceptAsync(StoreSamples.Message(), default)).Applied);

        await PostgresStoreUnderTest.QueryAsync(database, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
        var message = StoreSamples.Message();

        // Whether the pool hands out a connection the server has already dropped depends on timing (the store's
        // listener reconnects on its own): the call either meets it and fails as unavailable, or gets a fresh one.
        var first = await Record.ExceptionAsync(() => store.AcceptAsync(message, default));
        Assert.True(first is null or StoreUnavailableException, $"A dropped connection surfaced as {first?.GetType().Name}: {first?.Message}");
        var again = await store.AcceptAsync(message, default);
        Assert.Equal(first is not null, again.Applied);
        Assert.Single(await store.GetDeliveriesAsync(message.MessageId, default));
    }
}
