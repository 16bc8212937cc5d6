using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Gateway.Cli.Demo;

/// <summary>
/// The caller's side of the demo's traces: a span per message an agency sends, under which the gRPC client's span
/// carries the W3C traceparent to the gateway, so that one trace shows caller, gateway and endpoint. Exported over OTLP
/// only when the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, as the gateway does; else nothing listens and no
/// span is made.
/// </summary>
internal sealed class DemoTracing : IDisposable
{
    public const string SourceName = "Liaison.Demo";
    public const string ServiceName = "gatewayctl-demo";
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    private static readonly ActivitySource Source = new(SourceName);

    private readonly TracerProvider? _provider;

    private DemoTracing(TracerProvider? provider) => _provider = provider;

    /// <summary>Where spans go, or null when nothing is exported.</summary>
    public static string? Endpoint => Environment.GetEnvironmentVariable(OtlpEndpointVariable) is { Length: > 0 } endpoint ? endpoint : null;

    /// <summary>Starts exporting when <see cref="OtlpEndpointVariable"/> is set; the exporter reads its other OTEL_* settings itself.</summary>
    public static DemoTracing Start() =>
        new(Endpoint is null
            ? null
            : Sdk.CreateTracerProviderBuilder()
                .ConfigureResource(resource => resource.AddService(ServiceName))
                .AddSource(SourceName)
                .AddGrpcClientInstrumentation()
                .AddOtlpExporter()
                .Build());

    /// <summary>The span of one message sent by <paramref name="sender"/>; null when nothing listens.</summary>
    public static Activity? StartMessage(string kind, string messageId, string sender, string caseReference)
    {
        var activity = Source.StartActivity($"send {kind}", ActivityKind.Internal);
        activity?.SetTag("liaison.message.id", messageId);
        activity?.SetTag("liaison.message.kind", kind);
        activity?.SetTag("liaison.sender", sender);
        activity?.SetTag("liaison.case_reference", caseReference);
        return activity;
    }

    /// <summary>Sends what is still buffered: the exporter batches, and the demo is about to exit.</summary>
    public void Dispose()
    {
        _provider?.ForceFlush();
        _provider?.Dispose();
    }
}
