namespace Gateway.Storage.Sqlite.Internal;

/// <summary>
/// One unit of work for the single writer. Its effects are applied inside the batch's transaction and
/// its caller is answered only after that transaction has committed.
/// </summary>
internal abstract class WriteOperation
{
    /// <summary>When the operation was created, which is when its caller queued it (a <see cref="System.Diagnostics.Stopwatch"/> timestamp).</summary>
    public long QueuedAt { get; } = System.Diagnostics.Stopwatch.GetTimestamp();

    public abstract void Apply(WriterSession session);

    public abstract void Complete();

    public abstract void Fail(Exception error);
}

/// <summary>A write operation whose caller awaits a result of type <typeparamref name="T"/>.</summary>
internal abstract class WriteOperation<T> : WriteOperation
{
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T? _result;

    public Task<T> Task => _completion.Task;

    public sealed override void Apply(WriterSession session) => _result = Execute(session);

    public sealed override void Complete() => _completion.TrySetResult(_result!);

    public sealed override void Fail(Exception error) => _completion.TrySetException(error);

    protected abstract T Execute(WriterSession session);
}
