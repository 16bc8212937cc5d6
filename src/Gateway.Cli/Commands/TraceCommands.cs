using System.CommandLine;
using Gateway.Cli.Output;
using Interagency.V1;

namespace Gateway.Cli.Commands;

/// <summary>
/// Where messages went (TraceService): one message's timeline, a search, the live flow, and a message's content for a
/// stated reason. They call as the operator, or as the agency of --as, which sees only its own messages.
/// </summary>
internal static class TraceCommands
{
    private static readonly string[] Kinds =
        ["Referral", "LocationRequest", "LocationReport", "Withdrawal", "CaseUpdate", "HoldRelease", "HoldCancellation", "ReferralAnswer", "ClarificationAnswer", "Notice"];

    public static IEnumerable<Command> Create(GlobalOptions global) => [Trace(global), Search(global), Watch(global), Content(global)];

    private static Command Trace(GlobalOptions global)
    {
        var command = new Command("trace", "Show the timeline of one message: every event with its audit sequence, where it was routed and why, and each delivery's state");
        var messageId = new Argument<string>("MESSAGE_ID") { Description = "The message id (a lower-case UUID)" };
        command.Add(messageId);
        CliContext.Bind(command, global, async cli =>
        {
            var trace = await new TraceService.TraceServiceClient(cli.Channel)
                .GetMessageTraceAsync(new GetMessageTraceRequest { MessageId = cli.Get(messageId) }, cli.ForTrace());
            if (cli.Json)
            {
                cli.WriteJson(trace);
            }
            else
            {
                Timeline.Print(trace, cli.Out, Palette.For(cli.Out));
            }

            return GatewayCtl.Done;
        });
        return command;
    }

    private static Command Search(GlobalOptions global)
    {
        var command = new Command("search", "Find messages by case, sender, recipient, kind, delivery state or time, newest first, one page at a time");
        var caseReference = new Option<string>("--case") { Description = "Only messages of this case", HelpName = "REF" };
        var sender = new Option<string>("--sender") { Description = "Only messages from this agency", HelpName = "AGENCY" };
        var recipient = new Option<string>("--recipient") { Description = "Only messages to this agency", HelpName = "AGENCY" };
        var kind = KindOption("Only messages of this kind");
        var status = StatusOption("Only messages with a delivery in this state");
        var from = new Option<string>("--from") { Description = "Only messages accepted at or after this time, e.g. 2026-03-01T08:00:00Z", HelpName = "TIME" };
        var until = new Option<string>("--until") { Description = "Only messages accepted before this time", HelpName = "TIME" };
        var oldestFirst = new Option<bool>("--oldest-first") { Description = "Oldest first instead of newest first" };
        var pageSize = new Option<uint>("--page-size") { Description = "Messages per page, at most 500 [default: 50]", HelpName = "N" };
        var pageToken = new Option<string>("--page-token") { Description = "The next page, from the token the previous page printed", HelpName = "TOKEN" };
        foreach (var option in new Option[] { caseReference, sender, recipient, kind, status, from, until, oldestFirst, pageSize, pageToken })
        {
            command.Add(option);
        }

        CliContext.Bind(command, global, async cli =>
        {
            var request = new SearchMessagesRequest
            {
                Filter = new MessageFilter
                {
                    CaseReference = cli.Get(caseReference) ?? string.Empty,
                    Sender = cli.Get(sender) ?? string.Empty,
                    Recipient = cli.Get(recipient) ?? string.Empty,
                    Kind = cli.Get(kind) ?? string.Empty,
                    Status = Status(cli.Get(status)),
                    AcceptedFrom = Time(MessageCommands.ParseTime(cli.Get(from), "--from")),
                    AcceptedUntil = Time(MessageCommands.ParseTime(cli.Get(until), "--until")),
                },
                Order = cli.Get(oldestFirst) ? SearchOrder.OldestFirst : SearchOrder.NewestFirst,
                PageSize = cli.Get(pageSize),
                PageToken = cli.Get(pageToken) ?? string.Empty,
            };
            var page = await new TraceService.TraceServiceClient(cli.Channel).SearchMessagesAsync(request, cli.ForTrace());
            if (cli.Json)
            {
                cli.WriteJson(page);
                return GatewayCtl.Done;
            }

            await cli.Out.WriteLineAsync($"{"ACCEPTED AT",-24} {"MESSAGE",-36} {"KIND",-19} {"CASE",-20} {"SENDER",-11} DELIVERIES");
            foreach (var match in page.Messages)
            {
                var m = match.Message;
                var deliveries = string.Join(", ", match.Deliveries.Select(d => $"{d.Recipient} {Text.EnumName(d.Status)}"));
                await cli.Out.WriteLineAsync($"{Text.Time(m.AcceptedAt),-24} {m.MessageId,-36} {m.Kind,-19} {m.CaseReference,-20} {m.Sender,-11} {(deliveries.Length > 0 ? deliveries : "-")}");
            }

            await cli.Out.WriteLineAsync(Text.Plural(page.Messages.Count, "message", "messages")
                + (page.NextPageToken.Length > 0 ? $"; next page: --page-token {page.NextPageToken}" : string.Empty));
            return GatewayCtl.Done;
        });
        return command;
    }

