using System.CommandLine;
using Gateway.Cli.Output;
using Gateway.Contracts.Validation;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Interagency.V1;
using ProtoValidate;

namespace Gateway.Cli.Commands;

/// <summary>
/// <c>send FILE.json</c>: any agency request, written in the proto's JSON form, checked against the contract's rules here
/// first (the gateway's own SchemaValidator), then sent by the call its type belongs to.
/// </summary>
internal static class SendCommand
{
    /// <summary>The requests an agency sends, by full name, with the call that sends each.</summary>
    private static readonly Dictionary<string, Func<CliContext, IMessage, CallOptions, Task<IMessage>>> Calls = new(StringComparer.Ordinal)
    {
        [SubmitReferralRequest.Descriptor.FullName] = async (cli, m, o) => await new ReferralService.ReferralServiceClient(cli.Channel).SubmitReferralAsync((SubmitReferralRequest)m, o),
        [ReleaseHoldRequest.Descriptor.FullName] = async (cli, m, o) => await new ReferralService.ReferralServiceClient(cli.Channel).ReleaseHoldAsync((ReleaseHoldRequest)m, o),
        [CancelHoldRequest.Descriptor.FullName] = async (cli, m, o) => await new ReferralService.ReferralServiceClient(cli.Channel).CancelHoldAsync((CancelHoldRequest)m, o),
        [AnswerReferralRequest.Descriptor.FullName] = async (cli, m, o) => await new ReferralService.ReferralServiceClient(cli.Channel).AnswerReferralAsync((AnswerReferralRequest)m, o),
        [RequestLocationRequest.Descriptor.FullName] = async (cli, m, o) => await new FugitiveService.FugitiveServiceClient(cli.Channel).RequestLocationAsync((RequestLocationRequest)m, o),
        [ReportLocationRequest.Descriptor.FullName] = async (cli, m, o) => await new FugitiveService.FugitiveServiceClient(cli.Channel).ReportLocationAsync((ReportLocationRequest)m, o),
        [WithdrawRequestRequest.Descriptor.FullName] = async (cli, m, o) => await new FugitiveService.FugitiveServiceClient(cli.Channel).WithdrawRequestAsync((WithdrawRequestRequest)m, o),
        [AnswerClarificationRequest.Descriptor.FullName] = async (cli, m, o) => await new ClarificationService.ClarificationServiceClient(cli.Channel).AnswerClarificationAsync((AnswerClarificationRequest)m, o),
        [PublishUpdatesRequest.Descriptor.FullName] = async (cli, m, o) => await PublishOneAsync(cli, (PublishUpdatesRequest)m, o),
    };

