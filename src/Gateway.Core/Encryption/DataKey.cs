using System.Security.Cryptography;

namespace Gateway.Core.Encryption;

/// <summary>A 256-bit AES-GCM data key and the id every value it seals names it by.</summary>
public sealed class DataKey
{
    public const int Bytes = 32;

    public DataKey(string id, byte[] material)
    {
        if (!DataKeyId.IsValid(id))
        {
            throw new ArgumentException($"A data key id must be 1 to {DataKeyId.MaxLength} of the characters A-Z a-z 0-9 . _ -", nameof(id));
        }

        if (material.Length != Bytes)
        {
            throw new ArgumentException($"Data key '{id}' must be {Bytes} bytes, not {material.Length}.", nameof(material));
        }

        Id = id;
        Material = material;
    }

    public string Id { get; }

    internal byte[] Material { get; }

    /// <summary>The key as a key file or environment variable holds it.</summary>
    public string ToBase64() => Convert.ToBase64String(Material);

    /// <summary>A new random key, for a development store or a test.</summary>
    public static DataKey Generate(string id) => new(id, RandomNumberGenerator.GetBytes(Bytes));

    /// <summary>Reads a key from its base64 text (a key file's content, an environment variable's value).</summary>
    /// <exception cref="FormatException">The text is not base64 of exactly 32 bytes; the message names the key, never its text.</exception>
    public static DataKey FromBase64(string id, string text)
    {
        byte[] material;
        try
        {
            material = Convert.FromBase64String(text.Trim());
        }
        catch (FormatException)
        {
            throw new FormatException($"Data key '{id}' is not base64 text.");
        }

        return material.Length == Bytes
            ? new DataKey(id, material)
            : throw new FormatException($"Data key '{id}' must be {Bytes} bytes in base64, not {material.Length}.");
    }
}
