using System.Security.Cryptography;

namespace Gateway.Core.Encryption;

/// <summary>
/// The configured data keys and the active one: seals with the active key, opens with whichever key a value names.
/// Each value gets a fresh random nonce, and the caller's associated data (the row and column the value belongs to)
/// together with the value's header is authenticated, so a ciphertext moved to another row or relabelled with
/// another key id does not open.
/// </summary>
public sealed class DataKeyRing
{
    private readonly Dictionary<string, DataKey> _keys;
    private readonly byte[] _activeHeader;

    public DataKeyRing(IEnumerable<DataKey> keys, string activeKeyId)
    {
        _keys = new Dictionary<string, DataKey>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            if (!_keys.TryAdd(key.Id, key))
            {
                throw new ArgumentException($"Data key '{key.Id}' is given twice.", nameof(keys));
            }
        }

        Active = _keys.TryGetValue(activeKeyId, out var active)
            ? active
            : throw new DataKeyMissingException(activeKeyId, "The active data key is not among the configured keys.");
        _activeHeader = SealedValue.Header(Active.Id);
    }

    public DataKey Active { get; }

    /// <summary>True when <paramref name="value"/> is sealed under the active key (re-encryption leaves it alone).</summary>
    public bool IsUnderActiveKey(ReadOnlySpan<byte> value) => SealedValue.IsSealed(value) && value.StartsWith(_activeHeader);

    public byte[] Seal(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        var header = _activeHeader;
        var sealedValue = new byte[header.Length + SealedValue.NonceBytes + SealedValue.TagBytes + plaintext.Length];
        var output = sealedValue.AsSpan();
        header.CopyTo(output);
        var nonce = output.Slice(header.Length, SealedValue.NonceBytes);
        var tag = output.Slice(header.Length + SealedValue.NonceBytes, SealedValue.TagBytes);
        var ciphertext = output[(header.Length + SealedValue.NonceBytes + SealedValue.TagBytes)..];
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(Active.Material, SealedValue.TagBytes);
        aes.Encrypt(nonce, plaintext, ciphertext, tag, Authenticated(header, associatedData));
        return sealedValue;
    }

    /// <exception cref="SealedValueException">The value is not a sealed value, or it does not authenticate.</exception>
    /// <exception cref="DataKeyMissingException">The key the value names is not configured.</exception>
    public byte[] Open(ReadOnlySpan<byte> sealedValue, ReadOnlySpan<byte> associatedData)
    {
        if (SealedValue.KeyIdOf(sealedValue) is not { } keyId)
        {
            throw new SealedValueException("The value is not a sealed value.");
        }

        if (!_keys.TryGetValue(keyId, out var key))
        {
            throw new DataKeyMissingException(keyId, "A stored value is sealed under a data key that is not configured.");
        }

        var headerLength = SealedValue.HeaderLength(keyId.Length);
        var nonce = sealedValue.Slice(headerLength, SealedValue.NonceBytes);
        var tag = sealedValue.Slice(headerLength + SealedValue.NonceBytes, SealedValue.TagBytes);
        var ciphertext = sealedValue[(headerLength + SealedValue.NonceBytes + SealedValue.TagBytes)..];
        var plaintext = new byte[ciphertext.Length];
        try
        {
            using var aes = new AesGcm(key.Material, SealedValue.TagBytes);
            aes.Decrypt(nonce, ciphertext, tag, plaintext, Authenticated(sealedValue[..headerLength], associatedData));
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new SealedValueException(
                $"A value sealed under data key '{keyId}' does not authenticate: it was altered, or it was moved from another row.");
        }

        return plaintext;
    }

    private static byte[] Authenticated(ReadOnlySpan<byte> header, ReadOnlySpan<byte> associatedData)
    {
        var data = new byte[header.Length + associatedData.Length];
        header.CopyTo(data);
        associatedData.CopyTo(data.AsSpan(header.Length));
        return data;
    }
}
