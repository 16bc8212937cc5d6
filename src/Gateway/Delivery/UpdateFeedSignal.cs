namespace Gateway.Delivery;

/// <summary>
/// Tells every waiting subscriber that case updates were committed: a broadcast, unlike <see cref="WorkSignal"/>.
/// A subscriber remembers the <see cref="Version"/> it last read at and waits for a later one, so a commit between
/// its read and its wait is never missed.
/// </summary>
public sealed class UpdateFeedSignal
{
    private readonly Lock _lock = new();
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _version;

    public long Version => Interlocked.Read(ref _version);

    public void Notify()
    {
        TaskCompletionSource fired;
        lock (_lock)
        {
            _version++;
            fired = _next;
            _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        fired.TrySetResult();
    }

    /// <summary>Completes once the version is past <paramref name="seen"/>.</summary>
    public Task WaitAfterAsync(long seen, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return _version > seen ? Task.CompletedTask : _next.Task.WaitAsync(cancellationToken);
        }
    }
}
