using System.CommandLine;
using Gateway.Cli.Output;
using Gateway.Tests.Shared;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Interagency.V1;

namespace Gateway.Cli.Commands;

/// <summary>
/// The agency's unary calls, one command each, around the sample messages of DESIGN.md section 1: the command line
/// decides the envelope and the few facts that change from one run to the next (which referral, which outcome).
/// </summary>
internal static class MessageCommands
{
    public static IEnumerable<Command> Create(GlobalOptions global) =>
    [
        SendReferral(global),
        SendLocationRequest(global),
        ReleaseHold(global),
        CancelHold(global),
        AnswerClarification(global),
        ReportLocation(global),
        Withdraw(global),
    ];

    /// <summary>Sends a request, printing what is sent and then the receipt, or the response as JSON.</summary>
    public static async Task<int> SendAsync<TResponse>(CliContext cli, string announcement, Func<AsyncUnaryCall<TResponse>> call, Func<TResponse, Receipt> receipt)
        where TResponse : IMessage
    {
        if (!cli.Json)
        {
            await cli.Out.WriteLineAsync(announcement);
        }

        var response = await call();
        if (cli.Json)
        {
            cli.WriteJson(response);
        }
        else
        {
            Text.PrintReceipt(receipt(response), cli.Out);
        }

        return GatewayCtl.Done;
    }

    private static Command SendReferral(GlobalOptions global)
    {
        var command = new Command(
            "send-referral",
            "Send the sample kidnapping referral (DESIGN.md section 1, scenario 1): two accomplices in Fujian, arrest held until RU/MVD releases it [default --as CN/PLO-RU]");
        var envelope = EnvelopeOptions.AddTo(command, "CN/PLO-RU", "CN/FJPSD", characterised: true);
        CliContext.Bind(command, global, cli =>
        {
            var e = envelope.Read(cli);
            var request = SampleRequests.KidnappingReferral(e);
            return SendAsync(
                cli,
                $"Sending referral {Describe(e, request.Header)}",
                () => new ReferralService.ReferralServiceClient(cli.Channel).SubmitReferralAsync(request, cli.AsAgency(e.Caller)),
                r => r.Receipt);
        });
        return command;
    }

    private static Command SendLocationRequest(GlobalOptions global)
    {
        var command = new Command(
            "send-location-request",
            "Send the sample fugitive location request (scenario 2) to several countries [default --as CN/MPS]");
        var envelope = EnvelopeOptions.AddTo(command, "CN/MPS", "RU,TH,US", characterised: true);
        CliContext.Bind(command, global, cli =>
        {
            var e = envelope.Read(cli);
            var request = SampleRequests.FugitiveLocationRequest(e);
            return SendAsync(
                cli,
                $"Sending location request {Describe(e, request.Header)}",
                () => new FugitiveService.FugitiveServiceClient(cli.Channel).RequestLocationAsync(request, cli.AsAgency(e.Caller)),
                r => r.Receipt);
        });
        return command;
    }

    private static Command ReleaseHold(GlobalOptions global)
    {
        var command = new Command(
            "release-hold",
            "Release the coordination hold of a referral, as its release party [default --as RU/MVD]; the gateway tells every held party");
        var referral = Required("--referral", "ID", "Message id of the referral whose hold is released");
        var caseReference = Case(Samples.KidnappingCase);
        var remarks = new Option<string>("--remarks") { Description = "What allows the release [default: the victim freed]", HelpName = "TEXT" };
        command.Add(referral);
        command.Add(caseReference);
        command.Add(remarks);
        var envelope = EnvelopeOptions.AddTo(command, "RU/MVD");
        CliContext.Bind(command, global, cli =>
        {
            var e = envelope.Read(cli);
            var request = SampleRequests.HoldRelease(
                e, cli.Get(referral)!, cli.Get(caseReference)!, cli.Get(remarks) ?? "victim freed by Russian police, four kidnappers arrested");
            return SendAsync(
                cli,
                $"Releasing the hold of referral {request.Release.ReferralMessageId} as {e.Caller} (case {request.Header.CaseReference})",
                () => new ReferralService.ReferralServiceClient(cli.Channel).ReleaseHoldAsync(request, cli.AsAgency(e.Caller)),
                r => r.Receipt);
        });
        return command;
    }

