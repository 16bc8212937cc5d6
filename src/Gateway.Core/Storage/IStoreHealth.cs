namespace Gateway.Core.Storage;

/// <summary>Whether the store still takes writes.</summary>
public interface IStoreHealth
{
    /// <summary>
    /// Why the store takes no more writes, or null while it does. The embedded store's single writer sets it when a write
    /// or flush fails, and then it stays set: every write fails at once with <see cref="StoreUnavailableException"/>,
    /// until the gateway is restarted (the file's state after a failed flush is not known). A shared store (PostgreSQL)
    /// never sets it: a database that cannot be reached fails each call on its own, and the next call tries again, so
    /// the gateway recovers by itself when the database returns.
    /// </summary>
    StoreUnavailableException? WriteFailure { get; }
}
