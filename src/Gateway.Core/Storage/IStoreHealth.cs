namespace Gateway.Core.Storage;

/// <summary>Whether the store still takes writes.</summary>
public interface IStoreHealth
{
    /// <summary>
    /// Why the store takes no more writes, or null while it does. Once set it stays set: every write then fails at once
    /// with <see cref="StoreUnavailableException"/>, until the gateway is restarted.
    /// </summary>
    StoreUnavailableException? WriteFailure { get; }
}
