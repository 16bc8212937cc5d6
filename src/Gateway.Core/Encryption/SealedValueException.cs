namespace Gateway.Core.Encryption;

/// <summary>A stored value that should be sealed does not open: it was altered, moved between rows, or is not one.</summary>
public sealed class SealedValueException(string message) : InvalidOperationException(message);
