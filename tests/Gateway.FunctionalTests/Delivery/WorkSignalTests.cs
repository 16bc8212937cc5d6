using Gateway.Delivery;

namespace Gateway.FunctionalTests.Delivery;

public sealed class WorkSignalTests
{
    [Fact]
    public async Task A_signal_given_while_nobody_waits_is_kept_for_the_next_wait()
    {
        var signal = new WorkSignal();
        signal.Notify();
        signal.Notify();

        await signal.WaitAsync(TimeSpan.FromMinutes(5), TimeProvider.System, CancellationToken.None);
        var second = signal.WaitAsync(TimeSpan.FromMinutes(5), TimeProvider.System, CancellationToken.None);
        Assert.False(second.IsCompleted);
        signal.Notify();
        await second;
    }
}
