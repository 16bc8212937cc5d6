namespace Gateway.Storage.Postgres.Internal;

/// <summary>
/// One caller's write, waiting in the <see cref="GroupCommitWriter"/>'s queue: applied inside a batch's transaction under
/// a savepoint of its own, its caller answered once that transaction committed (or failed).
/// </summary>
internal abstract class QueuedWrite
{
    private const int Queued = 0;
    private const int Taken = 1;
    private const int Cancelled = 2;

    private int _state;

    /// <summary>Applies the write; an exception is its caller's alone, once the batch is rolled back to its savepoint.</summary>
    public abstract Task ApplyAsync(ChangeTransaction transaction, CancellationToken cancellationToken);

    public abstract void Complete();

    public abstract void Fail(Exception error);

    /// <summary>Claims the write for a batch; false when its caller gave up first.</summary>
    public bool TryTake() => Interlocked.CompareExchange(ref _state, Taken, Queued) == Queued;

    /// <summary>Withdraws the write while no batch has taken it; once taken, it is committed or failed with its batch.</summary>
    protected bool TryCancel() => Interlocked.CompareExchange(ref _state, Cancelled, Queued) == Queued;
}

/// <summary>A queued write whose caller awaits a result of type <typeparamref name="T"/>.</summary>
internal sealed class QueuedWrite<T>(Func<ChangeTransaction, CancellationToken, Task<T>> apply) : QueuedWrite
{
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T? _result;

    public Task<T> Task => _completion.Task;

    public override async Task ApplyAsync(ChangeTransaction transaction, CancellationToken cancellationToken) =>
        _result = await apply(transaction, cancellationToken);

    public override void Complete() => _completion.TrySetResult(_result!);

    public override void Fail(Exception error) => _completion.TrySetException(error);

    /// <summary>Answers the caller as cancelled, unless a batch has taken the write already.</summary>
    public void Cancel(CancellationToken cancellationToken)
    {
        if (TryCancel())
        {
            _completion.TrySetCanceled(cancellationToken);
        }
    }
}
