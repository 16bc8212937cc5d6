namespace Gateway.Core.Storage;

/// <summary>
/// The store's schema is not one this gateway can bring to its own version: written by a newer gateway, too old to
/// upgrade, or a migration that failed. The message says which and what to do; it is the whole start-up refusal.
/// </summary>
public sealed class StoreSchemaException(string message, Exception? cause = null) : InvalidOperationException(message, cause);
