using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using Interagency.V1;

namespace Gateway.Cli.Demo;

/// <summary>
/// Prints each message's timeline as the gateway tells it (TraceService.GetMessageTrace, asked as an operator: every
/// audit entry about the message, where it was routed and why, each delivery's state). A gateway without the trace
/// service (UNIMPLEMENTED) gets the timeline the demo observed itself: the receipt and what each PartnerSim logged.
/// All of the demo's timeline output is here, so that it can give way to gatewayctl's own trace renderer.
/// </summary>
internal sealed class TimelinePrinter(GrpcChannel channel, TextWriter output)
{
    private const string OperatorHeader = "x-liaison-operator";
    private const string Operator = "demo";

    // A delivery is settled once the endpoint's answer is committed; the demo saw the endpoint apply it just before.
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    private static readonly HashSet<DeliveryStatus> Unsettled =
        [DeliveryStatus.Pending, DeliveryStatus.InFlight, DeliveryStatus.RetryWait, DeliveryStatus.Unspecified];

    private readonly TraceService.TraceServiceClient _trace = new(channel);
    private bool _traceServiceMissing;

    /// <summary>Prints the timeline of <paramref name="message"/>.</summary>
    public async Task PrintAsync(SentMessage message, IEnumerable<PartnerSimEndpoint> endpoints, CancellationToken cancellationToken)
    {
        var header = message.Header;
        var to = message.Receipt is { } receipt ? string.Join(", ", receipt.ResolvedRecipients) : string.Join(", ", header.Recipients);
        output.WriteLine($"  {message.What} {header.MessageId}: {header.Sender} -> {(to.Length == 0 ? "(refused)" : to)}, case {header.CaseReference}");
        if (!_traceServiceMissing)
        {
            try
            {
                Print(await SettledTraceAsync(header.MessageId, cancellationToken), message);
                return;
            }
            catch (RpcException missing) when (missing.StatusCode == StatusCode.Unimplemented)
            {
                _traceServiceMissing = true;
                output.WriteLine("    (this gateway has no TraceService: the timeline below is what the demo saw, not the gateway's audit log)");
            }
        }

        PrintObserved(message, endpoints);
    }

