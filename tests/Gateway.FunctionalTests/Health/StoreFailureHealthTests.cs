using Gateway.FunctionalTests.Infrastructure;
using Gateway.Hosting;
using Gateway.Storage.Sqlite;
using Gateway.Storage.Sqlite.Internal;
using Gateway.Tests.Shared;
using Grpc.Core;
using Grpc.Health.V1;
using Interagency.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gateway.FunctionalTests.Health;

/// <summary>
/// A flush of the WAL fails in a running gateway (injected through the store's durability observer, as an fsync
/// returning EIO would): from then on nothing can be stored, and the health service and the callers must be told so.
/// </summary>
public sealed class StoreFailureHealthTests : IAsyncLifetime
{
    private readonly ErrorLogCollector _errors = new();
    private readonly GatewayServer _server;

    // Reply deadlines are scanned every 20 ms, so that a scan against the failed store comes within the test.
    public StoreFailureHealthTests() => _server = new GatewayServer
    {
        ExtraArguments = ["--Gateway:Delivery:OverdueScanInterval=00:00:00.020"],
        Configure = builder => builder.Logging.AddProvider(_errors),
    };

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task After_a_failed_flush_the_gateway_is_not_serving_and_refers_callers_to_later_with_unavailable()
    {
        var health = new Grpc.Health.V1.Health.HealthClient(_server.Channel);
        var referrals = new ReferralService.ReferralServiceClient(_server.Channel);
        var first = Samples.Referral();
        await referrals.SubmitReferralAsync(first, GatewayServer.As(first.Header.Sender));
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest())).Status);

        // The store logs the failed flush once (event 7007); the health service logs each unhealthy check with its reason.
        _server.ExpectErrorLog(nameof(InjectedFlushFailure));
        _server.ExpectErrorLog(nameof(Core.Storage.StoreUnavailableException));
        ((SqliteMessageStore)_server.Store).DurabilityObserver = new FailingFlush();

        // The referral whose flush fails, then one the store refuses at once: neither is known to be kept.
        foreach (var referral in new[] { Samples.Referral(), Samples.Referral() })
        {
            var refused = await Assert.ThrowsAsync<RpcException>(() => referrals.SubmitReferralAsync(referral, GatewayServer.As(referral.Header.Sender)).ResponseAsync);
            Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
        }

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, (await health.CheckAsync(new HealthCheckRequest())).Status);
        Assert.Equal(
            HealthCheckResponse.Types.ServingStatus.Serving,
            (await health.CheckAsync(new HealthCheckRequest { Service = GatewayServiceCollectionExtensions.LivenessService })).Status);
        Assert.Single(_errors.Errors, line => line.Contains("[7007]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failed_store_leaves_the_gateway_running_and_reporting_not_serving()
    {
        var health = new Grpc.Health.V1.Health.HealthClient(_server.Channel);
        var referrals = new ReferralService.ReferralServiceClient(_server.Channel);
        _server.ExpectErrorLog(nameof(InjectedFlushFailure));
        _server.ExpectErrorLog(nameof(Core.Storage.StoreUnavailableException));
        ((SqliteMessageStore)_server.Store).DurabilityObserver = new FailingFlush();
        var referral = Samples.Referral();
        await StatusAssert.RefusedByTransport(() => referrals.SubmitReferralAsync(referral, GatewayServer.As(referral.Header.Sender)).ResponseAsync, StatusCode.Unavailable);

        // A background service that throws stops the host. Fifty scan intervals must pass without that: a stop cannot be
        // awaited for its absence, so the window is bounded.
        var stopping = _server.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        var stopped = await Task.WhenAny(Task.Delay(Timeout.Infinite, stopping), Task.Delay(TimeSpan.FromSeconds(1))) is { IsCanceled: true };
        Assert.False(stopped, "the gateway stopped after its store failed");
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, (await health.CheckAsync(new HealthCheckRequest())).Status);
    }

    private sealed class InjectedFlushFailure() : IOException("Input/output error (injected by the test)");

    private sealed class FailingFlush : IDurabilityObserver
    {
        public void Committed(long commit, long lastAuditSequence, long lastDeliveryId)
        {
        }

        public void FlushStarting(long flush, long coveredCommit) => throw new InjectedFlushFailure();

        public void Flushed(long flush, long durableDeliveryId)
        {
        }
    }
}
