namespace Gateway.Core.Encryption;

/// <summary>A value, or the configuration, needs a data key that is not configured. The message names the key id.</summary>
public sealed class DataKeyMissingException(string keyId, string problem)
    : InvalidOperationException($"{problem} Key id: '{keyId}'. Add it to Gateway:Encryption:Keys (it cannot be recovered otherwise).")
{
    public string KeyId { get; } = keyId;
}
