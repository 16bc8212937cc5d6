namespace Gateway.Core.Storage;

/// <summary>
/// The store can take no more writes (its writer stopped, or a flush to disk failed) until the gateway is restarted.
/// Nothing the caller did caused it, and the same call may succeed once the gateway is back: the wire says UNAVAILABLE.
/// </summary>
public sealed class StoreUnavailableException(string message, Exception cause) : Exception(message, cause);
