using Microsoft.Extensions.Logging;

namespace Gateway.Storage.Postgres;

internal static partial class PostgresStoreLog
{
    [LoggerMessage(EventId = 7101, Level = LogLevel.Information, Message = "PostgreSQL store opened on {Host}:{Port}, database {Database}")]
    public static partial void Opened(ILogger logger, string? host, int port, string? database);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Information, Message = "Schema migration: {Message}")]
    public static partial void Migration(ILogger logger, string message);

    [LoggerMessage(EventId = 7103, Level = LogLevel.Warning, Message = "The PostgreSQL store could not be reached; the call is answered as unavailable")]
    public static partial void Unreachable(ILogger logger, Exception error);
}
