using System.Collections.Concurrent;
using Gateway.Core.Storage;
using Gateway.Storage.Postgres;
using Gateway.Tests.Shared;
using Gateway.Tests.Shared.Postgres;
using Microsoft.Extensions.Logging;

namespace Gateway.Storage.Contract.Tests.Postgres;

/// <summary>
/// A database that stops answering is logged once when it stops and once when it answers again, however many calls
/// fail in between; each of those calls is still answered as unavailable, and the store recovers without reopening.
/// </summary>
public sealed class OutageLogTests
{
    [PrivatePostgresFact]
    public async Task An_outage_is_one_warning_and_one_recovery_however_many_calls_fail_in_between()
    {
        await using var server = await PrivatePostgresServer.StartAsync();
        var logger = new RecordingLogger();
        await using var store = await PostgresMessageStore.OpenAsync(server.ConnectionString, TimeProvider.System, logger);
        Assert.True((await store.AcceptAsync(StoreSamples.Message(), default)).Applied);

        await server.StopImmediatelyAsync();
        for (var i = 0; i < 5; i++)
        {
            await Assert.ThrowsAsync<StoreUnavailableException>(() => store.FindMessageAsync(Guid.NewGuid().ToString(), default));
        }

        await server.StartAgainAsync();
        Assert.True((await store.AcceptAsync(StoreSamples.Message(), default)).Applied);
        Assert.Null(await store.FindMessageAsync(Guid.NewGuid().ToString(), default));

        Assert.Equal([15003, 15004], logger.EventIds.Where(id => id is 15003 or 15004));
    }

    private sealed class RecordingLogger : ILogger<PostgresMessageStore>
    {
        private readonly ConcurrentQueue<int> _events = new();

        public IEnumerable<int> EventIds => _events;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            _events.Enqueue(eventId.Id);
    }
}
