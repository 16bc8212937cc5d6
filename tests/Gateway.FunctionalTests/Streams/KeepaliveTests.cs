using Gateway.FunctionalTests.Infrastructure;

namespace Gateway.FunctionalTests.Streams;

/// <summary>A quiet subscription is an open stream, not an idle connection: the idle timeout does not cut it.</summary>
public sealed class KeepaliveTests : IAsyncLifetime
{
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(2);

    private readonly GatewayServer _server = new()
    {
        ExtraArguments =
        [
            $"--Gateway:Streams:IdleTimeout={IdleTimeout}",
            "--Gateway:Streams:KeepAlivePingDelay=00:00:01",
            "--Gateway:Streams:KeepAlivePingTimeout=00:00:02",
        ],
    };

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task A_quiet_subscription_outlives_the_idle_timeout()
    {
        const string Case = "AR-PFA-2026-0501";
        var feed = new FeedWriter(_server);
        using var subscriber = new Subscriber(_server.Channel, "CN/FJPSD", 0, Case);
        var first = await feed.PublishAsync(Case, ["CN/FJPSD"]);
        Assert.Equal(first, (await subscriber.NextAsync()).Header.MessageId);

        // Real time is the behaviour under test: quiet for more than twice the idle timeout, with pings due meanwhile.
        await Task.Delay(IdleTimeout * 2.5);

        var later = await feed.PublishAsync(Case, ["CN/FJPSD"]);
        Assert.Equal(later, (await subscriber.NextAsync()).Header.MessageId);
    }
}
