using Gateway.PartnerSim.Faults;
using Gateway.PartnerSim.Hosting;
using System.Diagnostics;
using Gateway.PartnerSim.Inbox;
using Gateway.PartnerSim.Telemetry;
using Interagency.V1;

namespace Gateway.PartnerSim.Services;

/// <summary>What happens to a call's deliveries: refused by an injected fault, or applied to the inbox; then the configured delay.</summary>
public sealed class Reception(PartnerSimOptions options, FaultInjector faults, InboxStore inbox, ReceivedLog receivedLog, TimeProvider time)
{
    /// <exception cref="InboxUnavailableException">The inbox could not commit; nothing was applied.</exception>
    public async Task<ReceptionAnswer> ReceiveAsync(IReadOnlyList<DeliverRequest> deliveries, CancellationToken cancellationToken)
    {
        var refusal = faults.Refusal();
        IReadOnlyList<DeliveryOutcome> outcomes = [];
        if (refusal is null)
        {
            using var span = PartnerSimTelemetry.Source.StartActivity(PartnerSimTelemetry.InboxApply);
            span?.SetTag(PartnerSimTelemetry.AgencyTag, options.Agency);
            span?.SetTag(PartnerSimTelemetry.CountTag, deliveries.Count);
            try
            {
                outcomes = await inbox.ApplyAsync(deliveries);
            }
            catch (InboxUnavailableException)
            {
                span?.SetStatus(ActivityStatusCode.Error, "inbox commit failed");
                throw;
            }
        }
        else
        {
            var at = time.GetUtcNow();
            receivedLog.Append(deliveries.Select(delivery => ReceivedLine.Format(at, ReceivedLine.Refused, delivery)));
        }

        // After applying, so that a caller whose deadline runs out meanwhile sees a lost answer for an applied
        // message, as with a slow real endpoint, and its retry is a duplicate.
        if (options.Delay > TimeSpan.Zero)
        {
            await Task.Delay(options.Delay, time, cancellationToken);
        }

        return new ReceptionAnswer(outcomes, refusal);
    }
}
