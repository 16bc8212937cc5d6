using Gateway.Core.Audit;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.Tests.Shared;
using Grpc.Core;
using Interagency.V1;

namespace Gateway.FunctionalTests.Streams;

/// <summary>How a publishing stream ends: an abusive one is closed, and a stopping gateway answers what it read first.</summary>
public sealed class PublishLimitsTests : IAsyncLifetime
{
    private readonly GatewayServer _server = new() { ExtraArguments = ["--Gateway:Streams:Publish:MaxConsecutiveRefusals=5"] };

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task A_stream_of_refused_updates_is_closed_with_resource_exhausted_after_the_limit_and_audited()
    {
        using var call = new CaseUpdateService.CaseUpdateServiceClient(_server.Channel).PublishUpdates(GatewayServer.As("AR/PFA"));
        var acks = new List<PublishUpdatesResponse>();
        var reading = Task.Run(async () =>
        {
            await foreach (var ack in call.ResponseStream.ReadAllAsync())
            {
                acks.Add(ack);
            }
        });
        try
        {
            for (var i = 0; i < 10; i++)
            {
                await call.RequestStream.WriteAsync(Samples.StatusUpdate("AR/PFA", "AR-PFA-2026-NONE"));
            }
        }
        catch (Exception error) when (error is RpcException or InvalidOperationException)
        {
            // The gateway may close the stream before the publisher is done writing.
        }

        var end = await Assert.ThrowsAsync<RpcException>(() => reading);

        Assert.Equal(StatusCode.ResourceExhausted, end.StatusCode);
        Assert.Equal(5, acks.Count);
        Assert.All(acks, a => Assert.Equal(UpdateOutcome.Refused, a.Outcome));
        var audit = await _server.Store.ReadAuditAsync(default).ToListAsync();
        Assert.Contains(audit, a => a.Kind == AuditKinds.IntakeRefused && a.Details.Reason == "too_many_refusals");
    }

    [Fact]
    public async Task A_stopping_gateway_acknowledges_the_updates_it_read_then_ends_the_stream_with_unavailable()
    {
        var referral = Samples.CaseOpening("AR/PFA", "CN/MPS", "AR-PFA-2026-0500");
        await new ReferralService.ReferralServiceClient(_server.Channel).SubmitReferralAsync(referral, GatewayServer.As("AR/PFA"));
        using var call = new CaseUpdateService.CaseUpdateServiceClient(_server.Channel).PublishUpdates(GatewayServer.As("AR/PFA"));
        var update = Samples.StatusUpdate("AR/PFA", referral.Header.CaseReference);
        await call.RequestStream.WriteAsync(update);
        Assert.True(await call.ResponseStream.MoveNext());
        Assert.Equal(UpdateOutcome.Accepted, call.ResponseStream.Current.Outcome);

        var stopping = _server.StopAsync();
        var end = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext());

        Assert.Equal(StatusCode.Unavailable, end.StatusCode);
        await stopping.WaitAsync(TimeSpan.FromSeconds(15));
    }
}
