using Gateway.Core.Audit;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.Streams;
using Gateway.Tests.Shared;
using Grpc.Core;
using Interagency.V1;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.FunctionalTests.Streams;

/// <summary>A client that cancels its own stream has done nothing wrong: the call ends quietly, with no refusal audited.</summary>
public sealed class CancelledStreamTests(GatewayServer server) : IClassFixture<GatewayServer>
{
    [Fact]
    public async Task A_subscriber_that_cancels_its_subscription_is_not_audited_as_refused()
    {
        const string Case = "AR-PFA-2026-0700";
        await new FeedWriter(server).PublishAsync(Case, ["CN/FJPSD"]);
        var subscriber = new Subscriber(server.Channel, "CN/FJPSD", 0, Case);
        await subscriber.NextAsync();

        // Disposing a call cancels it: the client resets its stream.
        subscriber.Dispose();

        await AssertNoRefusalOnceEndedAsync("CaseUpdateService/Subscribe");
    }

    [Fact]
    public async Task A_publisher_that_cancels_its_stream_is_not_audited_as_refused()
    {
        var referral = Samples.CaseOpening("AR/PFA", "CN/MPS", "AR-PFA-2026-0701");
        await new ReferralService.ReferralServiceClient(server.Channel).SubmitReferralAsync(referral, GatewayServer.As("AR/PFA"));
        var call = new CaseUpdateService.CaseUpdateServiceClient(server.Channel).PublishUpdates(GatewayServer.As("AR/PFA"));
        await call.RequestStream.WriteAsync(Samples.StatusUpdate("AR/PFA", referral.Header.CaseReference));
        Assert.True(await call.ResponseStream.MoveNext());

        call.Dispose();

        await AssertNoRefusalOnceEndedAsync("CaseUpdateService/PublishUpdates");
    }

    private async Task AssertNoRefusalOnceEndedAsync(string rpc)
    {
        // The drain counts a stream open until the whole pipeline has returned, the audit of a refusal included.
        var drain = server.Services.GetRequiredService<StreamDrain>();
        await Eventually.WaitForAsync(() => drain.OpenStreams, open => open == 0, "the gateway to end the cancelled stream");
        var audit = await server.Store.ReadAuditAsync(default).ToListAsync();
        Assert.DoesNotContain(audit, a => a.Kind == AuditKinds.IntakeRefused && a.Details.Rpc == rpc);
    }
}
