using Microsoft.Extensions.Logging;

namespace Gateway.Storage.Postgres;

// The trace and feed slice's events, 15020 on (in a file of their own, so that the slices' ids do not collide).
internal static partial class PostgresStoreLog
{
    [LoggerMessage(EventId = 15020, Level = LogLevel.Warning, Message = "The connection that listens for audit commits was lost; flows wait until it is back")]
    public static partial void AuditHeadListenerLost(ILogger logger, Exception error);
}
