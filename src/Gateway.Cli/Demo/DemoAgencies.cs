using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;
using Interagency.V1;

namespace Gateway.Cli.Demo;

/// <summary>
/// The agencies' side of the demo: each message sent over the gateway's public services exactly as an agency system
/// would, on the sending agency's own channel with its credentials (<see cref="DemoIdentity"/>), under a span of its own
/// (see <see cref="DemoTracing"/>). Says each message's fate in one line and remembers it for the timelines.
/// </summary>
internal sealed class DemoAgencies(DemoNetwork network, TextWriter output)
{
    private static readonly TimeSpan CallDeadline = TimeSpan.FromSeconds(15);

    /// <summary>Sends a message that the gateway must accept; returns what it said and prints its receipt.</summary>
    public async Task<SentMessage> SendAsync(
        string what, Header header, Func<AgencyCall, Task<Receipt>> call, CancellationToken cancellationToken)
    {
        using var span = DemoTracing.StartMessage(what, header.MessageId, header.Sender, header.CaseReference);
        var receipt = await call(Call(header.Sender, cancellationToken));
        var sent = new SentMessage(what, header, receipt, null, span?.TraceId.ToHexString());
        output.WriteLine($"  {header.Sender} sent {what} {header.MessageId}");
        output.WriteLine($"    accepted: audit #{receipt.AuditSequence}, {StateName(receipt.State)}, to {string.Join(", ", receipt.ResolvedRecipients)}");
        return sent;
    }

    /// <summary>Sends a message that the gateway must refuse with <paramref name="expected"/>; prints why it refused.</summary>
    public async Task<SentMessage> SendRefusedAsync(
        string what, Header header, StatusCode expected, Func<AgencyCall, Task<Receipt>> call, CancellationToken cancellationToken)
    {
        using var span = DemoTracing.StartMessage(what, header.MessageId, header.Sender, header.CaseReference);
        try
        {
            var receipt = await call(Call(header.Sender, cancellationToken));
            throw new DemoException($"The gateway accepted {what} {header.MessageId} from {header.Sender} (audit #{receipt.AuditSequence}); it should have refused it with {expected}.");
        }
        catch (RpcException refused) when (refused.StatusCode == expected)
        {
            var status = refused.GetRpcStatus();
            var refusal = new Refusal(
                expected,
                status?.GetDetail<ErrorInfo>()?.Reason ?? string.Empty,
                status?.GetDetail<BadRequest>()?.FieldViolations.Select(v => v.Field).ToList() ?? []);
            output.WriteLine($"  {header.Sender} sent {what} {header.MessageId}");
            output.WriteLine($"    refused: {refusal}");
            return new SentMessage(what, header, null, refusal, span?.TraceId.ToHexString());
        }
    }

    /// <summary>Publishes one case update on its own stream (so that it has a trace of its own); it must be accepted.</summary>
    public Task<SentMessage> PublishAsync(string what, PublishUpdatesRequest update, CancellationToken cancellationToken) =>
        SendAsync(what, update.Header, async agency =>
        {
            using var call = agency.CaseUpdates.PublishUpdates(agency.Options);
            await call.RequestStream.WriteAsync(update, cancellationToken);
            await call.RequestStream.CompleteAsync();
            if (!await call.ResponseStream.MoveNext(cancellationToken))
            {
                throw new DemoException($"The gateway closed the update stream without acknowledging {what} {update.Header.MessageId}.");
            }

            var ack = call.ResponseStream.Current;
            return ack.Outcome == UpdateOutcome.Accepted
                ? ack.Receipt
                : throw new DemoException($"The gateway did not accept {what} {update.Header.MessageId}: {ack.Outcome}, {ack.Refusal?.Message}");
        },
        cancellationToken);

    /// <summary>Checks that <paramref name="endpoint"/> applied <paramref name="message"/> as <paramref name="kind"/>, waiting for it.</summary>
    public async Task<EndpointEntry> ExpectDeliveryAsync(
        PartnerSimEndpoint endpoint, SentMessage message, string kind, CancellationToken cancellationToken, string? flag = null)
    {
        var entry = await endpoint.WaitForAsync(message.Header.MessageId, cancellationToken);
        if (entry.Kind != kind || (flag is not null && !entry.Flags.Contains(flag)))
        {
            throw new DemoException(
                $"{endpoint.Agency} received {message.What} {message.Header.MessageId} as {entry.Kind} with flags [{string.Join(",", entry.Flags)}], expected {kind}{(flag is null ? string.Empty : $" with {flag}")}.");
        }

        output.WriteLine($"    delivered to {endpoint.Agency} at {entry.At:HH:mm:ss.fff} as {entry.Kind}, attempt {entry.Attempt}{(entry.Flags.Count == 0 ? string.Empty : $" ({string.Join(", ", entry.Flags)})")}");
        return entry;
    }

    /// <summary>A header for <paramref name="sender"/>'s message in <paramref name="caseReference"/>, with a new time-ordered id.</summary>
    public static Header Header(string sender, string caseReference, Priority priority, HandlingCode handling, params string[] recipients) =>
        new()
        {
            MessageId = Guid.CreateVersion7().ToString(),
            CaseReference = caseReference,
            Sender = sender,
            Recipients = { recipients },
            CreatedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
            Priority = priority,
            Handling = new Handling { Code = handling },
            LegalBasis = new LegalBasis { Kind = LegalBasisKind.Treaty, Reference = "demo: bilateral police cooperation agreement" },
            Language = "zh",
        };

    private AgencyCall Call(string agency, CancellationToken cancellationToken) =>
        new(network.ChannelOf(agency), new CallOptions(network.Identity.AgencyCredentials(agency), DateTime.UtcNow + CallDeadline, cancellationToken));

    private static string StateName(MessageState state) => state switch
    {
        MessageState.Accepted => "ACCEPTED",
        MessageState.HeldForReview => "HELD_FOR_REVIEW",
        MessageState.Late => "LATE",
        _ => state.ToString().ToUpperInvariant(),
    };
}

/// <summary>One agency's call: the gateway's services on its channel, and the options (credentials, deadline) to call them with.</summary>
internal sealed class AgencyCall(GrpcChannel channel, CallOptions options)
{
    public CallOptions Options => options;

    public ReferralService.ReferralServiceClient Referrals => new(channel);

    public FugitiveService.FugitiveServiceClient Fugitives => new(channel);

    public CaseUpdateService.CaseUpdateServiceClient CaseUpdates => new(channel);
}

/// <summary>
/// A message the demo sent: what it is, its header, the gateway's receipt or refusal, and the trace id of the span it
/// was sent under (null when no trace was exported).
/// </summary>
internal sealed record SentMessage(string What, Header Header, Receipt? Receipt, Refusal? Refusal, string? TraceId);

/// <summary>How the gateway refused a message: the status code, the machine-readable reason and the fields at fault.</summary>
internal sealed record Refusal(StatusCode Code, string Reason, IReadOnlyList<string> Fields)
{
    public override string ToString() =>
        $"{Code}{(Reason.Length == 0 ? string.Empty : $", reason {Reason}")}{(Fields.Count == 0 ? string.Empty : $", field {string.Join(", ", Fields)}")}";
}
