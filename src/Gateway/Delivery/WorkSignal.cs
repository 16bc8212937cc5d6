namespace Gateway.Delivery;

/// <summary>
/// Wakes the dispatcher when there may be new work: a message committed, a delivery finished (which may free the
/// next message of its case). Signals while nobody waits are kept, as one.
/// </summary>
public sealed class WorkSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another notifier got there first; one pending signal is enough.
            }
        }
    }

    /// <summary>Waits for a signal or until <paramref name="timeout"/> passes on <paramref name="time"/>'s clock.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        if (_signal.Wait(0, CancellationToken.None))
        {
            return;
        }

        using var timeoutSource = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeoutSource.Token, cancellationToken);
        try
        {
            await _signal.WaitAsync(linked.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
    }
}
