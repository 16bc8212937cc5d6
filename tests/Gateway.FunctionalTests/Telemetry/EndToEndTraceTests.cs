using System.Diagnostics;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.PartnerSim.Telemetry;
using Gateway.Telemetry;
using Gateway.Tests.Shared;
using Interagency.V1;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Gateway.FunctionalTests.Telemetry;

/// <summary>
/// One trace per message from the caller to the endpoint, read with in-memory exporters: the caller's span, the gateway's
/// server span, intake and commit, each delivery attempt (a child of the context stored with the message, so also after
/// a restart), the call to the endpoint, and the spans of PartnerSim receiving it. The gateway and PartnerSim run in this
/// process on 127.0.0.1, each with its own exporter; ASP.NET Core's spans are process-wide, so each capture holds both
/// servers' and a test reads the two together, by trace id.
/// </summary>
public sealed class EndToEndTraceTests
{
    private const string Fujian = "CN/FJPSD";

    private readonly TelemetryCapture _telemetry = new();

    [Fact]
    public async Task The_callers_trace_holds_intake_the_commit_the_delivery_attempt_and_the_endpoints_handling_of_it()
    {
        await using var endpoint = await PartnerSimInProcess.StartAsync(Fujian);
        var gateway = Gateway(endpoint.Address);
        await gateway.InitializeAsync();
        try
        {
            var traceId = await SubmitTracedAsync(gateway);

            var atEndpoint = await endpoint.Telemetry.TraceAsync(
                traceId, s => s.Any(x => x.OperationName == PartnerSimTelemetry.InboxApply), "PartnerSim's inbox span in the caller's trace");
            var atGateway = await _telemetry.TraceAsync(
                traceId, s => s.Any(x => Outcome(x) == "delivered"), "the delivered attempt in the caller's trace");
            var spans = atGateway.Concat(atEndpoint).DistinctBy(s => s.SpanId).ToArray();

            var commit = Assert.Single(spans, s => s.OperationName == GatewayTracing.IntakeCommit);
            var attempt = Assert.Single(spans, s => s.OperationName == GatewayTracing.DeliveryAttempt);
            Assert.Equal(commit.ParentSpanId, attempt.ParentSpanId);
            Assert.Equal(ActivityKind.Server, Assert.Single(spans, s => s.SpanId == attempt.ParentSpanId).Kind);
            AssertEndpointHandled(spans, attempt);
        }
        finally
        {
            await gateway.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_delivery_that_succeeds_after_a_gateway_restart_is_attempted_and_handled_in_the_callers_trace()
    {
        // The endpoint is down until after the restart: the first gateway's attempts fail, a later one of the restarted
        // gateway succeeds, with nothing of the trace kept in memory across the restart.
        var port = PartnerSimInProcess.FreePort();
        var gateway = Gateway($"http://127.0.0.1:{port}");
        await gateway.InitializeAsync();
        try
        {
            var traceId = await SubmitTracedAsync(gateway);
            var failed = (await _telemetry.TraceAsync(
                traceId, s => s.Any(x => Outcome(x) == "retry_later"), "a failed attempt in the caller's trace")).First(x => Outcome(x) == "retry_later");

            await gateway.RestartAsync();
            var restartedAt = DateTime.UtcNow;
            await using var endpoint = await PartnerSimInProcess.StartAsync(Fujian, port);

            var atEndpoint = await endpoint.Telemetry.TraceAsync(
                traceId, s => s.Any(x => x.OperationName == PartnerSimTelemetry.InboxApply), "PartnerSim's inbox span in the caller's trace");
            var atGateway = await _telemetry.TraceAsync(
                traceId, s => s.Any(x => Outcome(x) == "delivered"), "the delivered attempt in the caller's trace");
            var spans = atGateway.Concat(atEndpoint).DistinctBy(s => s.SpanId).ToArray();

            var delivered = Assert.Single(spans, s => Outcome(s) == "delivered");
            Assert.True(delivered.StartTimeUtc >= restartedAt, "the attempt that succeeded is the restarted gateway's");
            Assert.True((int)delivered.GetTagItem(DeliveryAttemptSpans.AttemptTag)! > 1, "it is a retry");
            Assert.Equal(failed.ParentSpanId, delivered.ParentSpanId);
            Assert.Equal(Assert.Single(spans, s => s.OperationName == GatewayTracing.IntakeCommit).ParentSpanId, delivered.ParentSpanId);
            AssertEndpointHandled(spans, delivered);
        }
        finally
        {
            await gateway.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_message_trace_an_operator_reads_names_the_callers_trace_also_after_a_restart()
    {
        var gateway = Gateway($"http://127.0.0.1:{PartnerSimInProcess.FreePort()}");
        await gateway.InitializeAsync();
        try
        {
            var (traceId, messageId) = await SubmitTracedReferralAsync(gateway);
            await gateway.RestartAsync();

            var trace = await new TraceService.TraceServiceClient(gateway.Channel).GetMessageTraceAsync(
                new() { MessageId = messageId }, Operations.OperatorFixtures.AsOperator());

            Assert.Equal(traceId.ToHexString(), trace.Message.TraceId);
        }
        finally
        {
            await gateway.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_gateway_and_each_partnersim_export_under_a_service_name_of_their_own()
    {
        await using var endpoint = await PartnerSimInProcess.StartAsync(Fujian);
        var gateway = Gateway(endpoint.Address);
        await gateway.InitializeAsync();
        try
        {
            Assert.Equal("liaison-gateway", ServiceName(gateway.Services));
            Assert.Equal("partnersim-cn-fjpsd", ServiceName(endpoint.Services));
        }
        finally
        {
            await gateway.DisposeAsync();
        }
    }

    private static string? ServiceName(IServiceProvider services) =>
        services.GetRequiredService<TracerProvider>().GetResource().Attributes.FirstOrDefault(a => a.Key == "service.name").Value as string;

    /// <summary>The attempt's call went out in a client span, which PartnerSim's server span continues, with its inbox span under it.</summary>
    private static void AssertEndpointHandled(Activity[] spans, Activity attempt)
    {
        var call = Assert.Single(spans, s => s.Kind == ActivityKind.Client && s.ParentSpanId == attempt.SpanId);
        var server = Assert.Single(spans, s => s.Kind == ActivityKind.Server && s.ParentSpanId == call.SpanId);
        var apply = Assert.Single(spans, s => s.OperationName == PartnerSimTelemetry.InboxApply);
        Assert.Equal(server.SpanId, apply.ParentSpanId);
        Assert.Equal(PartnerSimTelemetry.SourceName, apply.Source.Name);
        Assert.Equal(Fujian, apply.GetTagItem(PartnerSimTelemetry.AgencyTag));
    }

    /// <summary>A referral (no coordination hold) to Fujian, sent inside a sampled span of the caller's, whose trace id it returns.</summary>
    private static async Task<ActivityTraceId> SubmitTracedAsync(GatewayServer gateway) => (await SubmitTracedReferralAsync(gateway)).TraceId;

    private static async Task<(ActivityTraceId TraceId, string MessageId)> SubmitTracedReferralAsync(GatewayServer gateway)
    {
        var referral = Samples.Referral();
        referral.Referral.Coordination = null;
        using var caller = new Activity("caller").SetIdFormat(ActivityIdFormat.W3C);
        caller.ActivityTraceFlags = ActivityTraceFlags.Recorded;
        caller.Start();
        await new ReferralService.ReferralServiceClient(gateway.Channel).SubmitReferralAsync(referral, GatewayServer.As("CN/PLO-RU"));
        caller.Stop();
        return (caller.TraceId, referral.Header.MessageId);
    }

    private static string? Outcome(Activity span) =>
        span.OperationName == GatewayTracing.DeliveryAttempt ? span.GetTagItem(DeliveryAttemptSpans.OutcomeTag) as string : null;

    private GatewayServer Gateway(string endpoint) => new()
    {
        ExtraArguments =
        [
            "--Gateway:Delivery:Enabled=true",
            TracingTests.EndpointArgument(endpoint),
            "--Gateway:Delivery:Retry:BaseDelay=00:00:00.100",
            "--Gateway:Delivery:Retry:MaxDelay=00:00:00.500",
            "--Gateway:Delivery:Retry:MaxAttempts=1000",
            "--Gateway:Delivery:IdlePoll=00:00:00.250",
        ],
        Configure = _telemetry.AttachTo,
    };
}
