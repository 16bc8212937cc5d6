using System.Diagnostics;
using Gateway.FunctionalTests.Infrastructure;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.FunctionalTests.Streams;

/// <summary>A subscriber that stops reading is ended with a status that says where to resume; publishers never wait for it.</summary>
public sealed class SlowSubscriberTests : IAsyncLifetime
{
    private const int TooSlowEvent = 5002;

    // The stalled write must outlast 20 durable commits made meanwhile. 5 s was once too short when the whole suite ran
    // on a loaded machine (the suite took half as long again as usual); this only sets how long the test waits.
    private static readonly TimeSpan WriteTimeout = TimeSpan.FromSeconds(15);

    private readonly LogWatcher _log = new();
    private readonly GatewayServer _server;

    public SlowSubscriberTests() => _server = new GatewayServer
    {
        ExtraArguments = [$"--Gateway:Streams:WriteTimeout={WriteTimeout}", "--Gateway:Streams:PageSize=16"],
        Configure = builder => builder.Services.AddSingleton<ILoggerProvider>(_log),
    };

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task A_subscriber_that_stops_reading_is_ended_with_resume_metadata_while_publishing_goes_on()
    {
        const string Case = "AR-PFA-2026-0301";
        var feed = new FeedWriter(_server);

        // About 800 KB: far more than the client's HTTP/2 stream window and Kestrel's response buffer hold.
        var ids = await feed.PublishManyAsync(200, Case, ["CN/FJPSD"], descriptionLength: 4000);
        using var subscriber = new Subscriber(_server.Channel, "CN/FJPSD", 0, Case);
        var first = await subscriber.NextAsync();

        // The subscriber reads nothing more; the server's writes stall on flow control. Publishing carries on.
        var clock = Stopwatch.StartNew();
        ids.AddRange(await feed.PublishManyAsync(20, Case, ["CN/FJPSD"]));
        var publishing = clock.Elapsed;
        var ended = _log.WaitForAsync(TooSlowEvent, TimeSpan.FromSeconds(60));
        Assert.True(
            publishing < WriteTimeout && !ended.IsCompleted,
            $"20 commits took {publishing} and finished while the stalled write was still waiting");
        await ended;

        var (updates, end) = await subscriber.DrainAsync();
        Assert.Equal(StatusCode.ResourceExhausted, end.StatusCode);
        var resume = Subscriber.ResumeAfter(end, "SUBSCRIBER_TOO_SLOW");
        var received = updates.Prepend(first).ToList();
        Assert.True(received.Count < ids.Count, "the subscriber was ended before it had everything");
        Assert.Equal(resume, received[^1].Sequence);

        using var resumed = new Subscriber(_server.Channel, "CN/FJPSD", resume, Case);
        var rest = await resumed.NextAsync(ids.Count - received.Count);
        Assert.Equal(ids, received.Concat(rest).Select(u => u.Header.MessageId));
    }
}
