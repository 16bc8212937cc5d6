namespace Gateway.Core.Storage;

/// <summary>
/// A value that only grows, and a wait for it to pass one a reader saw: a broadcast to every waiter. A reader remembers
/// the <see cref="Value"/> it last read at and waits for a later one, so a change between its read and its wait is
/// never missed. Serves the case-update feed's commit signal and the store's durable audit horizon.
/// </summary>
public class GrowingValue(long initial = 0)
{
    private readonly Lock _lock = new();
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _value = initial;

    public long Value => Interlocked.Read(ref _value);

    /// <summary>Raises the value by one and wakes every waiter.</summary>
    public void Increment()
    {
        lock (_lock)
        {
            Set(_value + 1);
        }
    }

    /// <summary>Raises the value to <paramref name="value"/> and wakes every waiter; a value not above the current one changes nothing.</summary>
    public void AdvanceTo(long value)
    {
        lock (_lock)
        {
            if (value > _value)
            {
                Set(value);
            }
        }
    }

    /// <summary>Completes once the value is past <paramref name="seen"/>.</summary>
    public Task WaitAfterAsync(long seen, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return _value > seen ? Task.CompletedTask : _next.Task.WaitAsync(cancellationToken);
        }
    }

    // Called under the lock. Continuations run asynchronously, so completing the waiters' task here runs none of them
    // while the lock is held.
    private void Set(long value)
    {
        Interlocked.Exchange(ref _value, value);
        var fired = _next;
        _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        fired.TrySetResult();
    }
}