    private async Task<GetMessageTraceResponse> SettledTraceAsync(string messageId, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + SettleTimeout;
        while (true)
        {
            var trace = await _trace.GetMessageTraceAsync(
                new GetMessageTraceRequest { MessageId = messageId },
                new Metadata { { OperatorHeader, Operator } },
                DateTime.UtcNow.AddSeconds(15),
                cancellationToken);
            if (!trace.Deliveries.Any(d => Unsettled.Contains(d.Status)) || DateTimeOffset.UtcNow > deadline)
            {
                return trace;
            }

            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    private void Print(GetMessageTraceResponse trace, SentMessage message)
    {
        foreach (var e in trace.Events)
        {
            output.WriteLine($"    #{e.Sequence,-5} {Time(e.At)}  {e.Kind,-24} {e.Actor,-18} {Details(e)}".TrimEnd());

            // A fan-out's routes one under the other, each with why it was chosen and the agreement that allowed it.
            if (e.Routes.Count > 1)
            {
                foreach (var route in e.Routes)
                {
                    output.WriteLine($"{string.Empty,69}-> {Route(route)}");
                }
            }
        }

        foreach (var d in trace.Deliveries)
        {
            var attempts = d.Attempts == 1 ? "1 attempt" : $"{d.Attempts} attempts";
            output.WriteLine($"    delivery {d.DeliveryId} to {d.Recipient}: {Name(d.Status)} after {attempts}{(d.LastError.Length == 0 ? string.Empty : $", last error {d.LastError}")}");
        }

        if (trace.LinkedFrom.Count > 0)
        {
            output.WriteLine($"    answered or followed by: {string.Join(", ", trace.LinkedFrom)}");
        }

        var traceId = trace.Message?.TraceId is { Length: > 0 } stored ? stored : message.TraceId;
        if (traceId is not null)
        {
            output.WriteLine($"    trace id {traceId}");
        }
    }

    private void PrintObserved(SentMessage message, IEnumerable<PartnerSimEndpoint> endpoints)
    {
        if (message.Receipt is not { } receipt)
        {
            output.WriteLine($"    refused at intake: {message.Refusal}; nothing stored, nothing delivered");
        }
        else
        {
            output.WriteLine($"    {Time(receipt.AcceptedAt)}  accepted, audit #{receipt.AuditSequence}");
            var received = endpoints
                .SelectMany(endpoint => endpoint.Received().Where(e => e.MessageId == message.Header.MessageId).Select(e => (endpoint.Agency, Entry: e)))
                .OrderBy(r => r.Entry.At);
            foreach (var (agency, entry) in received)
            {
                var flags = entry.Flags.Count == 0 ? string.Empty : $" ({string.Join(", ", entry.Flags)})";
                output.WriteLine($"    {entry.At:HH:mm:ss.fff}  {entry.Outcome.ToLowerInvariant()} by {agency}: delivery {entry.DeliveryId}, attempt {entry.Attempt}{flags}");
            }
        }

        if (message.TraceId is not null)
        {
            output.WriteLine($"    trace id {message.TraceId}");
        }
    }

    // What an audit entry says beyond its kind and actor, never content: recipients, attempts, reasons, links.
    private static string Details(TraceEvent e)
    {
        var parts = new List<string>();
        if (e.Routes.Count == 1)
        {
            parts.Add("to " + Route(e.Routes[0]));
        }
        else if (e.Routes.Count > 1)
        {
            parts.Add($"to {e.Routes.Count} recipients");
        }
        else if (e.Recipient.Length > 0 && e.Recipient != e.Actor)
        {
            parts.Add(e.Recipient);
        }

        if (e.Attempt > 0)
        {
            parts.Add($"attempt {e.Attempt}" + (e.Duration is { } duration ? string.Create(CultureInfo.InvariantCulture, $", {duration.ToTimeSpan().TotalMilliseconds:0} ms") : string.Empty));
        }

        if (e.Code.Length > 0)
        {
            parts.Add(e.Code);
        }

        if (e.Reason.Length > 0)
        {
            parts.Add("reason " + e.Reason);
        }

        if (e.FieldPaths.Count > 0)
        {
            parts.Add("field " + string.Join(", ", e.FieldPaths));
        }

        if (e.Error.Length > 0)
        {
            parts.Add("error " + e.Error);
        }

        if (e.RetryAt is { } retryAt)
        {
            parts.Add("retry at " + Time(retryAt));
        }

        if (e.Justification.Length > 0)
        {
            parts.Add($"\"{e.Justification}\"");
        }

        if (e.RelatedMessageId.Length > 0)
        {
            parts.Add("by message " + e.RelatedMessageId);
        }

        return string.Join("; ", parts);
    }

    private static string Route(RouteExplanation route)
    {
        var why = route.Reason switch
        {
            RouteReason.NamedAgency => "named",
            RouteReason.CompetentAgency => $"competent for {route.Addressed}",
            RouteReason.LiaisonOffice => $"liaison office for {route.Addressed}",
            RouteReason.InterpolNcb => $"Interpol NCB for {route.Addressed}",
            RouteReason.CaseParty => "party of the case",
            RouteReason.Reply => "reply",
            RouteReason.SinglePointOfContact => "single point of contact",
            RouteReason.GatewayNotice => "notice",
            _ => "reason not recorded",
        };
        return $"{route.Recipient} ({why}{(route.Agreement.Length == 0 ? string.Empty : $", agreement {route.Agreement}")})";
    }

    private static string Time(Timestamp? at) => at is null ? new string(' ', 12) : at.ToDateTimeOffset().ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);

    // The wire name without its DELIVERY_STATUS_ prefix, as the .proto calls the states.
    private static string Name(DeliveryStatus status) =>
        TraceReflection.Descriptor.EnumTypes.Single(e => e.ClrType == typeof(DeliveryStatus)).FindValueByNumber((int)status)?.Name.Replace("DELIVERY_STATUS_", string.Empty, StringComparison.Ordinal) ?? status.ToString();
}
