using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Gateway.Storage.Sqlite.Internal;

/// <summary>
/// Checkpoints the WAL on a connection and a thread of its own, so that checkpoints do not run inside commits. When a
/// round finds the WAL past its restart size, it catches up and asks the writer to restart the WAL between two batches
/// (<see cref="GroupCommitWriter.RequestWalRestart"/>).
/// </summary>
internal sealed class Checkpointer
{
    // Background checkpoint rounds after the one that finds the WAL past its restart size (see CheckpointLoop).
    private const int CatchUpRounds = 3;

    private readonly string _connectionString;
    private readonly TimeSpan _interval;
    private readonly long _walRestartFrames;
    private readonly GroupCommitWriter _writer;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Thread _thread;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="walRestartFrames">The WAL's restart size, in frames.</param>
    public Checkpointer(string connectionString, TimeSpan interval, long walRestartFrames, GroupCommitWriter writer, ILogger logger)
    {
        _connectionString = connectionString;
        _interval = interval;
        _walRestartFrames = walRestartFrames;
        _writer = writer;
        _logger = logger;

        // A thread of its own, like the writer's: a checkpoint reads and writes megabytes and flushes the database file,
        // and on a pool thread it would hold up the calls queued behind it (on 2 cores the pool has about 2 threads).
        _thread = new Thread(CheckpointLoop) { IsBackground = true, Name = "gateway-store-checkpoint" };
        _thread.Start();
    }

    public async Task StopAsync()
    {
        await _stopping.CancelAsync();
        await _stopped.Task;
        _stopping.Dispose();
    }

    /// <summary>Runs a checkpoint on a connection of its own; null when it failed (logged).</summary>
    public CheckpointResult? CheckpointInBackground(string mode)
    {
        try
        {
            using var connection = new SqliteConnection(_connectionString);
            connection.Open();
            return Checkpoint(connection, mode, _logger);
        }
        catch (SqliteException error)
        {
            StoreLog.CheckpointFailed(_logger, error);
            return null;
        }
    }

    /// <summary>Runs a checkpoint and returns its row: busy, frames in the WAL, frames copied back (-1 when busy).</summary>
    public static CheckpointResult? Checkpoint(SqliteConnection connection, string mode, ILogger logger)
    {
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA wal_checkpoint({mode});";
            using var reader = command.ExecuteReader();
            reader.Read();
            return new CheckpointResult(reader.GetInt64(0) != 0, reader.GetInt64(1), reader.GetInt64(2));
        }
        catch (SqliteException error)
        {
            StoreLog.CheckpointFailed(logger, error);
            return null;
        }
    }

    private void CheckpointLoop()
    {
        var checkpointedAt = -1L;
        try
        {
            while (!_stopping.Token.WaitHandle.WaitOne(_interval))
            {
                // Nothing committed since the last round: nothing to copy, so an idle gateway stays idle.
                var commits = _writer.CommitCount;
                if (commits == checkpointedAt)
                {
                    continue;
                }

                checkpointedAt = commits;

                // PASSIVE copies back what was committed before it started and never waits for the writer.
                if (CheckpointInBackground("PASSIVE") is { Frames: var frames } && frames >= _walRestartFrames)
                {
                    // Each further round copies what was committed during the one before, which took less time, so
                    // the writer is left little to copy and flush while callers wait (figures in docs/tuning-figures.md).
                    // A round with nothing new to copy is cheap.
                    for (var round = 0; round < CatchUpRounds; round++)
                    {
                        CheckpointInBackground("PASSIVE");
                    }

                    _writer.RequestWalRestart();
                }
            }
        }
        finally
        {
            _stopped.SetResult();
        }
    }
}
