using Gateway.Core.Agencies;
using Gateway.Core.Intake;
using Gateway.Core.Storage;
using Gateway.Storage.Sqlite.Internal;
using Gateway.Tests.Shared;

namespace Gateway.Storage.Sqlite.Tests;

/// <summary>
/// A killed process keeps the page cache, so a crash test passes even without the WAL flush. Here the store's steps
/// are recorded in one order with the answers its callers and the update feed see, and every answer must come after a
/// flush that began once its commit was made and ended before the answer. This fails if the flush is taken out, or if
/// callers are answered (or the feed shows a delivery) before the flush that covers them.
/// </summary>
public class FlushCoverageTests
{
    private const int Callers = 32;
    private const int WritesPerCaller = 60;
    private const int Updates = Callers * WritesPerCaller / 2;
    private static readonly AgencyId Recipient = AgencyId.Parse("CN/FJPSD");

    [Fact]
    public async Task Every_answer_and_every_update_shown_follows_a_flush_that_began_after_its_commit()
    {
        await using var temp = new TempStore();
        var steps = new Steps();
        temp.Store.DurabilityObserver = steps;
        var feed = Task.Run(() => ReadFeedAsync(temp.Store, steps, Updates));
        await Task.WhenAll(Enumerable.Range(0, Callers).Select(caller => Task.Run(async () =>
        {
            for (var i = 0; i < WritesPerCaller; i++)
            {
                // Accepted case updates go to the feed; refusals are the smallest write, often in the same batches.
                var auditSequence = i % 2 == 0
                    ? (await temp.Store.AcceptAsync(StoreSamples.Message(null, $"CASE-{caller}", recipients: [Recipient.ToString()]) with { Kind = MessageKind.CaseUpdate }, default)).Receipt!.AuditSequence
                    : await temp.Store.AppendAsync([new RefusalRecord("/test", "CN/PLO-RU", null, "InvalidArgument", "schema", []).ToAuditEntry()], default);
                steps.Answered(auditSequence);
            }
        })));
        await feed.WaitAsync(TimeSpan.FromMinutes(1));

        var log = steps.Log();
        var answers = log.OfType<Answer>().ToList();
        var shown = log.OfType<Shown>().ToList();
        Assert.Equal(Callers * WritesPerCaller, answers.Count);
        Assert.Equal(Updates, shown.Count);
        var commits = log.OfType<Commit>().ToList();
        var starts = log.OfType<FlushStart>().ToList();
        var ends = log.OfType<FlushEnd>().ToDictionary(f => f.Flush);
        Assert.All(answers, answer => AssertFlushedBefore(answer.At, commits.First(c => c.LastAuditSequence >= answer.AuditSequence), $"answer of audit entry {answer.AuditSequence}"));
        Assert.All(shown, update => AssertFlushedBefore(update.At, commits.First(c => c.LastDeliveryId >= update.DeliveryId), $"feed entry {update.DeliveryId}"));

        // The first flush to start after the commit must have ended before the answer: flushes run one at a time.
        void AssertFlushedBefore(int answeredAt, Commit commit, string what)
        {
            var flush = starts.FirstOrDefault(f => f.At > commit.At);
            Assert.True(flush is not null, $"{what}: no flush began after its commit {commit.Number}");
            Assert.True(
                ends.TryGetValue(flush.Flush, out var ended) && ended.At < answeredAt,
                $"{what}: answered at step {answeredAt}, before flush {flush.Flush} (begun after commit {commit.Number}) ended");

            // What the store says of itself must agree: the flush counts the commit as covered, and its deliveries as durable.
            Assert.True(flush.CoveredCommit >= commit.Number, $"{what}: flush {flush.Flush} does not count commit {commit.Number} as covered");
            Assert.True(ended.DurableDeliveryId >= commit.LastDeliveryId, $"{what}: flush {flush.Flush} leaves deliveries of commit {commit.Number} out of the feed");
        }
    }

    /// <summary>Polls the feed as a subscriber would, until it has shown every update written.</summary>
    private static async Task ReadFeedAsync(SqliteMessageStore store, Steps steps, int updates)
    {
        var after = 0L;
        for (var shown = 0; shown < updates;)
        {
            var entries = await store.ReadFeedAsync(Recipient.ToString(), [], after, 100, default);
            foreach (var entry in entries)
            {
                steps.Shown(entry.Sequence);
                after = entry.Sequence;
                shown++;
            }

            if (entries.Count == 0)
            {
                // SQLite reads complete synchronously: a poll that found nothing lets the writers have the core.
                await Task.Delay(1);
            }
        }
    }

    private abstract record Step(int At);

    private sealed record Commit(int At, long Number, long LastAuditSequence, long LastDeliveryId) : Step(At);

    private sealed record FlushStart(int At, long Flush, long CoveredCommit) : Step(At);

    private sealed record FlushEnd(int At, long Flush, long DurableDeliveryId) : Step(At);

    private sealed record Answer(int At, long AuditSequence) : Step(At);

    private sealed record Shown(int At, long DeliveryId) : Step(At);

    /// <summary>The store's steps and what the callers saw, numbered in the one order they happened in.</summary>
    private sealed class Steps : IDurabilityObserver
    {
        private readonly List<Step> _log = [];

        public void Committed(long commit, long lastAuditSequence, long lastDeliveryId) => Add(at => new Commit(at, commit, lastAuditSequence, lastDeliveryId));

        public void FlushStarting(long flush, long coveredCommit) => Add(at => new FlushStart(at, flush, coveredCommit));

        public void Flushed(long flush, long durableDeliveryId) => Add(at => new FlushEnd(at, flush, durableDeliveryId));

        public void Answered(long auditSequence) => Add(at => new Answer(at, auditSequence));

        public void Shown(long deliveryId) => Add(at => new Shown(at, deliveryId));

        public List<Step> Log()
        {
            lock (_log)
            {
                return [.. _log];
            }
        }

        private void Add(Func<int, Step> step)
        {
            lock (_log)
            {
                _log.Add(step(_log.Count));
            }
        }
    }
}
