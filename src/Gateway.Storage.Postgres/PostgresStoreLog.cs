using Microsoft.Extensions.Logging;

namespace Gateway.Storage.Postgres;

internal static partial class PostgresStoreLog
{
    [LoggerMessage(EventId = 15001, Level = LogLevel.Information, Message = "PostgreSQL store opened on {Host}:{Port}, database {Database}")]
    public static partial void Opened(ILogger logger, string? host, int port, string? database);

    [LoggerMessage(EventId = 15002, Level = LogLevel.Information, Message = "Schema migration: {Message}")]
    public static partial void Migration(ILogger logger, string message);

    [LoggerMessage(EventId = 15003, Level = LogLevel.Warning, Message = "The PostgreSQL store cannot be reached; calls are answered as unavailable until it answers again")]
    public static partial void Unreachable(ILogger logger, Exception error);

    [LoggerMessage(EventId = 15004, Level = LogLevel.Information, Message = "The PostgreSQL store answers again")]
    public static partial void Reachable(ILogger logger);
}
