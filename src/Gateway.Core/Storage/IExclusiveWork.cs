namespace Gateway.Core.Storage;

/// <summary>
/// Periodic work that is about the whole store, not about one gateway instance (the reply-deadline scan): it runs on one
/// of the instances that share the store at a time, not once per instance.
/// </summary>
public interface IExclusiveWork
{
    /// <summary>
    /// Runs <paramref name="work"/> unless another instance sharing the store is running the work of that
    /// <paramref name="name"/> now; returns whether it ran here. An instance that dies while running it gives it up.
    /// </summary>
    Task<bool> RunAloneAsync(string name, Func<CancellationToken, Task> work, CancellationToken cancellationToken);
}
