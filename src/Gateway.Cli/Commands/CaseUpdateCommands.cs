using System.CommandLine;
using System.Text.Json;
using Gateway.Cli.Output;
using Google.Protobuf;
using Grpc.Core;
using Interagency.V1;

namespace Gateway.Cli.Commands;

/// <summary>The case-update streams (DESIGN.md section 1, scenario 3): publish updates of a case, and follow them.</summary>
internal static class CaseUpdateCommands
{
    private static readonly Dictionary<string, CaseStatus> Statuses = new(StringComparer.Ordinal)
    {
        ["open"] = CaseStatus.Open,
        ["suspects-identified"] = CaseStatus.SuspectsIdentified,
        ["operation-in-progress"] = CaseStatus.OperationInProgress,
        ["closed"] = CaseStatus.Closed,
    };

    public static IEnumerable<Command> Create(GlobalOptions global) => [Publish(global), Subscribe(global)];

    private static Command Publish(GlobalOptions global)
    {
        var command = new Command(
            "publish",
            "Publish case updates on the PublishUpdates stream [default --as AR/PFA]: a status change from --status, and/or every update of --file; "
            + "each is acknowledged once durable. Exit code 1 if any was refused");
        var status = new Option<string>("--status") { Description = "Publish a status change of --case to this status", HelpName = "STATUS" };
        status.AcceptOnlyFromAmong([.. Statuses.Keys]);
        var caseReference = new Option<string>("--case") { Description = "The case of the --status update", HelpName = "REF" };
        var remarks = new Option<string>("--remarks") { Description = "Remarks of the --status update", HelpName = "TEXT" };
        var file = new Option<FileInfo>("--file")
        {
            Description = "A JSON file of updates in the proto's JSON form: one interagency.v1.PublishUpdatesRequest object, or an array of them, published in order",
            HelpName = "FILE.json",
        };
        file.AcceptExistingOnly();
        command.Add(status);
        command.Add(caseReference);
        command.Add(remarks);
        command.Add(file);
        var envelope = EnvelopeOptions.AddTo(command, "AR/PFA");
        command.Validators.Add(result =>
        {
            if (result.GetValue(status) is null && result.GetValue(file) is null)
            {
                result.AddError("publish needs --status (with --case) or --file, or both");
            }
            else if (result.GetValue(status) is not null && result.GetValue(caseReference) is null)
            {
                result.AddError("--status needs --case, the case whose status changes");
            }
        });
        CliContext.Bind(command, global, async cli =>
        {
            var updates = new List<PublishUpdatesRequest>();
            if (cli.Get(file) is { } path)
            {
                updates.AddRange(ReadUpdates(path));
            }

            var e = envelope.Read(cli);
            if (cli.Get(status) is { } newStatus)
            {
                updates.Add(SampleRequests.StatusChange(e, cli.Get(caseReference)!, Statuses[newStatus], cli.Get(remarks) ?? string.Empty));
            }

            return await PublishAsync(cli, e.Caller, updates);
        });
        return command;
    }

    private static async Task<int> PublishAsync(CliContext cli, string caller, IReadOnlyList<PublishUpdatesRequest> updates)
    {
        using var call = new CaseUpdateService.CaseUpdateServiceClient(cli.Channel).PublishUpdates(cli.AsAgency(caller, streaming: true));
        foreach (var update in updates)
        {
            await call.RequestStream.WriteAsync(update, cli.Cancellation);
        }

        await call.RequestStream.CompleteAsync();
        var refused = 0;
        await foreach (var answer in call.ResponseStream.ReadAllAsync(cli.Cancellation))
        {
            refused += answer.Outcome == UpdateOutcome.Refused ? 1 : 0;
            if (cli.Json)
            {
                cli.WriteJson(answer);
                continue;
            }

            await cli.Out.WriteLineAsync(answer.Receipt is { } receipt
                ? $"{answer.MessageId}: {Text.EnumName(answer.Outcome)}, audit sequence {receipt.AuditSequence}, to {Text.List(receipt.ResolvedRecipients)}"
                : $"{answer.MessageId}: {Text.EnumName(answer.Outcome)}");
            if (answer.Refusal is { } refusal)
            {
                await cli.Out.WriteLineAsync($"  {(Google.Rpc.Code)refusal.Code}: {refusal.Message}");
                ErrorPrinter.PrintDetails(refusal, cli.Out);
            }
        }

        return refused == 0 ? GatewayCtl.Done : GatewayCtl.Refused;
    }

    private static IEnumerable<PublishUpdatesRequest> ReadUpdates(FileInfo path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(path.FullName));
        }
        catch (JsonException error)
        {
            throw new UsageException($"--file {path.Name} is not JSON: {error.Message}");
        }

        using (document)
        {
            var elements = document.RootElement.ValueKind == JsonValueKind.Array ? document.RootElement.EnumerateArray().ToArray() : [document.RootElement];
            return elements.Select((element, index) => Parse(element.GetRawText(), path.Name, index)).ToArray();
        }
    }

    private static PublishUpdatesRequest Parse(string json, string file, int index)
    {
        try
        {
            return ProtoJson.Parser.Parse<PublishUpdatesRequest>(json);
        }
        catch (InvalidProtocolBufferException error)
        {
            throw new UsageException($"--file {file}, update {index + 1}: not an interagency.v1.PublishUpdatesRequest: {error.Message}");
        }
    }

    private static Command Subscribe(GlobalOptions global)
    {
        var command = new Command(
            "subscribe",
            "Follow the updates of cases you are a party of on the Subscribe stream, until Ctrl+C [default --as CN/MPS]; "
            + "each line gives the sequence to resume after with --after");
        var cases = new Option<string[]>("--case")
        {
            Description = "Only updates of these cases (space- or comma-separated, or the option repeated) [default: every case you are a party of]",
            HelpName = "REF",
            AllowMultipleArgumentsPerToken = true,
        };
        var after = new Option<ulong>("--after") { Description = "Resume after this sequence number, the last one received [default: 0, from the first update]", HelpName = "SEQUENCE" };
        command.Add(cases);
        command.Add(after);
        CliContext.Bind(command, global, async cli =>
        {
            var request = new SubscribeRequest
            {
                CaseReferences = { (cli.Get(cases) ?? []).SelectMany(c => c.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)) },
                AfterSequence = cli.Get(after),
            };
            using var call = new CaseUpdateService.CaseUpdateServiceClient(cli.Channel).Subscribe(request, cli.AsAgency(cli.Caller("CN/MPS"), streaming: true));
            return await Streams.ReadUntilCancelledAsync(cli, call.ResponseStream, update =>
            {
                if (cli.Json)
                {
                    cli.WriteJson(update);
                    return;
                }

                cli.Out.WriteLine(
                    $"#{update.Sequence} {Text.Time(update.Header?.CreatedAt)} {update.Header?.CaseReference} {update.Update?.KindCase} from {update.Header?.Sender} ({update.Header?.MessageId})");
            });
        });
        return command;
    }
}
