using System.Diagnostics.Metrics;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.Hosting;
using Gateway.Storage.Sqlite;
using Gateway.Tests.Shared;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;
using Interagency.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Gateway.FunctionalTests.Hosting;

public class HostingTests(GatewayServer server) : IClassFixture<GatewayServer>
{
    [Fact]
    public async Task Health_reports_serving_without_an_agency_header()
    {
        var response = await new Grpc.Health.V1.Health.HealthClient(server.Channel).CheckAsync(new HealthCheckRequest());

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
    }

    [Fact]
    public async Task Liveness_reports_serving_without_running_the_store_check()
    {
        var response = await new Grpc.Health.V1.Health.HealthClient(server.Channel)
            .CheckAsync(new HealthCheckRequest { Service = GatewayServiceCollectionExtensions.LivenessService });

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
    }

    [Fact]
    public async Task Reflection_lists_the_interagency_services()
    {
        using var call = new ServerReflection.ServerReflectionClient(server.Channel).ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = string.Empty });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(default));

        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();
        Assert.Contains("interagency.v1.ReferralService", services);
        Assert.Contains("interagency.v1.FugitiveService", services);
        Assert.Contains("grpc.health.v1.Health", services);
    }

    [Fact]
    public async Task The_store_reports_its_write_stages_through_the_hosts_meters()
    {
        // Through the host's meter factory, which is what an OpenTelemetry meter provider or dotnet-counters listens to.
        var meters = server.Services.GetRequiredService<IMeterFactory>();
        using var committedWrites = new MetricCollector<int>(meters, StoreMetrics.MeterName, "liaison.store.commit.writes");
        using var flushed = new MetricCollector<double>(meters, StoreMetrics.MeterName, "liaison.store.flush.duration");
        var request = Samples.Referral();

        await new ReferralService.ReferralServiceClient(server.Channel).SubmitReferralAsync(request, GatewayServer.As(request.Header.Sender));

        Assert.NotEmpty(committedWrites.GetMeasurementSnapshot());
        Assert.NotEmpty(flushed.GetMeasurementSnapshot());
    }

    [Theory]
    [InlineData("http://loopback:5080")]
    [InlineData("http://0.0.0.0:5080")]
    [InlineData("http://*:5080")]
    [InlineData("http://192.0.2.10:5080")]
    public void Development_identity_refuses_to_listen_beyond_loopback(string url)
    {
        var error = Assert.Throws<GatewayConfigurationException>(() => GatewayHost.CreateBuilder(["--urls", url]));

        Assert.Contains("loopback", error.Message);
    }
}
