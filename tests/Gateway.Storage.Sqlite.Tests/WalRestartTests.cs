using Gateway.Core.Audit;
using Gateway.Tests.Shared;

namespace Gateway.Storage.Sqlite.Tests;

/// <summary>
/// Under writes that never pause, the background checkpoint alone never finds the WAL fully copied back at the
/// moment a transaction begins, so the WAL never restarts and grows with every commit. The store must keep it
/// bounded and reuse it, without losing anything.
/// </summary>
public class WalRestartTests
{
    private const long Threshold = 256 * 1024;

    // Several callers keep a write queued whenever the writer finishes a commit, as under load, so the writer
    // never pauses long enough for a background checkpoint to complete. 2,000 messages in several hundred
    // commits of ~30 KiB or more write ~50 times the threshold into the WAL.
    private const int Callers = 4;
    private const int MessagesPerCaller = 500;

    // The threshold plus what is written until the writer acts on it, and the file is cut back to 4x the threshold
    // after a restart: 16x leaves room for a slow checkpoint. Measured: ~1.3 MiB with restarts; 13-28 MiB without.
    private const long Bound = 16 * Threshold;

    [Fact]
    public async Task Continuous_writes_keep_the_WAL_bounded_and_lose_nothing()
    {
        await using var temp = new TempStore(configure: options =>
        {
            options.WalRestartBytes = Threshold;
            options.CheckpointInterval = TimeSpan.FromMilliseconds(20);
        });

        var callers = await Task.WhenAll(Enumerable.Range(0, Callers).Select(_ => WriteAsync(temp.Store)));

        var largestWal = callers.Max(c => c.LargestWal);
        Assert.True(largestWal <= Bound, $"the WAL reached {largestWal} bytes (bound {Bound}) in {temp.Store.CommitCount} commits");
        var ids = callers.SelectMany(c => c.Ids).ToList();
        foreach (var id in ids)
        {
            Assert.NotNull(await temp.Store.FindMessageAsync(id, default));
        }

        var audit = await temp.Store.ReadAuditAsync(default).ToListAsync();
        Assert.Equal(ids.Count, audit.Count);
        Assert.True(AuditVerifier.Verify(audit, await temp.Store.ReadAuditHeadAsync(default)).IsIntact);
    }

    /// <summary>One caller: accepts its messages one after another, noting the WAL's size after each.</summary>
    private static async Task<(List<string> Ids, long LargestWal)> WriteAsync(SqliteMessageStore store)
    {
        var ids = new List<string>(MessagesPerCaller);
        long largestWal = 0;
        for (var i = 0; i < MessagesPerCaller; i++)
        {
            var message = StoreSamples.Message();
            await store.AcceptAsync(message, default);
            ids.Add(message.MessageId);
            largestWal = Math.Max(largestWal, store.WalBytes);
        }

        return (ids, largestWal);
    }
}
