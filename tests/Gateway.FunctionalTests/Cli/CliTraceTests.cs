using Gateway.Core.Audit;
using Gateway.FunctionalTests.Infrastructure;
using Google.Protobuf;
using Interagency.V1;

namespace Gateway.FunctionalTests.Cli;

/// <summary>gatewayctl's trace, search and content commands against the real gateway's TraceService on 127.0.0.1.</summary>
public sealed class CliTraceTests(GatewayServer server) : IClassFixture<GatewayServer>
{
    // The content is an Any of the request the sender submitted.
    private static readonly JsonParser Json = new(JsonParser.Settings.Default.WithTypeRegistry(Google.Protobuf.Reflection.TypeRegistry.FromFiles(FugitiveReflection.Descriptor)));

    [Fact]
    public async Task Trace_prints_a_withdrawn_requests_timeline_and_with_json_the_whole_trace()
    {
        var request = await SendLocationRequestAsync();
        Assert.Equal(0, (await RunAsync("withdraw", "--request", request, "--reason", "returned")).ExitCode);

        var text = await RunAsync("trace", request);
        var json = await RunAsync("trace", request, "--json");

        Assert.Equal(0, text.ExitCode);
        var trace = Json.Parse<GetMessageTraceResponse>(Assert.Single(json.Lines));
        Assert.StartsWith($"{request}  LocationRequest in case {trace.Message.CaseReference}", text.Lines[0]);
        Assert.Equal(
            [AuditKinds.MessageAccepted, AuditKinds.RequestWithdrawn],
            trace.Events.Select(e => e.Kind).Where(k => k is AuditKinds.MessageAccepted or AuditKinds.RequestWithdrawn));
        Assert.All(trace.Events, e => Assert.Contains(text.Lines, l => l.Contains($"#{e.Sequence}", StringComparison.Ordinal) && l.Contains(e.Kind, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Search_by_case_finds_the_cases_messages_newest_first()
    {
        var first = await SendLocationRequestAsync();
        var second = await SendLocationRequestAsync();

        var caseReference = Json.Parse<GetMessageTraceResponse>((await RunAsync("trace", first, "--json")).Output).Message.CaseReference;

        var run = await RunAsync("search", "--case", caseReference, "--json");

        Assert.Equal(0, run.ExitCode);
        var page = Json.Parse<SearchMessagesResponse>(Assert.Single(run.Lines));
        Assert.All(page.Messages, m => Assert.Equal(caseReference, m.Message.CaseReference));
        // The tests of this class run one at a time, so nothing of the case came after these two.
        Assert.Equal([second, first], page.Messages.Take(2).Select(m => m.Message.MessageId));
    }

    [Fact]
    public async Task An_agency_that_neither_sent_nor_received_the_message_is_refused_with_exit_code_1()
    {
        var request = await SendLocationRequestAsync();

        var run = await RunAsync("trace", request, "--as", "AR/PFA");

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("error: PermissionDenied", run.Error);
    }

    [Fact]
    public async Task Content_with_a_reason_prints_the_request_and_the_consultation_is_in_the_trace()
    {
        var request = await SendLocationRequestAsync();

        var content = await RunAsync("content", request, "--reason", "checking the request for the duty log", "--json");
        var trace = Json.Parse<GetMessageTraceResponse>((await RunAsync("trace", request, "--json")).Output);

        Assert.Equal(0, content.ExitCode);
        var shown = Json.Parse<GetMessageContentResponse>(Assert.Single(content.Lines));
        var consulted = Assert.Single(trace.Events, e => e.Kind == AuditKinds.MessageConsulted);
        Assert.Equal((shown.ConsultedSequence, "checking the request for the duty log"), (consulted.Sequence, consulted.Justification));
    }

    private async Task<string> SendLocationRequestAsync()
    {
        var sent = await RunAsync("send-location-request", "--to", "RU,US", "--json");
        Assert.Equal(0, sent.ExitCode);
        return Json.Parse<RequestLocationResponse>(sent.Output).Receipt.MessageId;
    }

    private Task<CliRun> RunAsync(params string[] args) => Gatewayctl.RunAsync([.. args, "--gateway", server.Address]);
}
