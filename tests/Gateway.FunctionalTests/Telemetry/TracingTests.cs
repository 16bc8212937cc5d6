using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Gateway.Core.Agencies;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.FunctionalTests.Intake;
using Gateway.Telemetry;
using Gateway.Tests.Shared;
using Google.Protobuf;
using Grpc.Core;
using Interagency.V1;
using Microsoft.Extensions.Configuration;

namespace Gateway.FunctionalTests.Telemetry;

/// <summary>
/// The gateway's spans, read with the in-memory exporter: a caller's trace continued through intake, and a delivery's
/// trace carried to its endpoint. A gateway delivering to an endpoint on Kestrel in this process, both on 127.0.0.1.
/// </summary>
public sealed class TracingTests : IAsyncLifetime
{
    private const string Fujian = "CN/FJPSD";

    private readonly TelemetryCapture _telemetry = new();
    private TraceparentEndpoint _endpoint = null!;
    private GatewayServer _server = null!;

    public async Task InitializeAsync()
    {
        _endpoint = await TraceparentEndpoint.StartAsync();
        _server = new GatewayServer
        {
            ExtraArguments = ["--Gateway:Delivery:Enabled=true", EndpointArgument(_endpoint.Address)],
            Configure = _telemetry.AttachTo,
        };
        await _server.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _endpoint.DisposeAsync();
    }

    [Fact]
    public async Task A_referral_of_a_traced_caller_is_traced_in_the_callers_trace_through_its_commit()
    {
        // The caller's span, sampled; its gRPC client span sends the traceparent (this process's client is traced by the
        // same listeners as the gateway, as a caller instrumented with OpenTelemetry would be).
        using var caller = new Activity("caller").SetIdFormat(ActivityIdFormat.W3C);
        caller.ActivityTraceFlags = ActivityTraceFlags.Recorded;
        caller.Start();
        await new ReferralService.ReferralServiceClient(_server.Channel).SubmitReferralAsync(Samples.Referral(), GatewayServer.As("CN/PLO-RU"));
        caller.Stop();

        var spans = await _telemetry.TraceAsync(
            caller.TraceId,
            s => s.Any(x => x.Kind == ActivityKind.Server) && s.Any(x => x.OperationName == GatewayTracing.IntakeCommit),
            "the call's server span and its commit span");
        // The delivery joins this trace too (its client span and the endpoint's server span): the call's are found by parent.
        var client = Assert.Single(spans, s => s.Kind == ActivityKind.Client && s.ParentSpanId == caller.SpanId);
        var server = Assert.Single(spans, s => s.Kind == ActivityKind.Server && s.ParentSpanId == client.SpanId);
        var decide = Assert.Single(spans, s => s.OperationName == GatewayTracing.IntakeDecide);
        var commit = Assert.Single(spans, s => s.OperationName == GatewayTracing.IntakeCommit);
        Assert.Equal(server.SpanId, decide.ParentSpanId);
        Assert.Equal(server.SpanId, commit.ParentSpanId);
        Assert.Equal(GatewayTracing.SourceName, commit.Source.Name);
        Assert.True(decide.StartTimeUtc <= commit.StartTimeUtc, "the decision comes before the commit");
    }

    [Fact]
    public async Task A_traceparent_header_of_an_untraced_caller_makes_the_server_span_a_child_of_the_callers_span()
    {
        var traceId = ActivityTraceId.CreateRandom();
        var callerSpan = ActivitySpanId.CreateRandom();
        var body = Samples.Referral().ToByteArray();
        var frame = new byte[5 + body.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(1), body.Length);
        body.CopyTo(frame, 5);
        using var raw = new RawGrpcCall();

        var (status, _) = await raw.SendAsync(
            _server.Address,
            "/interagency.v1.ReferralService/SubmitReferral",
            frame,
            ("x-liaison-agency", "CN/PLO-RU"),
            ("traceparent", $"00-{traceId.ToHexString()}-{callerSpan.ToHexString()}-01"));

        Assert.Equal((int)StatusCode.OK, status);
        var spans = await _telemetry.TraceAsync(
            traceId,
            s => s.Any(x => x.Kind == ActivityKind.Server) && s.Any(x => x.OperationName == GatewayTracing.IntakeCommit),
            "the call's server span and its commit span");
        var server = Assert.Single(spans, s => s.Kind == ActivityKind.Server && s.ParentSpanId == callerSpan);
        Assert.Equal(server.SpanId, Assert.Single(spans, s => s.OperationName == GatewayTracing.IntakeCommit).ParentSpanId);
    }

