namespace Gateway.Encryption;

/// <summary>The data keys that seal personal data at rest (section <c>Gateway:Encryption</c>).</summary>
public sealed class EncryptionOptions
{
    public const string Section = "Gateway:Encryption";

    /// <summary>The id of the key new values are sealed under; one of <see cref="Keys"/>.</summary>
    public string ActiveKey { get; set; } = string.Empty;

    /// <summary>Every key a stored value may be sealed under: the active one and those not yet re-encrypted away.</summary>
    public List<DataKeyOptions> Keys { get; set; } = [];
}

/// <summary>One data key: its id and where its 32 random bytes (base64) are. Exactly one of the three sources.</summary>
public sealed class DataKeyOptions
{
    public string Id { get; set; } = string.Empty;

    /// <summary>A file holding the key in base64; relative paths resolve against the content root.</summary>
    public string? Path { get; set; }

    /// <summary>An environment variable holding the key in base64.</summary>
    public string? Environment { get; set; }

    /// <summary>The key itself in base64: for tests only, as it puts the key beside the configuration.</summary>
    public string? Value { get; set; }
}