    private static Command Watch(GlobalOptions global)
    {
        var command = new Command(
            "watch",
            "Follow the flow live: one line per lifecycle event as it is committed, until Ctrl+C; resume with --after the last sequence printed");
        var agency = new Option<string>("--agency") { Description = "Only events of messages from or to this agency", HelpName = "AGENCY" };
        var caseReference = new Option<string>("--case") { Description = "Only events of messages of this case", HelpName = "REF" };
        var kind = KindOption("Only events of messages of this kind");
        var status = StatusOption("Only events that leave a delivery in this state");
        var after = new Option<ulong?>("--after") { Description = "Resume after this audit sequence number (0: from the first event) [default: from now on]", HelpName = "SEQUENCE" };
        foreach (var option in new Option[] { agency, caseReference, kind, status, after })
        {
            command.Add(option);
        }

        CliContext.Bind(command, global, async cli =>
        {
            var request = new WatchFlowRequest
            {
                Agency = cli.Get(agency) ?? string.Empty,
                CaseReference = cli.Get(caseReference) ?? string.Empty,
                Kind = cli.Get(kind) ?? string.Empty,
                Status = Status(cli.Get(status)),
            };
            if (cli.Get(after) is { } sequence)
            {
                request.AfterSequence = sequence;
            }

            using var call = new TraceService.TraceServiceClient(cli.Channel).WatchFlow(request, cli.ForTrace(streaming: true));
            var palette = Palette.For(cli.Out);
            return await Streams.ReadUntilCancelledAsync(cli, call.ResponseStream, flow =>
            {
                if (cli.Json)
                {
                    cli.WriteJson(flow);
                    return;
                }

                cli.Out.WriteLine($"{Timeline.EventLine(flow.Event, palette)}  [{flow.Kind} {flow.CaseReference} from {flow.Sender}, message {flow.Event.MessageId}]");
            });
        });
        return command;
    }

    private static Command Content(GlobalOptions global)
    {
        var command = new Command(
            "content",
            "Show a message's content as its sender submitted it; needs --reason, and the showing is audited as message.consulted");
        var messageId = new Argument<string>("MESSAGE_ID") { Description = "The message id (a lower-case UUID)" };
        var reason = MessageCommands.Required("--reason", "TEXT", "Why you read it (recorded in the audit log)");
        command.Add(messageId);
        command.Add(reason);
        CliContext.Bind(command, global, async cli =>
        {
            var response = await new TraceService.TraceServiceClient(cli.Channel).GetMessageContentAsync(
                new GetMessageContentRequest { MessageId = cli.Get(messageId), Reason = cli.Get(reason)! }, cli.ForTrace());
            if (cli.Json)
            {
                cli.WriteJson(response);
                return GatewayCtl.Done;
            }

            if (response.Message is { } message)
            {
                Timeline.PrintSummary(message, cli.Out, Palette.For(cli.Out));
            }

            await cli.Out.WriteLineAsync($"  consulted: audit #{response.ConsultedSequence}");
            await cli.Out.WriteLineAsync(response.Content is null ? "(no content)" : ProtoJson.IndentedFormatter.Format(response.Content));
            return GatewayCtl.Done;
        });
        return command;
    }

    private static Option<string> KindOption(string description)
    {
        var kind = new Option<string>("--kind") { Description = description, HelpName = "KIND" };
        kind.AcceptOnlyFromAmong(Kinds);
        return kind;
    }

    private static Option<string> StatusOption(string description)
    {
        var status = new Option<string>("--status") { Description = description, HelpName = "STATE" };
        status.AcceptOnlyFromAmong([.. Enum.GetValues<DeliveryStatus>().Where(s => s != DeliveryStatus.Unspecified).Select(s => Text.EnumName(s).ToLowerInvariant().Replace('_', '-'))]);
        return status;
    }

    private static DeliveryStatus Status(string? name) =>
        name is null ? DeliveryStatus.Unspecified : Enum.GetValues<DeliveryStatus>().First(s => Text.EnumName(s).ToLowerInvariant().Replace('_', '-') == name);

    private static Google.Protobuf.WellKnownTypes.Timestamp? Time(DateTimeOffset? at) =>
        at is null ? null : Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(at.Value);
}
