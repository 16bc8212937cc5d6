using Gateway.Streams;
using Microsoft.Extensions.Hosting;

namespace Gateway.FunctionalTests.Streams;

/// <summary>A shutdown first ends the open streams, then holds Kestrel back until they have handed over their last answer.</summary>
public sealed class StreamDrainTests
{
    [Fact]
    public async Task Stopping_ends_the_streams_then_waits_until_the_last_one_closes()
    {
        using var drain = new StreamDrain(new Lifetime());
        var first = drain.Open();
        var second = drain.Open();

        var stopping = drain.StoppingAsync(CancellationToken.None);
        Assert.True(drain.Stopping.IsCancellationRequested);
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
        using var drain = new StreamDrain(new Lifetime());
        drain.Open().Dispose();

        Assert.True(drain.StoppingAsync(CancellationToken.None).IsCompletedSuccessfully);
        Assert.True(drain.Stopping.IsCancellationRequested);
    }

    [Fact]
    public async Task Stopping_gives_up_when_the_host_stops_waiting()
    {
        using var drain = new StreamDrain(new Lifetime());
        using var open = drain.Open();
        using var hostGaveUp = new CancellationTokenSource();

        var stopping = drain.StoppingAsync(hostGaveUp.Token);
        Assert.False(stopping.IsCompleted);
        await hostGaveUp.CancelAsync();

        await stopping.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(1, drain.OpenStreams);
    }

    [Fact]
    public async Task Streams_also_end_on_application_stopping_alone()
    {
        var lifetime = new Lifetime();
        using var drain = new StreamDrain(lifetime);

        await lifetime.Stop();

        Assert.True(drain.Stopping.IsCancellationRequested);
    }

    private sealed class Lifetime : IHostApplicationLifetime, IDisposable
    {
        private readonly CancellationTokenSource _stopping = new();

        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => _stopping.Token;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public Task Stop() => _stopping.CancelAsync();

        public void StopApplication() => _stopping.Cancel();

        public void Dispose() => _stopping.Dispose();
    }
}
