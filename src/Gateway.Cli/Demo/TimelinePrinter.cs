using Gateway.Cli.Output;
using Grpc.Core;
using Grpc.Net.Client;
using Interagency.V1;

namespace Gateway.Cli.Demo;

/// <summary>
/// Prints each message's timeline as the gateway tells it (TraceService.GetMessageTrace, asked as an operator: every
/// audit entry about the message, where it was routed and why, each delivery's state), in gatewayctl trace's layout
/// (<see cref="Timeline"/>), indented under the demo's line for the message. <paramref name="operatorCredentials"/>
/// say who asks (<see cref="DemoIdentity.OperatorCredentials"/>).
/// </summary>
internal sealed class TimelinePrinter(GrpcChannel channel, Metadata operatorCredentials, TextWriter output)
{
    // A delivery is settled once the endpoint's answer is committed; the demo saw the endpoint apply it just before.
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    private static readonly HashSet<DeliveryStatus> Unsettled =
        [DeliveryStatus.Pending, DeliveryStatus.InFlight, DeliveryStatus.RetryWait, DeliveryStatus.Unspecified];

    private readonly TraceService.TraceServiceClient _trace = new(channel);
    private readonly Palette _palette = Palette.For(output);

    /// <summary>Prints the timeline of <paramref name="message"/>.</summary>
    public async Task PrintAsync(SentMessage message, CancellationToken cancellationToken)
    {
        var header = message.Header;
        var to = message.Receipt is { } receipt ? string.Join(", ", receipt.ResolvedRecipients) : string.Join(", ", header.Recipients);
        output.WriteLine($"  {message.What} {header.MessageId}: {header.Sender} -> {(to.Length == 0 ? "(refused)" : to)}, case {header.CaseReference}");
        var trace = await SettledTraceAsync(header.MessageId, cancellationToken);
        var timeline = new StringWriter();
        Timeline.Print(trace, timeline, _palette);

        // A refused message was never stored with a trace id; the demo's own span is the trace its refusal is in.
        if (trace.Message is null && message.TraceId is not null)
        {
            timeline.WriteLine($"  trace id: {message.TraceId}");
        }

        foreach (var line in timeline.ToString().Split(Environment.NewLine))
        {
            output.WriteLine(line.Length == 0 ? line : "    " + line);
        }
    }

    private async Task<GetMessageTraceResponse> SettledTraceAsync(string messageId, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + SettleTimeout;
        while (true)
        {
            var trace = await _trace.GetMessageTraceAsync(
                new GetMessageTraceRequest { MessageId = messageId },
                operatorCredentials,
                DateTime.UtcNow.AddSeconds(15),
                cancellationToken);
            if (!trace.Deliveries.Any(d => Unsettled.Contains(d.Status)) || DateTimeOffset.UtcNow > deadline)
            {
                return trace;
            }

            await Task.Delay(PollInterval, cancellationToken);
        }
    }
}
