using System.CommandLine;
using Gateway.Cli.Output;
using Google.Protobuf;
using Grpc.Health.V1;
using Interagency.V1;

namespace Gateway.Cli.Commands;

/// <summary>The duty operator's calls (OperationsService), and the gateway's health.</summary>
internal static class OperationsCommands
{
    public static IEnumerable<Command> Create(GlobalOptions global) =>
        [Health(global), DeadLetters(global), Replay(global), Held(global), Review(global), Agencies(global), Routes(global), Overdue(global)];

    private static Command Health(GlobalOptions global)
    {
        var command = new Command("health", "Ask the gateway's grpc.health.v1 service whether it is serving; exit code 1 when it is not");
        var service = new Option<string>("--service") { Description = "A service name to check [default: the whole gateway]", HelpName = "NAME" };
        command.Add(service);
        CliContext.Bind(command, global, async cli =>
        {
            // An empty service name asks about the gateway as a whole, which is what an operator wants to know.
            var name = cli.Get(service) ?? string.Empty;
            var response = await new Grpc.Health.V1.Health.HealthClient(cli.Channel)
                .CheckAsync(new HealthCheckRequest { Service = name }, cli.Anonymous());
            if (cli.Json)
            {
                cli.WriteJson(response);
            }
            else
            {
                await cli.Out.WriteLineAsync($"{(name.Length == 0 ? "gateway" : name)}: {response.Status}");
            }

            return response.Status == HealthCheckResponse.Types.ServingStatus.Serving ? GatewayCtl.Done : GatewayCtl.Refused;
        });
        return command;
    }

    private static Command DeadLetters(GlobalOptions global)
    {
        var command = new Command("dead-letters", "List dead-lettered deliveries, oldest first");
        var filter = new DeadLetterFilterOptions(command);
        CliContext.Bind(command, global, async cli =>
        {
            var client = new OperationsService.OperationsServiceClient(cli.Channel);
            var count = await ForEachPageAsync<DeadLetter>(
                cli,
                $"{"DELIVERY",-9} {"MESSAGE",-36} {"KIND",-16} {"CASE",-20} {"SENDER",-11} {"RECIPIENT",-11} {"TRIES",5} {"DEAD-LETTERED AT",-24} LAST ERROR",
                async token =>
                {
                    var page = await client.ListDeadLettersAsync(new ListDeadLettersRequest { Filter = filter.Read(cli), PageSize = 500, PageToken = token }, cli.AsOperator());
                    return (page, page.DeadLetters, page.NextPageToken);
                },
                d => cli.Out.WriteLine($"{d.DeliveryId,-9} {d.MessageId,-36} {d.Kind,-16} {d.CaseReference,-20} {d.Sender,-11} {d.Recipient,-11} {d.Attempts,5} {Text.Time(d.DeadLetteredAt),-24} {d.LastError}"));
            if (!cli.Json)
            {
                await cli.Out.WriteLineAsync(Text.Plural(count, "dead letter", "dead letters"));
            }

            return GatewayCtl.Done;
        });
        return command;
    }

