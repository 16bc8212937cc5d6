using Gateway.Core.Lifecycle;
using Gateway.Core.Storage;
using Microsoft.Extensions.Options;

namespace Gateway.Delivery;

/// <summary>Looks for requests whose reply-by time passed without a reply and raises (audits) an overdue event for each, once.</summary>
public sealed class ReplyDeadlineWatcher(IOperationsStore store, TimeProvider time, IOptions<DeliveryOptions> options, ILogger<ReplyDeadlineWatcher> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.OverdueScanInterval, time);
        try
        {
            do
            {
                await ScanAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// One scan. A failed scan must not end the watcher: an exception out of a background service stops the whole
    /// host, and a store that cannot write is already reported (logged once, health NOT_SERVING); the next tick tries again.
    /// </summary>
    private async Task ScanAsync(CancellationToken stoppingToken)
    {
        try
        {
            foreach (var messageId in await store.RaiseOverdueAsync(time.GetUtcNow(), stoppingToken))
            {
                DeliveryLog.ReplyOverdue(logger, messageId);
            }
        }
        catch (StoreUnavailableException)
        {
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            DeliveryLog.OverdueScanFailed(logger, error);
        }
    }
}
