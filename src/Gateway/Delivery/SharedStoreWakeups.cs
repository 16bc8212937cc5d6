using Gateway.Core.Storage;

namespace Gateway.Delivery;

/// <summary>
/// With a store shared by several instances, the work that wakes this instance's dispatcher and subscribers may be
/// committed by another one: intake answers only its own caller. Every such commit appends to the audit chain, whose
/// head the store follows across instances (<see cref="ITraceStore.WaitForAuditAfterAsync"/>), so each advance of the
/// head wakes both. They then read the store, which stays the source of truth; a wake-up that finds nothing costs one read.
/// </summary>
public sealed class SharedStoreWakeups(ITraceStore store, WorkSignal work, UpdateFeedSignal feed) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var seen = store.DurableAuditSequence;
            while (true)
            {
                await store.WaitForAuditAfterAsync(seen, stoppingToken);
                seen = store.DurableAuditSequence;
                work.Notify();
                feed.Notify();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
