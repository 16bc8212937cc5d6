using Microsoft.Extensions.Logging;

namespace Gateway.Storage.Sqlite;

internal static partial class StoreLog
{
    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "SQLite store opened at {Path} (synchronous={Synchronous})")]
    public static partial void Opened(ILogger logger, string path, string synchronous);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Information, Message = "SQLite store closed after committing every queued write")]
    public static partial void Closed(ILogger logger);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Error, Message = "A group commit of {Count} operations failed and was rolled back")]
    public static partial void BatchFailed(ILogger logger, int count, Exception error);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Critical, Message = "The store's writer stopped; no more writes can be committed until the gateway is restarted")]
    public static partial void WriterFailed(ILogger logger, Exception error);

    [LoggerMessage(EventId = 7005, Level = LogLevel.Warning, Message = "WAL checkpoint failed; it will be tried again")]
    public static partial void CheckpointFailed(ILogger logger, Exception error);

    [LoggerMessage(EventId = 7006, Level = LogLevel.Debug, Message = "WAL past its restart size: the writer copied back {Checkpointed} of {Frames} frames (busy={Busy}) so that its next transaction restarts it")]
    public static partial void WalRestartCheckpointed(ILogger logger, long frames, long checkpointed, bool busy);

    [LoggerMessage(EventId = 7007, Level = LogLevel.Critical, Message = "Flushing the WAL to disk failed; the store takes no more writes until the gateway is restarted")]
    public static partial void FlushFailed(ILogger logger, Exception error);

    [LoggerMessage(EventId = 7008, Level = LogLevel.Debug, Message = "Schema migration: {Message}")]
    public static partial void Migration(ILogger logger, string message);

    [LoggerMessage(EventId = 7009, Level = LogLevel.Information, Message = "SQLite store {Path} migrated to schema version {To}: {Count} migration scripts applied to a file of version {From} (0: a new file)")]
    public static partial void Migrated(ILogger logger, string path, int from, int to, int count);
}
