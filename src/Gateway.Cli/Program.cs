using Gateway.Cli;
using Gateway.Tests.Shared;
using Google.Rpc;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Interagency.V1;

// gatewayctl: sends the sample messages of DESIGN.md section 1 to a running gateway, checks its health, and does the
// operators' work: dead letters, replay, review of held messages, overdue replies, directory.
// Exit codes: 0 done, 1 the gateway refused or could not be reached, 2 the command line was wrong.

const string DefaultGateway = "http://127.0.0.1:5080";

// The development identity: the gateway believes this header (loopback only). Mutual TLS replaces it later.
const string AgencyHeader = "x-liaison-agency";
const string OperatorHeader = "x-liaison-operator";
const string DefaultOperator = "duty-officer";

// A gateway that does not answer within this time is reported as such instead of leaving the shell hanging.
var deadline = TimeSpan.FromSeconds(30);

var line = CommandLine.Parse(
    args,
    new HashSet<string> { "gateway", "as", "to", "message-id", "created-at", "sender", "offence-character", "service", "operator", "recipient", "case", "reason", "referral", "remarks", "decision", "about", "answer" },
    new HashSet<string> { "delivery" },
    out var parseError);
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
        "release-hold" => await ReleaseHoldAsync(line),
        "answer-clarification" => await AnswerClarificationAsync(line),
        "health" => await HealthAsync(line),
        "dead-letters" => await DeadLettersAsync(line),
        "replay" => await ReplayAsync(line),
        "held" => await HeldAsync(line),
        "review" => await ReviewAsync(line),
        "agencies" => await AgenciesAsync(line),
        "routes" => await RoutesAsync(line),
        "overdue" => await OverdueAsync(line),
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
    var request = SampleRequests.KidnappingReferral(envelope);
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
    var request = SampleRequests.FugitiveLocationRequest(envelope);
    using var channel = OpenChannel(options);
    Console.WriteLine($"Sending location request {Describe(envelope, request.Header)}");
    var response = await new FugitiveService.FugitiveServiceClient(channel)
        .RequestLocationAsync(request, AsAgency(envelope.Caller), DateTime.UtcNow + deadline);
    PrintReceipt(response.Receipt);
    return 0;
}

async Task<int> ReleaseHoldAsync(CommandLine options)
{
    var referral = options.Find("referral") ?? throw new UsageException("release-hold needs --referral MESSAGE-ID, the referral whose hold is released");
    var envelope = ReadEnvelope(options, defaultSender: "RU/MVD", defaultRecipients: string.Empty);
    var request = SampleRequests.HoldRelease(
        envelope, referral, options.Get("case", Samples.KidnappingCase), options.Get("remarks", "victim freed by Russian police, four kidnappers arrested"));
    using var channel = OpenChannel(options);
    Console.WriteLine($"Releasing the hold of referral {referral} as {envelope.Caller} (case {request.Header.CaseReference})");
    var response = await new ReferralService.ReferralServiceClient(channel)
        .ReleaseHoldAsync(request, AsAgency(envelope.Caller), DateTime.UtcNow + deadline);
    PrintReceipt(response.Receipt);
    return 0;
}