    public static Command Create(GlobalOptions global)
    {
        var command = new Command(
            "send",
            "Send any agency request from a JSON file in the proto's JSON form, checked against the contract first; "
            + "the file names its type with \"@type\" (as google.protobuf.Any does) unless --type does. "
            + "Sent as the header's sender unless --as says otherwise");
        var file = new Argument<FileInfo>("FILE.json") { Description = "The request, e.g. {\"@type\": \"type.googleapis.com/interagency.v1.SubmitReferralRequest\", \"header\": {...}, \"referral\": {...}}" };
        file.AcceptExistingOnly();
        var type = new Option<string>("--type")
        {
            Description = "The request's type when the file has no \"@type\", e.g. SubmitReferralRequest or interagency.v1.SubmitReferralRequest",
            HelpName = "TYPE",
        };
        type.CompletionSources.Add([.. Calls.Keys.Select(k => k[(k.LastIndexOf('.') + 1)..])]);
        var check = new Option<bool>("--check") { Description = "Only check the file against the contract; send nothing" };
        command.Add(file);
        command.Add(type);
        command.Add(check);
        CliContext.Bind(command, global, async cli =>
        {
            var path = cli.Get(file);
            var request = Read(path, cli.Get(type));
            var violations = new SchemaValidator(new Validator(new ValidatorOptions { DisableLazy = false }), TimeProvider.System).Validate(request);
            if (violations.Count > 0)
            {
                await cli.Error.WriteLineAsync($"gatewayctl: {path.Name} breaks the contract of {request.Descriptor.FullName}; nothing was sent:");
                foreach (var violation in violations)
                {
                    await cli.Error.WriteLineAsync($"  {(violation.Field.Length > 0 ? violation.Field : "(message)")}: {violation.Description} [{violation.RuleId}]");
                }

                return GatewayCtl.BadCommandLine;
            }

            if (cli.Get(check))
            {
                await cli.Out.WriteLineAsync($"{path.Name}: a valid {request.Descriptor.FullName}");
                return GatewayCtl.Done;
            }

            var header = (Header)request.Descriptor.FindFieldByName("header").Accessor.GetValue(request);
            var caller = cli.Caller(header.Sender);
            if (!cli.Json)
            {
                await cli.Out.WriteLineAsync($"Sending {request.Descriptor.Name} {header.MessageId} ({header.CaseReference}) as {caller}");
            }

            var response = await Calls[request.Descriptor.FullName](cli, request, cli.AsAgency(caller));
            if (cli.Json)
            {
                cli.WriteJson(response);
            }
            else if (response.Descriptor.FindFieldByName("receipt")?.Accessor.GetValue(response) is Receipt receipt)
            {
                Text.PrintReceipt(receipt, cli.Out);
            }

            return response is PublishUpdatesResponse { Outcome: UpdateOutcome.Refused } ? GatewayCtl.Refused : GatewayCtl.Done;
        });
        return command;
    }

    /// <summary>Reads the file as the request its "@type" or <paramref name="typeName"/> names; anything else is a usage error.</summary>
    private static IMessage Read(FileInfo path, string? typeName)
    {
        var json = File.ReadAllText(path.FullName);
        try
        {
            if (typeName is null)
            {
                var any = ProtoJson.Parser.Parse<Any>(json);
                var descriptor = ProtoJson.Registry.Find(Any.GetTypeName(any.TypeUrl));
                return descriptor is not null && Calls.ContainsKey(descriptor.FullName)
                    ? descriptor.Parser.ParseFrom(any.Value)
                    : throw new UsageException($"{path.Name}: \"@type\" names no request gatewayctl sends; it sends {Names()}");
            }

            var named = Calls.Keys.FirstOrDefault(k => k == typeName || k.EndsWith("." + typeName, StringComparison.Ordinal))
                ?? throw new UsageException($"--type {typeName} is no request gatewayctl sends; it sends {Names()}");
            return ProtoJson.Parser.Parse(json, ProtoJson.Registry.Find(named)!);
        }
        catch (InvalidProtocolBufferException error)
        {
            throw new UsageException($"{path.Name} is not a request in the proto's JSON form: {error.Message}");
        }
        catch (InvalidJsonException error)
        {
            throw new UsageException($"{path.Name} is not JSON: {error.Message}");
        }
    }

    private static string Names() => string.Join(", ", Calls.Keys.Select(k => k[(k.LastIndexOf('.') + 1)..]));

    // One update on the stream, and its one answer.
    private static async Task<IMessage> PublishOneAsync(CliContext cli, PublishUpdatesRequest update, CallOptions options)
    {
        using var call = new CaseUpdateService.CaseUpdateServiceClient(cli.Channel).PublishUpdates(options);
        await call.RequestStream.WriteAsync(update, cli.Cancellation);
        await call.RequestStream.CompleteAsync();
        var answer = await call.ResponseStream.ReadAllAsync(cli.Cancellation).FirstAsync(cli.Cancellation);
        if (!cli.Json && answer.Refusal is { } refusal)
        {
            await cli.Error.WriteLineAsync($"refused: {(Google.Rpc.Code)refusal.Code}: {refusal.Message}");
            ErrorPrinter.PrintDetails(refusal, cli.Error);
        }

        return answer;
    }
}
