using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Gateway.FunctionalTests.Streams;

/// <summary>Lets a test await a server log event by its id, where the server sends no other signal a client can see.</summary>
public sealed class LogWatcher : ILoggerProvider
{
    private readonly ConcurrentDictionary<int, TaskCompletionSource> _events = new();

    public Task WaitForAsync(int eventId, TimeSpan timeout) => Event(eventId).Task.WaitAsync(timeout);

    public ILogger CreateLogger(string categoryName) => new Watcher(this);

    public void Dispose()
    {
    }

    private TaskCompletionSource Event(int eventId) =>
        _events.GetOrAdd(eventId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    private sealed class Watcher(LogWatcher owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Event(eventId.Id).TrySetResult();
    }
}
