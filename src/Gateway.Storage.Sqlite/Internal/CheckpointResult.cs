namespace Gateway.Storage.Sqlite.Internal;

/// <summary>The row of <c>PRAGMA wal_checkpoint</c>: whether it was blocked, frames in the WAL, frames copied back.</summary>
internal readonly record struct CheckpointResult(bool Busy, long Frames, long Checkpointed);
