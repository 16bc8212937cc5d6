using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Gateway.FunctionalTests.Infrastructure;

/// <summary>Collects what the server logs at Error or above, so a test can fail on an unexpected server error.</summary>
public sealed class ErrorLogCollector : ILoggerProvider
{
    public ConcurrentQueue<string> Errors { get; } = new();

    /// <summary>Each error's exception in full, keyed by its line in <see cref="Errors"/>: what a failing test prints.</summary>
    public ConcurrentDictionary<string, string> Exceptions { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Collector(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Collector(ErrorLogCollector owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                var line = $"{category}[{eventId.Id}]: {formatter(state, exception)} {exception?.GetType().Name}";
                owner.Errors.Enqueue(line);
                if (exception is not null)
                {
                    owner.Exceptions.TryAdd(line, exception.ToString());
                }
            }
        }
    }
}
