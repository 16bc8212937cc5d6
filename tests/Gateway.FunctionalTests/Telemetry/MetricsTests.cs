using System.Diagnostics.Metrics;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.Hosting;
using Gateway.Storage.Sqlite;
using Gateway.Telemetry;
using Gateway.Tests.Shared;
using Grpc.Core;
using Interagency.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Gateway.FunctionalTests.Telemetry;

/// <summary>
/// The gateway's counters over real calls, read from its own meter factory (so no other server of this process counts in),
/// and the meters the metrics provider exports.
/// </summary>
public sealed class MetricsTests : IAsyncLifetime
{
    private readonly TelemetryCapture _telemetry = new();
    private readonly GatewayServer _server;

    public MetricsTests() => _server = new GatewayServer { Configure = _telemetry.AttachTo };

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task An_accepted_referral_and_a_refused_one_each_move_their_counter_once()
    {
        var meters = _server.Services.GetRequiredService<IMeterFactory>();
        using var received = new MetricCollector<long>(meters, GatewayMetrics.MeterName, GatewayMetrics.Received);
        using var accepted = new MetricCollector<long>(meters, GatewayMetrics.MeterName, GatewayMetrics.Accepted);
        using var refused = new MetricCollector<long>(meters, GatewayMetrics.MeterName, GatewayMetrics.Refused);
        using var intake = new MetricCollector<double>(meters, GatewayMetrics.MeterName, GatewayMetrics.IntakeDuration);
        var client = new ReferralService.ReferralServiceClient(_server.Channel);
        var referral = Samples.Referral();
        await client.SubmitReferralAsync(referral, GatewayServer.As("CN/PLO-RU"));

        // The same id with other content: refused by intake's decision, counted by the refusal boundary once audited.
        var reused = referral.Clone();
        reused.Referral.Summary = "Other content under the same id.";
        await Assert.ThrowsAsync<RpcException>(() => client.SubmitReferralAsync(reused, GatewayServer.As("CN/PLO-RU")).ResponseAsync);

        var refusal = Assert.Single(await Eventually.WaitForAsync(() => refused.GetMeasurementSnapshot(), m => m.Count > 0, "the refusal counted"));
        Assert.Equal(1, refusal.Value);
        Assert.Equal("message_id_reused", refusal.Tags[GatewayMetrics.ReasonTag]);
        var acceptance = Assert.Single(accepted.GetMeasurementSnapshot());
        Assert.Equal(1, acceptance.Value);
        Assert.Equal("referral", acceptance.Tags[GatewayMetrics.KindTag]);
        Assert.Equal(2, received.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Single(intake.GetMeasurementSnapshot());
    }

    [Fact]
    public async Task The_gateways_meter_and_the_stores_are_exported_with_the_open_streams_gauge()
    {
        await new ReferralService.ReferralServiceClient(_server.Channel).SubmitReferralAsync(Samples.Referral(), GatewayServer.As("CN/PLO-RU"));

        Assert.True(_server.Services.GetRequiredService<MeterProvider>().ForceFlush());
        var names = _telemetry.Metrics.Select(m => (m.MeterName, m.Name)).ToHashSet();
        Assert.Contains((GatewayMetrics.MeterName, GatewayMetrics.Accepted), names);
        Assert.Contains((GatewayMetrics.MeterName, GatewayMetrics.IntakeDuration), names);
        Assert.Contains((GatewayMetrics.MeterName, GatewayMetrics.OpenStreams), names);
        Assert.Contains((StoreMetrics.MeterName, StoreMetrics.CommitDuration), names);
    }
}

/// <summary>Whether the OTLP exporter is registered follows <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, and nothing else.</summary>
public sealed class ExportSetupTests
{
    [Fact]
    public async Task Without_an_otlp_endpoint_no_exporter_is_registered_and_no_provider_listens()
    {
        var builder = GatewayHost.CreateBuilder(["--urls", "http://127.0.0.1:0", $"--{GatewayServiceCollectionExtensions.OtlpEndpointKey}="]);
        Assert.DoesNotContain(builder.Services, IsExporter);
        await using var app = builder.Build();
        Assert.Null(app.Services.GetService<TracerProvider>());
        Assert.Null(app.Services.GetService<MeterProvider>());
    }

    [Fact]
    public void With_an_otlp_endpoint_the_otlp_exporter_is_registered() =>
        Assert.Contains(Registered($"--{GatewayServiceCollectionExtensions.OtlpEndpointKey}=http://127.0.0.1:4317"), IsExporter);

    private static IServiceCollection Registered(string endpointSetting) =>
        GatewayHost.CreateBuilder(["--urls", "http://127.0.0.1:0", endpointSetting]).Services;

    private static bool IsExporter(ServiceDescriptor descriptor) =>
        IsExporterType(descriptor.ServiceType) || IsExporterType(descriptor.ImplementationType)
        || descriptor.ServiceType.GenericTypeArguments.Any(IsExporterType);

    private static bool IsExporterType(Type? type) => type?.Namespace?.StartsWith("OpenTelemetry.Exporter", StringComparison.Ordinal) == true;
}
