namespace Gateway.Storage.Sqlite;

/// <summary>Settings of the embedded SQLite store (section <c>Gateway:Storage:Sqlite</c>).</summary>
public sealed class SqliteStoreOptions
{
    public const string Section = "Gateway:Storage:Sqlite";

    /// <summary>Path of the database file. Keep it outside the host's content root.</summary>
    public string Path { get; set; } = string.Empty;

    /// <summary>
    /// SQLite's synchronous setting. FULL (the default) makes every commit durable across power loss;
    /// NORMAL survives process crashes but may lose the last commits on power loss.
    /// </summary>
    public string Synchronous { get; set; } = "FULL";

    /// <summary>Most operations one group commit may carry.</summary>
    public int MaxBatch { get; set; } = 512;

    /// <summary>
    /// How often a background connection checkpoints the WAL. Automatic checkpoints would run inside a
    /// commit and add milliseconds to its latency.
    /// </summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// WAL size beyond which the writer, between two batches, checkpoints the last frames itself so that its next
    /// transaction starts the WAL again from the beginning. The background checkpoint alone never catches up with
    /// frames written while it runs, so under steady writes the WAL would never restart and every commit would
    /// extend the file, which makes each flush dearer. Checked at every <see cref="CheckpointInterval"/>, so the WAL
    /// may pass it by what is written in one interval; the file is cut back to four times this after a restart.
    /// Each restart holds the writer up for a few milliseconds, so the default restarts rarely under load (figures in
    /// docs/tuning-figures.md).
    /// </summary>
    public long WalRestartBytes { get; set; } = 64 * 1024 * 1024;
}