    private static Command CancelHold(GlobalOptions global)
    {
        var command = new Command(
            "cancel-hold",
            "Cancel the coordination hold of a referral you sent [default --as CN/PLO-RU]: the held action is called off and every party told");
        var referral = Required("--referral", "ID", "Message id of the referral whose hold is cancelled");
        var caseReference = Case(Samples.KidnappingCase);
        var remarks = new Option<string>("--remarks") { Description = "Why the hold is cancelled", HelpName = "TEXT" };
        command.Add(referral);
        command.Add(caseReference);
        command.Add(remarks);
        var envelope = EnvelopeOptions.AddTo(command, "CN/PLO-RU");
        CliContext.Bind(command, global, cli =>
        {
            var e = envelope.Read(cli);
            var request = SampleRequests.HoldCancellation(e, cli.Get(referral)!, cli.Get(caseReference)!, cli.Get(remarks) ?? string.Empty);
            return SendAsync(
                cli,
                $"Cancelling the hold of referral {request.Cancellation.ReferralMessageId} as {e.Caller} (case {request.Header.CaseReference})",
                () => new ReferralService.ReferralServiceClient(cli.Channel).CancelHoldAsync(request, cli.AsAgency(e.Caller)),
                r => r.Receipt);
        });
        return command;
    }

    private static Command AnswerClarification(GlobalOptions global)
    {
        var command = new Command(
            "answer-clarification",
            "Answer a recipient's question about a message you sent [default --as CN/PLO-RU]; the answer goes to that recipient only");
        var about = Required("--about", "ID", "Message id of the message the question is about");
        var recipient = Required("--recipient", "AGENCY", "The agency that asked");
        var answer = Required("--answer", "TEXT", "The answer to its question");
        var caseReference = Case(Samples.KidnappingCase);
        command.Add(about);
        command.Add(recipient);
        command.Add(answer);
        command.Add(caseReference);
        var envelope = EnvelopeOptions.AddTo(command, "CN/PLO-RU");
        CliContext.Bind(command, global, cli =>
        {
            var e = envelope.Read(cli);
            var request = SampleRequests.ClarificationAnswer(e, cli.Get(about)!, cli.Get(recipient)!, cli.Get(caseReference)!, cli.Get(answer)!);
            return SendAsync(
                cli,
                $"Answering the question of {request.Answer.Recipient} about message {request.Answer.MessageId} as {e.Caller} (case {request.Header.CaseReference})",
                () => new ClarificationService.ClarificationServiceClient(cli.Channel).AnswerClarificationAsync(request, cli.AsAgency(e.Caller)),
                r => r.Receipt);
        });
        return command;
    }

    private static Command ReportLocation(GlobalOptions global)
    {
        var command = new Command(
            "report-location",
            "Report back on a fugitive location request, as a country that was asked [default --as RU/MVD]; the gateway routes it to the requester");
        var request = Required("--request", "ID", "Message id of the location request reported on");
        var outcome = new Option<string>("--outcome")
        {
            Description = "What was found",
            HelpName = "OUTCOME",
            DefaultValueFactory = _ => "located",
        };
        outcome.AcceptOnlyFromAmong([.. Outcomes.Keys]);
        var country = new Option<string>("--country") { Description = "Country where the person was found (ISO 3166-1 alpha-2)", HelpName = "CC" };
        var place = new Option<string>("--place") { Description = "Place (city, address) where the person was found", HelpName = "TEXT" };
        var observedAt = new Option<string>("--observed-at") { Description = "When, e.g. 2026-03-01T08:00:00Z [default: now]", HelpName = "TIME" };
        var remarks = new Option<string>("--remarks") { Description = "Anything the requester should know", HelpName = "TEXT" };
        var caseReference = Case(SampleRequests.LocationRequestCase);
        command.Add(request);
        command.Add(outcome);
        command.Add(country);
        command.Add(place);
        command.Add(observedAt);
        command.Add(remarks);
        command.Add(caseReference);
        var envelope = EnvelopeOptions.AddTo(command, "RU/MVD");
        CliContext.Bind(command, global, cli =>
        {
            var e = envelope.Read(cli);
            var report = new LocationReport
            {
                RequestMessageId = cli.Get(request)!,
                Outcome = Outcomes[cli.Get(outcome)!],
                ObservedAt = Timestamp.FromDateTimeOffset(ParseTime(cli.Get(observedAt), "--observed-at") ?? DateTimeOffset.UtcNow),
                Remarks = cli.Get(remarks) ?? string.Empty,
            };
            if (cli.Get(country) is not null || cli.Get(place) is not null)
            {
                report.Location = new Location { Country = cli.Get(country) ?? string.Empty, Place = cli.Get(place) ?? string.Empty };
            }

            var message = SampleRequests.LocationReport(e, cli.Get(caseReference)!, report);
            return SendAsync(
                cli,
                $"Reporting {cli.Get(outcome)} on request {report.RequestMessageId} as {e.Caller} (case {message.Header.CaseReference})",
                () => new FugitiveService.FugitiveServiceClient(cli.Channel).ReportLocationAsync(message, cli.AsAgency(e.Caller)),
                r => r.Receipt);
        });
        return command;
    }

