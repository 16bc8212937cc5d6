using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Gateway.PartnerSim.Telemetry;

/// <summary>
/// Traces as the gateway has them: a server span for every call, continuing the gateway's <c>traceparent</c>, and a span
/// of the simulator's own (<see cref="InboxApply"/>) around applying a call's deliveries to the inbox. Exported over OTLP
/// only when <see cref="OtlpEndpointKey"/> is set, as for the gateway; else no tracer provider runs.
/// </summary>
public static class PartnerSimTelemetry
{
    public const string SourceName = "Liaison.PartnerSim";
    public const string InboxApply = "inbox.apply";

    /// <summary>The configuration key (and environment variable) of OpenTelemetry's standard OTLP endpoint setting.</summary>
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public const string AgencyTag = "liaison.agency";
    public const string CountTag = "liaison.delivery.count";

    internal static readonly ActivitySource Source = new(SourceName);

    /// <summary>The service name a simulator is exported under, one per agency: <c>partnersim-ru-mvd</c> for RU/MVD.</summary>
    public static string ServiceName(string agency) => "partnersim-" + agency.Replace('/', '-').ToLowerInvariant();

    public static IServiceCollection AddPartnerSimTelemetry(this IServiceCollection services, IConfiguration configuration, string agency)
    {
        // The standard OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES still win over the name given here.
        services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService(ServiceName(agency)).AddEnvironmentVariableDetector());
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddSource(SourceName).AddAspNetCoreInstrumentation());
        if (!string.IsNullOrWhiteSpace(configuration[OtlpEndpointKey]))
        {
            services.AddOpenTelemetry().WithTracing().UseOtlpExporter();
        }

        return services;
    }
}
