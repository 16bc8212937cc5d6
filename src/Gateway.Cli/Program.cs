using Gateway.Cli;
using Google.Rpc;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Interagency.V1;

// gatewayctl: sends the sample messages of DESIGN.md section 1 to a running gateway and checks its health.
// Exit codes: 0 done, 1 the gateway refused or could not be reached, 2 the command line was wrong.

const string DefaultGateway = "http://127.0.0.1:5080";

// The development identity: the gateway believes this header (loopback only). Mutual TLS replaces it later.
const string AgencyHeader = "x-liaison-agency";

// A gateway that does not answer within this time is reported as such instead of leaving the shell hanging.
var deadline = TimeSpan.FromSeconds(30);

var line = CommandLine.Parse(args, new HashSet<string> { "gateway", "as", "to", "message-id", "created-at", "sender", "offence-character", "service" }, out var parseError);
if (line is null || line.Command is "help" or "-h" or "--help")
{
    return Usage(parseError);
}

try
{
    return line.Command switch
    {
        "send-referral" => await SendReferralAsync(line),
        "send-location-request" => await SendLocationRequestAsync(line),
        "health" => await HealthAsync(line),
        _ => Usage($"unknown command '{line.Command}'"),
    };
}
catch (RpcException error)
{
    PrintError(error);
    return 1;
}
catch (UsageException error)
{
    return Usage(error.Message);
}

async Task<int> SendReferralAsync(CommandLine options)
{
    var envelope = ReadEnvelope(options, defaultSender: "CN/PLO-RU", defaultRecipients: "CN/FJPSD");
    var request = Samples.KidnappingReferral(envelope);
    using var channel = OpenChannel(options);
    Console.WriteLine($"Sending referral {Describe(envelope, request.Header)}");
    var response = await new ReferralService.ReferralServiceClient(channel)
        .SubmitReferralAsync(request, AsAgency(envelope.Caller), DateTime.UtcNow + deadline);
    PrintReceipt(response.Receipt);
    return 0;
}

async Task<int> SendLocationRequestAsync(CommandLine options)
{
    var envelope = ReadEnvelope(options, defaultSender: "CN/MPS", defaultRecipients: "RU,TH,US");
    var request = Samples.FugitiveLocationRequest(envelope);
    using var channel = OpenChannel(options);
    Console.WriteLine($"Sending location request {Describe(envelope, request.Header)}");
    var response = await new FugitiveService.FugitiveServiceClient(channel)
        .RequestLocationAsync(request, AsAgency(envelope.Caller), DateTime.UtcNow + deadline);
    PrintReceipt(response.Receipt);
    return 0;
}

async Task<int> HealthAsync(CommandLine options)
{
    using var channel = OpenChannel(options);
    // An empty service name asks about the gateway as a whole, which is what an operator wants to know.
    var service = options.Get("service", string.Empty);
    var response = await new Health.HealthClient(channel)
        .CheckAsync(new HealthCheckRequest { Service = service }, deadline: DateTime.UtcNow + deadline);
    Console.WriteLine($"{(service.Length == 0 ? "gateway" : service)}: {response.Status}");
    return response.Status == HealthCheckResponse.Types.ServingStatus.Serving ? 0 : 1;
}

Envelope ReadEnvelope(CommandLine options, string defaultSender, string defaultRecipients)
{
    var messageId = options.Get("message-id", Guid.NewGuid().ToString());
    var recipients = options.Get("to", defaultRecipients)
        .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    // created_at is part of the content, so replaying a message (same id, same content) needs it fixed.
    var createdAt = DateTimeOffset.UtcNow;
    if (options.Find("created-at") is { } text && !DateTimeOffset.TryParse(text, null, System.Globalization.DateTimeStyles.AssumeUniversal, out createdAt))
    {
        throw new UsageException($"--created-at '{text}' is not a date and time, e.g. 2026-03-01T08:00:00Z");
    }

    var caller = options.Get("as", defaultSender);

    // The sender normally is the caller; --sender lets an operator see the gateway refuse a mismatch.
    return new Envelope(messageId, caller, options.Get("sender", caller), recipients, createdAt.ToUniversalTime(), ReadCharacter(options));
}

OffenceCharacter ReadCharacter(CommandLine options)
{
    var text = options.Get("offence-character", "ordinary");
    return Enum.TryParse<OffenceCharacter>(text, ignoreCase: true, out var character) && character != OffenceCharacter.Unspecified && Enum.IsDefined(character)
        ? character
        : throw new UsageException($"--offence-character '{text}' is not one of ordinary, political, military, religious, racial");
}

