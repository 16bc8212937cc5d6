using Gateway.Core.Storage;
using Microsoft.Extensions.Options;

namespace Gateway.Delivery;

/// <summary>Looks for requests whose reply-by time passed without a reply and raises (audits) an overdue event for each, once.</summary>
public sealed class ReplyDeadlineWatcher(IMessageStore store, TimeProvider time, IOptions<DeliveryOptions> options, ILogger<ReplyDeadlineWatcher> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.OverdueScanInterval, time);
        try
        {
            do
            {
                foreach (var messageId in await store.RaiseOverdueAsync(stoppingToken))
                {
                    DeliveryLog.ReplyOverdue(logger, messageId);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
