using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Gateway.Core.Lifecycle;
using Gateway.Core.Storage;
using Gateway.Tests.Shared;

namespace Gateway.Storage.Sqlite.Tests;

public class StoreMetricsTests
{
    [Fact]
    public async Task Every_write_is_counted_once_at_each_stage_by_the_time_its_caller_is_answered()
    {
        await using var temp = new TempStore();
        var meter = temp.Store.Metrics.Meter;
        using var queued = new MetricCollector<double>(meter, "liaison.store.queue.duration");
        using var committed = new MetricCollector<double>(meter, "liaison.store.commit.duration");
        using var committedWrites = new MetricCollector<int>(meter, "liaison.store.commit.writes");
        using var flushDelayed = new MetricCollector<double>(meter, "liaison.store.flush.delay");
        using var flushed = new MetricCollector<double>(meter, "liaison.store.flush.duration");
        using var flushedWrites = new MetricCollector<int>(meter, "liaison.store.flush.writes");

        // Concurrent, so that batches carry several writes and flushes several batches.
        await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => Task.Run(() => temp.Store.AcceptAsync(StoreSamples.Message(), default))));

        Assert.Equal(40, queued.GetMeasurementSnapshot().Count);
        Assert.Equal(40, committedWrites.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Equal(40, flushedWrites.GetMeasurementSnapshot().Sum(m => m.Value));
        var commits = committed.GetMeasurementSnapshot();
        Assert.Equal(temp.Store.CommitCount, commits.Count);
        Assert.Equal(commits.Count, committedWrites.GetMeasurementSnapshot().Count);
        Assert.Equal(commits.Count, flushDelayed.GetMeasurementSnapshot().Count);
        Assert.Equal(temp.Store.FlushCount, flushed.GetMeasurementSnapshot().Count);
        Assert.All(
            [.. queued.GetMeasurementSnapshot(), .. commits, .. flushDelayed.GetMeasurementSnapshot(), .. flushed.GetMeasurementSnapshot()],
            m => Assert.InRange(m.Value, 0, 60));
        Assert.All(commits, m => Assert.True(m.Value > 0, "a commit takes time"));
    }

    [Fact]
    public async Task The_backlog_is_each_recipients_open_deliveries_pending_in_flight_or_waiting_for_a_retry_when_collected()
    {
        await using var temp = new TempStore();
        using var backlog = new MetricCollector<long>(temp.Store.Metrics.Meter, StoreMetrics.Backlog);
        foreach (var recipients in new[] { ["CN/FJPSD", "RU/MVD"], ["CN/FJPSD"], ["CN/FJPSD"], ["RU/MVD"], new[] { "CN/FJPSD" } })
        {
            await temp.Store.AcceptAsync(StoreSamples.Message(null, $"CASE-{Guid.NewGuid()}", recipients: recipients), default);
        }

        // Fujian's: one delivered, one in flight, one waiting for a retry, one pending; Russia's: one delivered, one pending.
        var claimed = await temp.Store.ClaimDeliveriesAsync("w", TimeSpan.FromMinutes(1), 4, [], default);
        await temp.Store.CompleteDeliveriesAsync("w", [
            new(claimed[0].Delivery, DeliveryResolution.Delivered),
            new(claimed[1].Delivery, DeliveryResolution.Delivered),
            new(claimed[2].Delivery, DeliveryResolution.RetryLater, DateTimeOffset.UtcNow.AddMinutes(5), "Unavailable"),
        ], default);
        Assert.Equal(["CN/FJPSD", "RU/MVD", "CN/FJPSD", "CN/FJPSD"], claimed.Select(c => c.Delivery.Recipient));

        backlog.RecordObservableInstruments();

        Assert.Equal(
            [("CN/FJPSD", 3L), ("RU/MVD", 1L)],
            backlog.GetMeasurementSnapshot().Select(m => ((string)m.Tags[StoreMetrics.RecipientTag]!, m.Value)).OrderBy(m => m.Item1));
    }

    [Fact]
    public async Task Without_flushes_of_its_own_the_store_records_no_flush()
    {
        await using var temp = new TempStore(configure: o => o.Synchronous = "NORMAL");
        using var committedWrites = new MetricCollector<int>(temp.Store.Metrics.Meter, "liaison.store.commit.writes");
        using var flushed = new MetricCollector<double>(temp.Store.Metrics.Meter, "liaison.store.flush.duration");

        await temp.Store.AcceptAsync(StoreSamples.Message(), default);

        Assert.Equal(1, Assert.Single(committedWrites.GetMeasurementSnapshot()).Value);
        Assert.Empty(flushed.GetMeasurementSnapshot());
    }
}