    [Fact]
    public async Task A_delivery_is_sent_in_a_client_span_whose_traceparent_the_endpoint_receives()
    {
        var referral = Samples.Referral();
        referral.Referral.Coordination = null;
        await new ReferralService.ReferralServiceClient(_server.Channel).SubmitReferralAsync(referral, GatewayServer.As("CN/PLO-RU"));

        var traceparent = await Eventually.WaitForAsync(
            () => _endpoint.Traceparents.GetValueOrDefault(referral.Header.MessageId), t => t is not null, "the delivery at the endpoint");

        // version-traceid-parentid-flags: the endpoint's parent is the gateway's client span of that call.
        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$", traceparent);
        var parts = traceparent!.Split('-');
        var traceId = ActivityTraceId.CreateFromString(parts[1]);
        var spans = await _telemetry.TraceAsync(
            traceId,
            s => s.Any(x => x.Kind == ActivityKind.Client) && s.Any(x => x.OperationName == GatewayTracing.DeliveryAttempt),
            "the delivery attempt and its client span");
        var client = Assert.Single(spans, s => s.Kind == ActivityKind.Client && s.SpanId.ToHexString() == parts[2]);
        var attempt = Assert.Single(spans, s => s.OperationName == GatewayTracing.DeliveryAttempt);
        Assert.Equal(attempt.SpanId, client.ParentSpanId);
    }

    /// <summary>Points Fujian's directory entry (found by id in the sample configuration) at <paramref name="address"/>.</summary>
    internal static string EndpointArgument(string address)
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json")).Build();
        var index = configuration.GetSection(DirectoryOptions.Section).Get<DirectoryOptions>()!.Agencies.FindIndex(a => a.Id == Fujian);
        return string.Create(CultureInfo.InvariantCulture, $"--{DirectoryOptions.Section}:Agencies:{index}:Endpoint={address}");
    }

    /// <summary>An agency endpoint that applies every delivery and keeps the <c>traceparent</c> each message came with.</summary>
    private sealed class TraceparentEndpoint : AgencyEndpointService.AgencyEndpointServiceBase, IAsyncDisposable
    {
        private readonly ConcurrentDictionary<string, string> _traceparents = new();
        private LoopbackGrpcServer _host = null!;

        public string Address => _host.Address;

        /// <summary>By message id: the header as received, empty when there was none.</summary>
        public IReadOnlyDictionary<string, string> Traceparents => _traceparents;

        public static async Task<TraceparentEndpoint> StartAsync()
        {
            var endpoint = new TraceparentEndpoint();
            endpoint._host = await LoopbackGrpcServer.StartAsync(endpoint);
            return endpoint;
        }

        public override Task<DeliverBatchResponse> DeliverBatch(DeliverBatchRequest request, ServerCallContext context)
        {
            var traceparent = context.RequestHeaders.GetValue("traceparent") ?? string.Empty;
            var response = new DeliverBatchResponse();
            foreach (var delivery in request.Deliveries)
            {
                _traceparents[delivery.Header.MessageId] = traceparent;
                response.Results.Add(new DeliverResult { DeliveryId = delivery.DeliveryId, Outcome = DeliveryOutcome.Applied });
            }

            return Task.FromResult(response);
        }

        public ValueTask DisposeAsync() => _host.DisposeAsync();
    }
}
