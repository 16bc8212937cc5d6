using Microsoft.Extensions.Logging;

namespace Gateway.Storage.Postgres;

// The group commit writer's events, 15040 on (in a file of their own, so that the slices' ids do not collide).
internal static partial class PostgresStoreLog
{
    [LoggerMessage(EventId = 15040, Level = LogLevel.Warning, Message = "A write in a batch of {Count} failed and was rolled back; the others commit")]
    public static partial void WriteRolledBack(ILogger logger, int count, Exception error);

    [LoggerMessage(EventId = 15041, Level = LogLevel.Error, Message = "A batch of {Count} writes failed; each of its callers is told")]
    public static partial void BatchFailed(ILogger logger, int count, Exception error);
}
