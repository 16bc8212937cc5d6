namespace Gateway.Storage.Sqlite.Internal;

/// <summary>
/// The last audit sequence known to be on disk, and a wait for it to move: a commit advances it when the store does not
/// flush its log itself (synchronous=NORMAL), else the flush that covers the commit does. Readers that hand entries to
/// the outside (a flow of events) stop there, as the update feed stops at the durable delivery id.
/// </summary>
internal sealed class AuditHorizon(long sequence)
{
    private readonly Lock _lock = new();
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _sequence = sequence;

    public long Sequence => Interlocked.Read(ref _sequence);

    public void Advance(long sequence)
    {
        TaskCompletionSource fired;
        lock (_lock)
        {
            if (sequence <= _sequence)
            {
                return;
            }

            Interlocked.Exchange(ref _sequence, sequence);
            fired = _next;
            _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        fired.TrySetResult();
    }

    /// <summary>Completes once the horizon is past <paramref name="seen"/>.</summary>
    public Task WaitAfterAsync(long seen, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return _sequence > seen ? Task.CompletedTask : _next.Task.WaitAsync(cancellationToken);
        }
    }
}
