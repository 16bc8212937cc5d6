using Gateway.FunctionalTests.Infrastructure;
using Grpc.Core;

namespace Gateway.FunctionalTests.Streams;

/// <summary>A stopping gateway ends its subscriptions with UNAVAILABLE and where to resume, and does not wait on them.</summary>
public sealed class ShutdownTests : IAsyncLifetime
{
    private readonly GatewayServer _server = new();

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task Shutdown_ends_an_open_subscription_with_unavailable_and_the_last_sequence_sent()
    {
        const string Case = "AR-PFA-2026-0401";
        var feed = new FeedWriter(_server);
        await feed.PublishManyAsync(2, Case, ["CN/FJPSD"]);
        using var subscriber = new Subscriber(_server.Channel, "CN/FJPSD", 0, Case);
        var received = await subscriber.NextAsync(2);

        var stopping = _server.StopAsync();
        var (updates, end) = await subscriber.DrainAsync();

        Assert.Empty(updates);
        Assert.Equal(StatusCode.Unavailable, end.StatusCode);
        Assert.Equal(received[^1].Sequence, Subscriber.ResumeAfter(end, "GATEWAY_SHUTTING_DOWN"));

        // Far below the host's 30 s shutdown timeout: nothing waits for the subscription to give up by itself.
        await stopping.WaitAsync(TimeSpan.FromSeconds(15));
    }
}