    private static Command Withdraw(GlobalOptions global)
    {
        var command = new Command(
            "withdraw",
            "Withdraw a fugitive location request you sent, everywhere it went [default --as CN/MPS]; deliveries not yet made are dropped");
        var request = Required("--request", "ID", "Message id of the location request withdrawn");
        var reason = new Option<string>("--reason")
        {
            Description = "Why",
            HelpName = "REASON",
            DefaultValueFactory = _ => "returned",
        };
        reason.AcceptOnlyFromAmong([.. WithdrawalReasons.Keys]);
        var remarks = new Option<string>("--remarks") { Description = "More about why", HelpName = "TEXT" };
        var caseReference = Case(SampleRequests.LocationRequestCase);
        command.Add(request);
        command.Add(reason);
        command.Add(remarks);
        command.Add(caseReference);
        var envelope = EnvelopeOptions.AddTo(command, "CN/MPS");
        CliContext.Bind(command, global, cli =>
        {
            var e = envelope.Read(cli);
            var withdrawal = new Withdrawal
            {
                RequestMessageId = cli.Get(request)!,
                Reason = WithdrawalReasons[cli.Get(reason)!],
                Remarks = cli.Get(remarks) ?? string.Empty,
            };
            var message = SampleRequests.Withdrawal(e, cli.Get(caseReference)!, withdrawal);
            return SendAsync(
                cli,
                $"Withdrawing request {withdrawal.RequestMessageId} as {e.Caller} (case {message.Header.CaseReference})",
                () => new FugitiveService.FugitiveServiceClient(cli.Channel).WithdrawRequestAsync(message, cli.AsAgency(e.Caller)),
                r => r.Receipt);
        });
        return command;
    }

    private static readonly Dictionary<string, LocationOutcome> Outcomes = new(StringComparer.Ordinal)
    {
        ["sighted"] = LocationOutcome.Sighted,
        ["located"] = LocationOutcome.Located,
        ["provisionally-arrested"] = LocationOutcome.ProvisionallyArrested,
        ["surrendered"] = LocationOutcome.Surrendered,
        ["turned-themselves-in"] = LocationOutcome.TurnedThemselvesIn,
        ["not-found"] = LocationOutcome.NotFound,
    };

    private static readonly Dictionary<string, WithdrawalReason> WithdrawalReasons = new(StringComparer.Ordinal)
    {
        ["returned"] = WithdrawalReason.Returned,
        ["warrant-revoked"] = WithdrawalReason.WarrantRevoked,
        ["other"] = WithdrawalReason.Other,
    };

    /// <summary>An option the command cannot do without: missing, it is a parse error (exit code 2).</summary>
    public static Option<string> Required(string name, string helpName, string description) =>
        new(name) { Description = description, HelpName = helpName, Required = true };

    /// <summary>--case, the case of the message answered, released or reported on.</summary>
    public static Option<string> Case(string defaultCase) =>
        new("--case") { Description = "Case reference (the sample's by default)", HelpName = "REF", DefaultValueFactory = _ => defaultCase };

    /// <summary>An optional time option, read as UTC when it names no offset.</summary>
    public static DateTimeOffset? ParseTime(string? text, string option) =>
        text is null ? null
        : DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var time) ? time.ToUniversalTime()
        : throw new UsageException($"{option} '{text}' is not a date and time, e.g. 2026-03-01T08:00:00Z");

    // Names the sender only when it differs from the caller, since that is the case the gateway will refuse.
    private static string Describe(Envelope envelope, Header header) =>
        $"{header.MessageId} ({header.CaseReference}) as {envelope.Caller}"
        + (envelope.Sender == envelope.Caller ? string.Empty : $" with sender {envelope.Sender}")
        + $" to {string.Join(", ", header.Recipients)}";
}
