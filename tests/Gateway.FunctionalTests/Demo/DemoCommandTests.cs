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
        DemoExpectations.AssertPlayedAsExpected(demo);
        DemoExpectations.AssertLeftNothingBehind(demo.Folder);
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
        DemoExpectations.AssertLeftNothingBehind(folder);
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

    [GeneratedRegex(@"^== Situation 1: ")]
    private static partial Regex FirstSituation();
}
