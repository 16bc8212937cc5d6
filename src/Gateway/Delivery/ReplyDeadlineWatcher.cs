using Gateway.Core.Lifecycle;
using Gateway.Core.Storage;
using Gateway.Telemetry;
using Microsoft.Extensions.Options;

namespace Gateway.Delivery;

/// <summary>
/// Looks for recipients whose reply deadline on a request passed without their reply and raises an overdue event for
/// each, once: audited, logged, and a notice to the request's sender, which the dispatcher is woken to deliver. With
/// several instances on one store, one of them scans at a time (<see cref="IExclusiveWork"/>); the others skip that tick.
/// </summary>
public sealed class ReplyDeadlineWatcher(
    IOperationsStore store, IExclusiveWork exclusive, TimeProvider time, WorkSignal work, IOptions<DeliveryOptions> options, GatewayMetrics metrics,
    ILogger<ReplyDeadlineWatcher> logger)
    : BackgroundService
{
    /// <summary>The name the instances sharing a store know the scan by.</summary>
    public const string ScanName = "reply-deadline-scan";

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
            await exclusive.RunAloneAsync(ScanName, RaiseAsync, stoppingToken);
        }
        catch (StoreUnavailableException)
        {
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            DeliveryLog.OverdueScanFailed(logger, error);
        }
    }

    private async Task RaiseAsync(CancellationToken stoppingToken)
    {
        var raised = await store.RaiseOverdueAsync(time.GetUtcNow(), stoppingToken);
        foreach (var reply in raised)
        {
            DeliveryLog.ReplyOverdue(logger, reply.MessageId, reply.Recipient, reply.Sender);
        }

        if (raised.Count > 0)
        {
            metrics.RepliesOverdue(raised.Count);
            work.Notify();
        }
    }
}