GrpcChannel OpenChannel(CommandLine options)
{
    var address = options.Get("gateway", DefaultGateway);
    if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
    {
        throw new UsageException($"--gateway '{address}' is not an http:// or https:// address");
    }

    // http:// means plaintext HTTP/2 (h2c), which is how the development gateway listens.
    return GrpcChannel.ForAddress(uri);
}

// Names the sender only when it differs from the caller, since that is the case the gateway will refuse.
static string Describe(Envelope envelope, Header header) =>
    $"{header.MessageId} ({header.CaseReference}) as {envelope.Caller}"
    + (envelope.Sender == envelope.Caller ? string.Empty : $" with sender {envelope.Sender}")
    + $" to {string.Join(", ", header.Recipients)}";

static Metadata AsAgency(string agency) => new() { { AgencyHeader, agency } };

static void PrintReceipt(Receipt receipt)
{
    Console.WriteLine($"  message id:          {receipt.MessageId}");
    Console.WriteLine($"  resolved recipients: {string.Join(", ", receipt.ResolvedRecipients)}");
    Console.WriteLine($"  accepted at:         {receipt.AcceptedAt?.ToDateTimeOffset():yyyy-MM-ddTHH:mm:ss.fffZ}");
    Console.WriteLine($"  audit sequence:      {receipt.AuditSequence}");
    Console.WriteLine($"  state:               {EnumName(receipt.State)}");
}

// Prints what the gateway said and, from the google.rpc.Status details, every field it found at fault:
// the violations are the actionable part of a refusal.
static void PrintError(RpcException error)
{
    Console.Error.WriteLine(error.Status.Detail.Length > 0 ? $"error: {error.StatusCode}: {error.Status.Detail}" : $"error: {error.StatusCode}");
    var status = error.GetRpcStatus();
    if (status is null)
    {
        return;
    }

    if (status.GetDetail<ErrorInfo>() is { } info)
    {
        Console.Error.WriteLine($"  reason: {info.Reason}");
    }

    if (status.GetDetail<BadRequest>() is { } badRequest)
    {
        foreach (var violation in badRequest.FieldViolations)
        {
            Console.Error.WriteLine($"  {violation.Field}: {violation.Description}");
        }
    }
}

// The wire name without its MESSAGE_STATE_ prefix, as the .proto and the README call the states.
static string EnumName(Interagency.V1.MessageState state) => state switch
{
    Interagency.V1.MessageState.Accepted => "ACCEPTED",
    Interagency.V1.MessageState.HeldForReview => "HELD_FOR_REVIEW",
    _ => $"UNKNOWN ({(int)state})",
};

static int Usage(string? error)
{
    var output = error is null ? Console.Out : Console.Error;
    if (error is not null)
    {
        output.WriteLine($"gatewayctl: {error}");
        output.WriteLine();
    }

    output.WriteLine($"""
        Usage: gatewayctl <command> [options]

        Commands:
          send-referral            Send the sample kidnapping referral (DESIGN.md section 1, scenario 1):
                                   two accomplices in Fujian, arrest held until RU/MVD releases it.
          send-location-request    Send the sample fugitive location request (scenario 2) to several countries.
          health                   Ask the gateway's grpc.health.v1 service whether it is serving.
          help                     Show this text.

        Options:
          --gateway URL            Gateway address (default {DefaultGateway}).
          --as AGENCY              Calling agency, sent in the {AgencyHeader} header and as the sender
                                   (default CN/PLO-RU for send-referral, CN/MPS for send-location-request).
          --sender AGENCY          Sender written in the message header (default: the --as agency).
          --to LIST                Recipients, comma-separated agencies or countries
                                   (default CN/FJPSD for send-referral, RU,TH,US for send-location-request).
          --message-id UUID        Message id, the idempotency key (default: a new one).
          --created-at TIME        Creation time, e.g. 2026-03-01T08:00:00Z (default: now). Fix it together
                                   with --message-id to send the very same message again.
          --offence-character C    ordinary (default), political, military, religious or racial; anything
                                   but ordinary is accepted as HELD_FOR_REVIEW, not forwarded automatically.
          --service NAME           health only: a service name to check (default: the whole gateway).

        Exit codes: 0 done, 1 refused or unreachable, 2 bad command line.
        """);
    return error is null ? 0 : 2;
}

/// <summary>A command-line value that could only be checked once the command ran.</summary>
internal sealed class UsageException(string message) : Exception(message);
