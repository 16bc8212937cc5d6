using System.Text;

namespace Gateway.Core.Encryption;

/// <summary>
/// The layout of a sealed value: version byte <see cref="Version"/>, the key id's length (one byte) and its ASCII bytes,
/// a 96-bit nonce, the 128-bit AES-GCM tag, then the ciphertext. The key id travels in the value, so a column needs no
/// companion column and the re-encryption finds old rows by their first bytes. A serialized protobuf message cannot
/// start with byte 1 (field number 0 does not exist), so a payload stored in clear before encryption is told apart.
/// </summary>
public static class SealedValue
{
    public const byte Version = 1;

    public const int NonceBytes = 12;

    public const int TagBytes = 16;

    /// <summary>True when <paramref name="value"/> is laid out as a sealed value (whether or not it opens).</summary>
    public static bool IsSealed(ReadOnlySpan<byte> value) =>
        value.Length >= 2 && value[0] == Version && value[1] is > 0 and <= DataKeyId.MaxLength
        && value.Length >= HeaderLength(value[1]) + NonceBytes + TagBytes;

    /// <summary>The id of the key that sealed <paramref name="value"/>, or null when it is not a sealed value.</summary>
    public static string? KeyIdOf(ReadOnlySpan<byte> value) => IsSealed(value) ? Encoding.ASCII.GetString(value.Slice(2, value[1])) : null;

    /// <summary>The header (version, key id) a value sealed under <paramref name="keyId"/> starts with.</summary>
    public static byte[] Header(string keyId)
    {
        var header = new byte[HeaderLength(keyId.Length)];
        header[0] = Version;
        header[1] = (byte)keyId.Length;
        Encoding.ASCII.GetBytes(keyId, header.AsSpan(2));
        return header;
    }

    internal static int HeaderLength(int keyIdLength) => 2 + keyIdLength;
}
