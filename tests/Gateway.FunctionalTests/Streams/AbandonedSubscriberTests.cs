using Gateway.FunctionalTests.Infrastructure;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.FunctionalTests.Streams;

/// <summary>
/// A subscriber that stops reading for good: the gateway ends its call, leaving nothing in flight, and the client
/// resumes on the same connection from the last update it got.
/// </summary>
public sealed class AbandonedSubscriberTests : IAsyncLifetime
{
    private const int TooSlowEvent = 5002;
    private const int AbandonedEvent = 5004;

    private readonly LogWatcher _log = new();
    private readonly GatewayServer _server;

    public AbandonedSubscriberTests() => _server = new GatewayServer
    {
        ExtraArguments = ["--Gateway:Streams:WriteTimeout=00:00:02", "--Gateway:Streams:PageSize=16"],
        Configure = builder => builder.Services.AddSingleton<ILoggerProvider>(_log),
    };

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task A_subscriber_that_reads_nothing_more_has_its_stream_reset_and_resumes_on_the_same_connection()
    {
        const string Case = "AR-PFA-2026-0302";
        var feed = new FeedWriter(_server);

        // About 800 KB: far more than the client's HTTP/2 stream window and Kestrel's response buffer hold.
        var ids = await feed.PublishManyAsync(200, Case, ["CN/FJPSD"], descriptionLength: 4000);
        using var subscriber = new Subscriber(_server.Channel, "CN/FJPSD", 0, Case);
        var first = await subscriber.NextAsync();

        // Reading nothing, the client lets the stalled write pass its timeout and then the grace after it.
        await _log.WaitForAsync(TooSlowEvent, TimeSpan.FromSeconds(60));
        await _log.WaitForAsync(AbandonedEvent, TimeSpan.FromSeconds(60));

        // What reached the client before the reset is still readable; then the call fails without a resume point.
        var (updates, end) = await subscriber.DrainAsync();
        Assert.NotEqual(StatusCode.ResourceExhausted, end.StatusCode);
        var received = updates.Prepend(first).ToList();
        Assert.True(received.Count < ids.Count, "the subscriber was reset before it had everything");

        // The client knows the last sequence it got and resumes from it on the same channel, so on the same connection.
        using var resumed = new Subscriber(_server.Channel, "CN/FJPSD", received[^1].Sequence, Case);
        var rest = await resumed.NextAsync(ids.Count - received.Count);
        Assert.Equal(ids, received.Concat(rest).Select(u => u.Header.MessageId));
    }
}
