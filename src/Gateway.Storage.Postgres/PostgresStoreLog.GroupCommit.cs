using Microsoft.Extensions.Logging;

namespace Gateway.Storage.Postgres;

// The group commit writer's events, 7140 on (in a file of their own, so that the slices' ids do not collide).
internal static partial class PostgresStoreLog
{
    [LoggerMessage(EventId = 7140, Level = LogLevel.Warning, Message = "A write in a batch of {Count} failed and was rolled back to its savepoint; the others commit")]
    public static partial void WriteRolledBack(ILogger logger, int count, Exception error);

    [LoggerMessage(EventId = 7141, Level = LogLevel.Error, Message = "A batch of {Count} writes failed; each of its callers is told")]
    public static partial void BatchFailed(ILogger logger, int count, Exception error);
}