    private static Command Replay(GlobalOptions global)
    {
        var command = new Command(
            "replay",
            "Put dead letters back to pending: --delivery ID... or a filter (--recipient, --case, --message-id), with --reason (audited)");
        var deliveries = new Option<string[]>("--delivery")
        {
            Description = "Delivery ids, space- or comma-separated, or the option repeated",
            HelpName = "ID",
            AllowMultipleArgumentsPerToken = true,
        };
        var reason = MessageCommands.Required("--reason", "TEXT", "Why the deliveries are replayed (recorded in the audit log)");
        command.Add(deliveries);
        command.Add(reason);
        var filter = new DeadLetterFilterOptions(command);
        CliContext.Bind(command, global, async cli =>
        {
            var ids = (cli.Get(deliveries) ?? []).SelectMany(d => d.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
            var criteria = filter.Read(cli);
            if (ids.Length > 0 == (criteria.Recipient.Length > 0 || criteria.CaseReference.Length > 0 || criteria.MessageId.Length > 0))
            {
                throw new UsageException("replay needs either --delivery ID... or a filter (--recipient AGENCY, --case REF, --message-id UUID), not both");
            }

            var request = new ReplayDeadLettersRequest { DeliveryIds = { ids }, Filter = ids.Length > 0 ? null : criteria, Reason = cli.Get(reason)! };
            var response = await new OperationsService.OperationsServiceClient(cli.Channel).ReplayDeadLettersAsync(request, cli.AsOperator());
            if (cli.Json)
            {
                cli.WriteJson(response);
                return GatewayCtl.Done;
            }

            var replayed = response.ReplayedDeliveryIds;
            var notAgreed = response.NotAgreedDeliveryIds;
            await cli.Out.WriteLineAsync(replayed.Count > 0 ? $"Replayed {replayed.Count} {(replayed.Count == 1 ? "delivery" : "deliveries")}: {string.Join(", ", replayed)}"
                : notAgreed.Count > 0 ? "Nothing replayed."
                : "Nothing replayed: no dead letter matched.");
            if (notAgreed.Count > 0)
            {
                await cli.Out.WriteLineAsync($"Left dead: no route agreement in effect lets the message reach the recipient: {string.Join(", ", notAgreed)}");
            }

            if (ids.Length > 0 && ids.Except(replayed).Except(notAgreed).ToArray() is { Length: > 0 } skipped)
            {
                await cli.Out.WriteLineAsync($"Not dead letters, left alone: {string.Join(", ", skipped)}");
            }

            return GatewayCtl.Done;
        });
        return command;
    }

    private static Command Held(GlobalOptions global)
    {
        var command = new Command("held", "List the messages held for human review (offence of political, military, religious or racial character), oldest first");
        CliContext.Bind(command, global, async cli =>
        {
            var client = new OperationsService.OperationsServiceClient(cli.Channel);
            var count = await ForEachPageAsync<HeldMessage>(
                cli,
                header: null,
                async token =>
                {
                    var page = await client.ListHeldMessagesAsync(new ListHeldMessagesRequest { PageSize = 500, PageToken = token }, cli.AsOperator());
                    return (page, page.HeldMessages, page.NextPageToken);
                },
                m =>
                {
                    cli.Out.WriteLine($"{m.MessageId}  {m.Kind} in case {m.CaseReference} from {m.Sender} to {string.Join(", ", m.Recipients)}, held since {Text.Time(m.AcceptedAt)}");
                    cli.Out.WriteLine($"  {HeldBecause(m.Content)}");
                });
            if (!cli.Json)
            {
                await cli.Out.WriteLineAsync(count == 1 ? "1 message awaits review" : $"{count} messages await review");
            }

            return GatewayCtl.Done;
        });
        return command;
    }

    private static Command Review(GlobalOptions global)
    {
        var command = new Command("review", "Decide on a held message (audited): released, it is delivered; refused, never");
        var messageId = MessageCommands.Required("--message-id", "UUID", "The held message, as listed by 'held'");
        var decision = MessageCommands.Required("--decision", "DECISION", "release or refuse");
        decision.AcceptOnlyFromAmong("release", "refuse");
        var reason = MessageCommands.Required("--reason", "TEXT", "Why (recorded in the audit log)");
        command.Add(messageId);
        command.Add(decision);
        command.Add(reason);
        CliContext.Bind(command, global, async cli =>
        {
            var release = cli.Get(decision) == "release";
            var response = await new OperationsService.OperationsServiceClient(cli.Channel).ReviewHeldMessageAsync(
                new ReviewHeldMessageRequest { MessageId = cli.Get(messageId)!, Decision = release ? ReviewDecision.Release : ReviewDecision.Refuse, Reason = cli.Get(reason)! },
                cli.AsOperator());
            if (cli.Json)
            {
                cli.WriteJson(response);
                return GatewayCtl.Done;
            }

            await cli.Out.WriteLineAsync(release
                ? $"Released {response.MessageId} to {string.Join(", ", response.Recipients)}."
                : $"Refused {response.MessageId}: it will never be delivered to {string.Join(", ", response.Recipients)}.");
            if (response.NotAgreedRecipients.Count > 0)
            {
                await cli.Out.WriteLineAsync(
                    $"Refused for {string.Join(", ", response.NotAgreedRecipients)}: no route agreement in effect lets the message reach them any more.");
            }

            return GatewayCtl.Done;
        });
        return command;
    }

    private static Command Agencies(GlobalOptions global)
    {
        var command = new Command("agencies", "List the agencies of the gateway's directory");
        CliContext.Bind(command, global, async cli =>
        {
            var response = await new OperationsService.OperationsServiceClient(cli.Channel).ListAgenciesAsync(new ListAgenciesRequest(), cli.AsOperator());
            if (cli.Json)
            {
                cli.WriteJson(response);
                return GatewayCtl.Done;
            }

            await cli.Out.WriteLineAsync($"{"AGENCY",-11} {"KIND",-15} {"POSTED IN",-9} {"ENDPOINT",-24} NAME");
            foreach (var a in response.Agencies)
            {
                await cli.Out.WriteLineAsync($"{a.Id,-11} {a.Kind,-15} {a.PostedIn,-9} {a.Endpoint,-24} {a.Name}");
                await cli.Out.WriteLineAsync($"{string.Empty,-11} competent for: {Text.List(a.CompetentFor)}; accepts: {Text.List(a.Accepts)}");
            }

            return GatewayCtl.Done;
        });
        return command;
    }

    private static Command Routes(GlobalOptions global)
    {
        var command = new Command("routes", "List the route agreements, in configured order");
        CliContext.Bind(command, global, async cli =>
        {
            var response = await new OperationsService.OperationsServiceClient(cli.Channel).ListRoutesAsync(new ListRoutesRequest(), cli.AsOperator());
            if (cli.Json)
            {
                cli.WriteJson(response);
                return GatewayCtl.Done;
            }

            for (var i = 0; i < response.Routes.Count; i++)
            {
                var r = response.Routes[i];
                await cli.Out.WriteLineAsync($"{i + 1,3}  {r.From,-14} -> {r.To,-14} {r.MaxHandling}  {string.Join(", ", r.Kinds)}");
            }

            return GatewayCtl.Done;
        });
        return command;
    }

    private static Command Overdue(GlobalOptions global)
    {
        var command = new Command("overdue", "List the replies overdue, one line per request and recipient that owes its reply, most overdue first");
        var sender = new Option<string>("--sender") { Description = "Only requests sent by this agency", HelpName = "AGENCY" };
        var recipient = new Option<string>("--recipient") { Description = "Only replies owed by this agency", HelpName = "AGENCY" };
        command.Add(sender);
        command.Add(recipient);
        CliContext.Bind(command, global, async cli =>
        {
            var client = new OperationsService.OperationsServiceClient(cli.Channel);
            var filter = new ListOverdueRequest { Sender = cli.Get(sender) ?? string.Empty, Recipient = cli.Get(recipient) ?? string.Empty, PageSize = 500 };
            var count = await ForEachPageAsync<OverdueReply>(
                cli,
                $"{"MESSAGE",-36} {"KIND",-16} {"CASE",-20} {"SENDER",-11} {"OWED BY",-11} {"DUE",-24} OVERDUE SINCE",
                async token =>
                {
                    var page = await client.ListOverdueAsync(new ListOverdueRequest(filter) { PageToken = token }, cli.AsOperator());
                    return (page, page.Overdue, page.NextPageToken);
                },
                o => cli.Out.WriteLine($"{o.MessageId,-36} {o.Kind,-16} {o.CaseReference,-20} {o.Sender,-11} {o.Recipient,-11} {Text.Time(o.ReplyDue),-24} {Text.Time(o.OverdueAt)}"));
            if (!cli.Json)
            {
                await cli.Out.WriteLineAsync(Text.Plural(count, "reply overdue", "replies overdue"));
            }

            return GatewayCtl.Done;
        });
        return command;
    }

    // Every entry of an operator list, page after page (each page one JSON document with --json); returns how many there were.
    /// <param name="header">The table's header line, printed once the first page has come: a refused call prints its error alone.</param>
    private static async Task<int> ForEachPageAsync<T>(
        CliContext cli, string? header, Func<string, Task<(IMessage Page, IReadOnlyCollection<T> Entries, string NextPageToken)>> read, Action<T> print)
    {
        var count = 0;
        var token = string.Empty;
        do
        {
            var (page, entries, next) = await read(token);
            if (cli.Json)
            {
                cli.WriteJson(page);
            }
            else
            {
                if (token.Length == 0 && header is not null)
                {
                    await cli.Out.WriteLineAsync(header);
                }

                foreach (var entry in entries)
                {
                    print(entry);
                }
            }

            count += entries.Count;
            token = next;
        }
        while (token.Length > 0);

        return count;
    }

    // What made the gateway hold it: the offence as the sender described it, and its character.
    private static string HeldBecause(Google.Protobuf.WellKnownTypes.Any? content)
    {
        var offence = content switch
        {
            { } any when any.TryUnpack<SubmitReferralRequest>(out var referral) => referral.Referral?.Offence,
            { } any when any.TryUnpack<RequestLocationRequest>(out var request) => request.Request?.Charges.FirstOrDefault(c => c.Offence?.Character is not (OffenceCharacter.Ordinary or OffenceCharacter.Unspecified))?.Offence,
            _ => null,
        };
        return offence is null ? "(content not shown)" : $"offence: {offence.Description} ({offence.Character.ToString().ToLowerInvariant()})";
    }

    /// <summary>The filter of dead-letters and replay.</summary>
    private sealed class DeadLetterFilterOptions
    {
        private readonly Option<string> _recipient = new("--recipient") { Description = "Only deliveries to this agency, e.g. CN/FJPSD", HelpName = "AGENCY" };
        private readonly Option<string> _case = new("--case") { Description = "Only deliveries of this case", HelpName = "REF" };
        private readonly Option<string> _messageId = new("--message-id") { Description = "Only deliveries of this message", HelpName = "UUID" };

        public DeadLetterFilterOptions(Command command)
        {
            command.Add(_recipient);
            command.Add(_case);
            command.Add(_messageId);
        }

        public DeadLetterFilter Read(CliContext cli) => new()
        {
            Recipient = cli.Get(_recipient) ?? string.Empty,
            CaseReference = cli.Get(_case) ?? string.Empty,
            MessageId = cli.Get(_messageId) ?? string.Empty,
        };
    }
}
