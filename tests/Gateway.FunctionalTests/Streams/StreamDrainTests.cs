using Gateway.Streams;

namespace Gateway.FunctionalTests.Streams;

/// <summary>A shutdown holds Kestrel back until the streams it ended have handed over their last answer.</summary>
public sealed class StreamDrainTests
{
    [Fact]
    public async Task Stopping_waits_for_the_open_streams_and_ends_when_the_last_one_closes()
    {
        var drain = new StreamDrain();
        var first = drain.Open();
        var second = drain.Open();

        var stopping = drain.StoppingAsync(CancellationToken.None);
        first.Dispose();
        first.Dispose(); // A handle counts once.
        Assert.False(stopping.IsCompleted);
        Assert.Equal(1, drain.OpenStreams);

        second.Dispose();
        await stopping.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(0, drain.OpenStreams);
    }

    [Fact]
    public void Stopping_with_no_open_stream_returns_at_once()
    {
        var drain = new StreamDrain();
        drain.Open().Dispose();

        Assert.True(drain.StoppingAsync(CancellationToken.None).IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Stopping_gives_up_when_the_host_stops_waiting()
    {
        var drain = new StreamDrain();
        using var open = drain.Open();
        using var hostGaveUp = new CancellationTokenSource();

        var stopping = drain.StoppingAsync(hostGaveUp.Token);
        Assert.False(stopping.IsCompleted);
        await hostGaveUp.CancelAsync();

        await stopping.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(1, drain.OpenStreams);
    }
}
