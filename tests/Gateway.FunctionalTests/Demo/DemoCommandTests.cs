using System.Text.RegularExpressions;

namespace Gateway.FunctionalTests.Demo;

/// <summary>
/// <c>gatewayctl demo</c> as a user runs it: a process of its own that starts a gateway and PartnerSims, plays the three
/// situations of DESIGN.md section 1 and prints their timelines; afterwards, or after Ctrl+C, none of the processes it
/// started is left running and its folder is gone.
/// </summary>
public sealed partial class DemoCommandTests
{
    [Fact]
    public async Task The_demo_plays_the_three_situations_prints_each_messages_timeline_exits_0_and_leaves_nothing_running()
    {
        await using var demo = DemoRun.Start();

        var exitCode = await demo.WaitForExitAsync();

        Assert.True(exitCode == 0, $"The demo exited with {exitCode}:\n{demo.Output}");
        var lines = demo.Lines;
        Assert.Equal(
            [
                "== Situation 1: Kidnapping in Moscow: arrest in Fujian held until Russian police free the victim ==",
                "== Situation 2: Fugitive location request to three countries, a report back and the withdrawal ==",
                "== Situation 3: Evidence translation between the Argentine federal police and the ministry ==",
            ],
            lines.Where(l => l.StartsWith("== Situation", StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.StartsWith("    delivered to CN/FJPSD at ", StringComparison.Ordinal) && l.EndsWith(" as referral, attempt 1 (prepare_only)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("    refused: PermissionDenied", StringComparison.Ordinal) && l.Contains("field header.sender", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("    delivered to CN/FJPSD at ", StringComparison.Ordinal) && l.Contains(" as hold_release", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("    delivered to CN/PLO-TH at ", StringComparison.Ordinal) && l.Contains(" as location_request", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("    delivered to CN/MPS at ", StringComparison.Ordinal) && l.Contains(" as location_report", StringComparison.Ordinal));
        Assert.Equal(3, lines.Count(l => l.StartsWith("    delivered to ", StringComparison.Ordinal) && l.Contains(" as withdrawal", StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.StartsWith("    delivered to AR/PFA at ", StringComparison.Ordinal) && l.Contains(" as referral_answer", StringComparison.Ordinal));

        // Every message sent has a timeline: its heading, then gatewayctl trace's timeline of it.
        var sent = lines.Select(l => SentLine().Match(l)).Where(m => m.Success).Select(m => (What: m.Groups["what"].Value, Id: m.Groups["id"].Value)).ToList();
        Assert.Equal(10, sent.Count);
        foreach (var (what, id) in sent)
        {
            var heading = lines.ToList().FindIndex(l => l.StartsWith($"  {what} {id}: ", StringComparison.Ordinal));
            Assert.True(heading >= 0, $"No timeline for {what} {id}:\n{demo.Output}");
            var entry = lines[heading + 1];
            Assert.Matches(TimelineEntry(), entry);
        }

        Assert.Contains("All 3 situations played as expected", demo.Output, StringComparison.Ordinal);
        Assert.Empty(DemoRun.ProcessesNaming(demo.Folder));
        Assert.False(Directory.Exists(demo.Folder), $"The demo left {demo.Folder} behind.");
    }

    [Fact]
    public async Task Ctrl_C_during_the_demo_stops_the_gateway_and_every_PartnerSim_it_started_and_removes_its_folder()
    {
        await using var demo = DemoRun.Start();
        await demo.WaitForLineAsync(FirstSituation());
        var folder = demo.Folder;
        Assert.NotEmpty(DemoRun.ProcessesNaming(folder));

        await demo.SignalAsync("INT");
        var exitCode = await demo.WaitForExitAsync();

        Assert.True(exitCode == 130, $"The demo exited with {exitCode}:\n{demo.Output}");
        Assert.Contains("Interrupted: stopping everything the demo started.", demo.Lines);
        Assert.Empty(DemoRun.ProcessesNaming(folder));
        Assert.False(Directory.Exists(folder), $"The demo left {folder} behind.");
    }

    [Fact]
    public async Task With_an_OTLP_endpoint_each_message_sent_is_a_caller_span_whose_trace_the_gateway_and_the_endpoints_continue()
    {
        await using var receiver = await OtlpTraceReceiver.StartAsync();
        await using var demo = DemoRun.Start(new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Address,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        });

        var exitCode = await demo.WaitForExitAsync();

        Assert.True(exitCode == 0, $"The demo exited with {exitCode}:\n{demo.Output}");
        var spans = receiver.Spans;
        var sends = spans.Where(s => s.Service == "gatewayctl-demo" && s.Name.StartsWith("send ", StringComparison.Ordinal)).ToList();
        Assert.Equal(10, sends.Count);
        Assert.Equal(10, sends.Select(s => s.TraceId).Distinct().Count());
        foreach (var send in sends)
        {
            // The gRPC client's span under the caller's, and the gateway's server span under that one: one trace.
            var client = Assert.Single(spans, s => s.Service == "gatewayctl-demo" && s.ParentSpanId == send.SpanId);
            var server = Assert.Single(spans, s => s.Service == "liaison-gateway" && s.ParentSpanId == client.SpanId);
            Assert.Equal((send.TraceId, send.TraceId), (client.TraceId, server.TraceId));
        }

        // Every message accepted (all but the refused release) reached an endpoint, whose spans continue its trace.
        var reachedEndpoint = sends.Count(send => spans.Any(s => s.TraceId == send.TraceId && s.Service.StartsWith("partnersim-", StringComparison.Ordinal)));
        Assert.Equal(9, reachedEndpoint);

        var printed = demo.Lines.Select(l => TraceIdLine().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(sends.Select(s => s.TraceId).Order(), printed.Order());
    }

    [GeneratedRegex(@"^      trace id: ([0-9a-f]{32})$")]
    private static partial Regex TraceIdLine();

    [GeneratedRegex(@"^  \S+ sent (?<what>[a-z ]+) (?<id>[0-9a-f-]{36})$")]
    private static partial Regex SentLine();

    // The first line of gatewayctl trace's timeline: the message stored, or one refused at intake.
    [GeneratedRegex(@"^    ([0-9a-f-]{36}  [A-Za-z]+ in case |Message never stored \(refused at intake\)\.$)")]
    private static partial Regex TimelineEntry();

    [GeneratedRegex(@"^== Situation 1: ")]
    private static partial Regex FirstSituation();
}