async Task<int> AnswerClarificationAsync(CommandLine options)
{
    var about = options.Find("about") ?? throw new UsageException("answer-clarification needs --about MESSAGE-ID, the message the question is about");
    var recipient = options.Find("recipient") ?? throw new UsageException("answer-clarification needs --recipient AGENCY, the agency that asked");
    var answer = options.Find("answer") ?? throw new UsageException("answer-clarification needs --answer \"...\", the answer to its question");
    var envelope = ReadEnvelope(options, defaultSender: "CN/PLO-RU", defaultRecipients: string.Empty);
    var request = SampleRequests.ClarificationAnswer(envelope, about, recipient, options.Get("case", Samples.KidnappingCase), answer);
    using var channel = OpenChannel(options);
    Console.WriteLine($"Answering the question of {recipient} about message {about} as {envelope.Caller} (case {request.Header.CaseReference})");
    var response = await new ClarificationService.ClarificationServiceClient(channel)
        .AnswerClarificationAsync(request, AsAgency(envelope.Caller), DateTime.UtcNow + deadline);
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

async Task<int> DeadLettersAsync(CommandLine options)
{
    using var channel = OpenChannel(options);
    var client = new OperationsService.OperationsServiceClient(channel);
    Console.WriteLine($"{"DELIVERY",-9} {"MESSAGE",-36} {"KIND",-16} {"CASE",-20} {"SENDER",-11} {"RECIPIENT",-11} {"TRIES",5} {"DEAD-LETTERED AT",-24} LAST ERROR");
    var count = await ForEachPageAsync<DeadLetter>(
        async token =>
        {
            var page = await client.ListDeadLettersAsync(
                new ListDeadLettersRequest { Filter = ReadFilter(options), PageSize = 500, PageToken = token }, AsOperator(options), DateTime.UtcNow + deadline);
            return (page.DeadLetters, page.NextPageToken);
        },
        d => Console.WriteLine($"{d.DeliveryId,-9} {d.MessageId,-36} {d.Kind,-16} {d.CaseReference,-20} {d.Sender,-11} {d.Recipient,-11} {d.Attempts,5} {d.DeadLetteredAt?.ToDateTimeOffset():yyyy-MM-ddTHH:mm:ss.fffZ} {d.LastError}"));
    Console.WriteLine(count == 1 ? "1 dead letter" : $"{count} dead letters");
    return 0;
}

async Task<int> ReplayAsync(CommandLine options)
{
    var reason = options.Find("reason") ?? throw new UsageException("replay needs --reason \"...\": why the deliveries are replayed (it is audited)");
    var ids = options.GetAll("delivery");
    var filter = ReadFilter(options);
    if (ids.Count > 0 == (filter.Recipient.Length > 0 || filter.CaseReference.Length > 0 || filter.MessageId.Length > 0))
    {
        throw new UsageException("replay needs either --delivery ID... or a filter (--recipient AGENCY, --case REF, --message-id UUID), not both");
    }

    using var channel = OpenChannel(options);
    var request = new ReplayDeadLettersRequest { DeliveryIds = { ids }, Filter = ids.Count > 0 ? null : filter, Reason = reason };
    var response = await new OperationsService.OperationsServiceClient(channel)
        .ReplayDeadLettersAsync(request, AsOperator(options), DateTime.UtcNow + deadline);
    var replayed = response.ReplayedDeliveryIds;
    var notAgreed = response.NotAgreedDeliveryIds;
    Console.WriteLine(replayed.Count > 0 ? $"Replayed {replayed.Count} {(replayed.Count == 1 ? "delivery" : "deliveries")}: {string.Join(", ", replayed)}"
        : notAgreed.Count > 0 ? "Nothing replayed."
        : "Nothing replayed: no dead letter matched.");
    if (notAgreed.Count > 0)
    {
        Console.WriteLine($"Left dead: no route agreement in effect lets the message reach the recipient: {string.Join(", ", notAgreed)}");
    }

    if (ids.Count > 0 && ids.Except(replayed).Except(notAgreed).ToArray() is { Length: > 0 } skipped)
    {
        Console.WriteLine($"Not dead letters, left alone: {string.Join(", ", skipped)}");
    }

    return 0;
}

async Task<int> HeldAsync(CommandLine options)
{
    using var channel = OpenChannel(options);
    var client = new OperationsService.OperationsServiceClient(channel);
    var count = await ForEachPageAsync<HeldMessage>(
        async token =>
        {
            var page = await client.ListHeldMessagesAsync(
                new ListHeldMessagesRequest { PageSize = 500, PageToken = token }, AsOperator(options), DateTime.UtcNow + deadline);
            return (page.HeldMessages, page.NextPageToken);
        },
        m =>
        {
            Console.WriteLine($"{m.MessageId}  {m.Kind} in case {m.CaseReference} from {m.Sender} to {string.Join(", ", m.Recipients)}, held since {m.AcceptedAt?.ToDateTimeOffset():yyyy-MM-ddTHH:mm:ss.fffZ}");
            Console.WriteLine($"  {HeldBecause(m.Content)}");
        });
    Console.WriteLine(count == 1 ? "1 message awaits review" : $"{count} messages await review");
    return 0;
}

async Task<int> ReviewAsync(CommandLine options)
{
    var messageId = options.Find("message-id") ?? throw new UsageException("review needs --message-id UUID, a message listed by 'held'");
    var decision = options.Find("decision") switch
    {
        "release" => ReviewDecision.Release,
        "refuse" => ReviewDecision.Refuse,
        var other => throw new UsageException($"review needs --decision release or --decision refuse{(other is null ? string.Empty : $", not '{other}'")}"),
    };
    var reason = options.Find("reason") ?? throw new UsageException("review needs --reason \"...\": why (it is audited)");
    using var channel = OpenChannel(options);
    var response = await new OperationsService.OperationsServiceClient(channel).ReviewHeldMessageAsync(
        new ReviewHeldMessageRequest { MessageId = messageId, Decision = decision, Reason = reason }, AsOperator(options), DateTime.UtcNow + deadline);
    Console.WriteLine(decision == ReviewDecision.Release
        ? $"Released {response.MessageId} to {string.Join(", ", response.Recipients)}."
        : $"Refused {response.MessageId}: it will never be delivered to {string.Join(", ", response.Recipients)}.");
    if (response.NotAgreedRecipients.Count > 0)
    {
        Console.WriteLine(
            $"Refused for {string.Join(", ", response.NotAgreedRecipients)}: no route agreement in effect lets the message reach them any more.");
    }

    return 0;
}

async Task<int> AgenciesAsync(CommandLine options)
{
    using var channel = OpenChannel(options);
    var response = await new OperationsService.OperationsServiceClient(channel)
        .ListAgenciesAsync(new ListAgenciesRequest(), AsOperator(options), DateTime.UtcNow + deadline);
    Console.WriteLine($"{"AGENCY",-11} {"KIND",-15} {"POSTED IN",-9} {"ENDPOINT",-24} NAME");
    foreach (var a in response.Agencies)
    {
        Console.WriteLine($"{a.Id,-11} {a.Kind,-15} {a.PostedIn,-9} {a.Endpoint,-24} {a.Name}");
        Console.WriteLine($"{string.Empty,-11} competent for: {Kinds(a.CompetentFor)}; accepts: {Kinds(a.Accepts)}");
    }

    return 0;
}

async Task<int> RoutesAsync(CommandLine options)
{
    using var channel = OpenChannel(options);
    var response = await new OperationsService.OperationsServiceClient(channel)
        .ListRoutesAsync(new ListRoutesRequest(), AsOperator(options), DateTime.UtcNow + deadline);
    for (var i = 0; i < response.Routes.Count; i++)
    {
        var r = response.Routes[i];
        Console.WriteLine($"{i + 1,3}  {r.From,-14} -> {r.To,-14} {r.MaxHandling}  {string.Join(", ", r.Kinds)}");
    }

    return 0;
}

async Task<int> OverdueAsync(CommandLine options)
{
    using var channel = OpenChannel(options);
    var client = new OperationsService.OperationsServiceClient(channel);
    var filter = new ListOverdueRequest { Sender = options.Get("sender", string.Empty), Recipient = options.Get("recipient", string.Empty), PageSize = 500 };
    Console.WriteLine($"{"MESSAGE",-36} {"KIND",-16} {"CASE",-20} {"SENDER",-11} {"OWED BY",-11} {"DUE",-24} OVERDUE SINCE");
    var count = await ForEachPageAsync<OverdueReply>(
        async token =>
        {
            var page = await client.ListOverdueAsync(new ListOverdueRequest(filter) { PageToken = token }, AsOperator(options), DateTime.UtcNow + deadline);
            return (page.Overdue, page.NextPageToken);
        },
        o => Console.WriteLine($"{o.MessageId,-36} {o.Kind,-16} {o.CaseReference,-20} {o.Sender,-11} {o.Recipient,-11} {o.ReplyDue?.ToDateTimeOffset():yyyy-MM-ddTHH:mm:ss.fffZ} {o.OverdueAt?.ToDateTimeOffset():yyyy-MM-ddTHH:mm:ss.fffZ}"));
    Console.WriteLine(count == 1 ? "1 reply overdue" : $"{count} replies overdue");
    return 0;
}

// Prints every entry of an operator list, page after page, and returns how many there were.
static async Task<int> ForEachPageAsync<T>(Func<string, Task<(IReadOnlyCollection<T> Entries, string NextPageToken)>> page, Action<T> print)
{
    var count = 0;
    var token = string.Empty;
    do
    {
        var (entries, next) = await page(token);
        foreach (var entry in entries)
        {
            print(entry);
        }

        count += entries.Count;
        token = next;
    }
    while (token.Length > 0);

    return count;
}

DeadLetterFilter ReadFilter(CommandLine options) =>
    new()
    {
        Recipient = options.Get("recipient", string.Empty),
        CaseReference = options.Get("case", string.Empty),
        MessageId = options.Get("message-id", string.Empty),
    };

Metadata AsOperator(CommandLine options) => new() { { OperatorHeader, options.Get("operator", DefaultOperator) } };

Envelope ReadEnvelope(CommandLine options, string defaultSender, string defaultRecipients)
{
    // Time-ordered (UUIDv7), as the README recommends to senders: the gateway's store indexes message ids.
    var messageId = options.Get("message-id", Guid.CreateVersion7().ToString());
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

// What made the gateway hold it: the offence as the sender described it, and its character.
static string HeldBecause(Google.Protobuf.WellKnownTypes.Any? content)
{
    var offence = content switch
    {
        { } any when any.TryUnpack<SubmitReferralRequest>(out var referral) => referral.Referral?.Offence,
        { } any when any.TryUnpack<RequestLocationRequest>(out var request) => request.Request?.Charges.FirstOrDefault(c => c.Offence?.Character is not (OffenceCharacter.Ordinary or OffenceCharacter.Unspecified))?.Offence,
        _ => null,
    };
    return offence is null ? "(content not shown)" : $"offence: {offence.Description} ({offence.Character.ToString().ToLowerInvariant()})";
}

static string Kinds(IEnumerable<string> kinds) => string.Join(", ", kinds) is { Length: > 0 } text ? text : "-";

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
          release-hold             Release the coordination hold of a referral: --referral MESSAGE-ID, as the
                                   release party (default --as RU/MVD); the gateway tells every held party.
          answer-clarification     Answer a recipient's question about a message you sent: --about MESSAGE-ID
                                   --recipient AGENCY --answer "..." (default --as CN/PLO-RU); the answer goes
                                   to that recipient only.
          health                   Ask the gateway's grpc.health.v1 service whether it is serving.
          dead-letters             List dead-lettered deliveries, oldest first (filters: --recipient, --case,
                                   --message-id).
          replay                   Put dead letters back to pending: --delivery ID... or --recipient AGENCY
                                   (and/or --case REF), with --reason "..." (audited).
          held                     List the messages held for human review (offence of political, military,
                                   religious or racial character), oldest first.
          review                   Decide on a held message: --message-id UUID --decision release|refuse
                                   --reason "..." (audited). Released, it is delivered; refused, never.
          agencies                 List the agencies of the gateway's directory.
          routes                   List the route agreements, in configured order.
          overdue                  List the replies overdue, one line per request and recipient that owes
                                   its reply, most overdue first (filters: --sender, --recipient).
          help                     Show this text.

        Options:
          --gateway URL            Gateway address (default {DefaultGateway}).
          --as AGENCY              Calling agency, sent in the {AgencyHeader} header and as the sender
                                   (default CN/PLO-RU for send-referral, CN/MPS for send-location-request).
          --sender AGENCY          Sender written in the message header (default: the --as agency); for
                                   overdue, only requests sent by this agency.
          --to LIST                Recipients, comma-separated agencies or countries
                                   (default CN/FJPSD for send-referral, RU,TH,US for send-location-request).
          --message-id UUID        Message id, the idempotency key (default: a new one); for dead-letters and
                                   replay, a filter; for review, the held message.
          --created-at TIME        Creation time, e.g. 2026-03-01T08:00:00Z (default: now). Fix it together
                                   with --message-id to send the very same message again.
          --offence-character C    ordinary (default), political, military, religious or racial; anything
                                   but ordinary is accepted as HELD_FOR_REVIEW, not forwarded automatically.
          --service NAME           health only: a service name to check (default: the whole gateway).
          --operator NAME          Operator making an operator call (dead-letters, replay, held, review,
                                   agencies, routes, overdue), sent in the {OperatorHeader} header
                                   (default {DefaultOperator}).
          --recipient AGENCY       dead-letters, replay: only deliveries to this agency, e.g. CN/FJPSD;
                                   overdue: only replies owed by this agency; answer-clarification: the
                                   agency that asked.
          --case REF               dead-letters, replay: only deliveries of this case; release-hold,
                                   answer-clarification: the case of the message answered (default the
                                   sample's, CN-FJ-2026-0042).
          --about ID               answer-clarification: message id of the message the question is about.
          --answer TEXT            answer-clarification: the answer.
          --delivery ID...         replay: delivery ids, space- or comma-separated.
          --reason TEXT            replay, review: why (required; recorded in the audit log).
          --decision D             review: release or refuse.
          --referral ID            release-hold: message id of the referral whose hold is released.
          --remarks TEXT           release-hold: what allows the release (default: the victim freed).

        Exit codes: 0 done, 1 refused or unreachable, 2 bad command line.
        """);
    return error is null ? 0 : 2;
}

/// <summary>A command-line value that could only be checked once the command ran.</summary>
internal sealed class UsageException(string message) : Exception(message);
