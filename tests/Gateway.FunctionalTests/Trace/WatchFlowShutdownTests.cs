using Gateway.FunctionalTests.Infrastructure;
using Gateway.FunctionalTests.Streams;
using Gateway.Tests.Shared;
using Grpc.Core;
using Interagency.V1;

namespace Gateway.FunctionalTests.Trace;

/// <summary>A stopping gateway ends a WatchFlow with UNAVAILABLE and the sequence to resume after, without waiting on it.</summary>
public sealed class WatchFlowShutdownTests : IAsyncLifetime
{
    private readonly GatewayServer _server = new();

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task Shutdown_ends_an_open_watch_with_unavailable_and_the_last_sequence_sent()
    {
        var trace = new TraceService.TraceServiceClient(_server.Channel);
        using var call = trace.WatchFlow(new WatchFlowRequest(), GatewayServer.As("CN/FJPSD"));
        await call.ResponseHeadersAsync;
        var referral = Samples.Referral();
        await new ReferralService.ReferralServiceClient(_server.Channel).SubmitReferralAsync(referral, GatewayServer.As("CN/PLO-RU"));
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var received = call.ResponseStream.Current.Event;

        var stopping = _server.StopAsync();
        var end = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal(referral.Header.MessageId, received.MessageId);
        Assert.Equal(StatusCode.Unavailable, end.StatusCode);
        Assert.Equal(received.Sequence, Subscriber.ResumeAfter(end, "GATEWAY_SHUTTING_DOWN"));
        await stopping.WaitAsync(TimeSpan.FromSeconds(15));
    }
}
