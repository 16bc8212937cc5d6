using Microsoft.Extensions.Logging;

namespace Gateway.Storage.Postgres;

// The trace and feed slice's events, 7120 on (in a file of their own, so that the slices' ids do not collide).
internal static partial class PostgresStoreLog
{
    [LoggerMessage(EventId = 7120, Level = LogLevel.Warning, Message = "The connection that listens for audit commits was lost; flows wait until it is back")]
    public static partial void AuditHeadListenerLost(ILogger logger, Exception error);
}
