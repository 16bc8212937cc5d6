using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Gateway.Core.Encryption;

namespace Gateway.Core.Audit;

/// <summary>
/// Free text an operator typed into an audited call (a justification), which may name a person: held in clear while
/// the gateway works with it, and sealed by the store (<see cref="SealedValue"/> layout) before it is written and
/// hashed. Its stored form is a JSON string when clear (a store without data keys, an entry of format version 1) and
/// <c>{"sealed":"BASE64"}</c> when sealed. A sealed text that cannot be opened is shown as a marker naming its key.
/// </summary>
[JsonConverter(typeof(SealedTextJsonConverter))]
public sealed class SealedText : IEquatable<SealedText>
{
    private readonly byte[]? _sealedValue;
    private readonly string _unopened;

    private SealedText(string? text, byte[]? sealedValue, string unopened)
    {
        Text = text;
        _sealedValue = sealedValue;
        _unopened = unopened;
    }

    /// <summary>The text, or null while it is sealed.</summary>
    public string? Text { get; }

    public bool IsSealed => _sealedValue is not null;

    /// <summary>The id of the data key the text is sealed under, or null when it is clear.</summary>
    public string? KeyId => _sealedValue is null ? null : SealedValue.KeyIdOf(_sealedValue);

    /// <summary>The sealed bytes as stored, empty when the text is clear.</summary>
    public ReadOnlySpan<byte> SealedBytes => _sealedValue;

    /// <summary>What a reader is shown: the text, or a marker that names the key it is sealed under and why it stays sealed.</summary>
    public string Shown => Text ?? $"(sealed under key {KeyId}, {_unopened})";

    /// <summary>Text as typed (or as opened), which a store with data keys seals when it writes it.</summary>
    public static SealedText Clear(string text) => new(text, null, string.Empty);

    /// <exception cref="FormatException">The bytes are not laid out as a sealed value.</exception>
    public static SealedText FromSealed(byte[] sealedValue) =>
        SealedValue.IsSealed(sealedValue)
            ? new SealedText(null, sealedValue, "not configured")
            : throw new FormatException("A sealed text is not laid out as a sealed value.");

    /// <summary>The text sealed under the active key, bound to <paramref name="associatedData"/>; a sealed text stays as it is.</summary>
    public SealedText Seal(DataKeyRing keys, ReadOnlySpan<byte> associatedData) =>
        Text is null ? this : new SealedText(null, keys.Seal(Encoding.UTF8.GetBytes(Text), associatedData), "not configured");

    /// <summary>
    /// The text opened with <paramref name="keys"/>. One that cannot be opened stays sealed, with the reason its marker
    /// shows: its key is not configured, or it does not authenticate (altered, moved from another entry, or a different
    /// key under the same id), so that one such entry does not make a whole trace unreadable.
    /// </summary>
    public SealedText Open(DataKeyRing keys, ReadOnlySpan<byte> associatedData)
    {
        if (_sealedValue is null)
        {
            return this;
        }

        try
        {
            return Clear(Encoding.UTF8.GetString(keys.Open(_sealedValue, associatedData)));
        }
        catch (DataKeyMissingException)
        {
            return this;
        }
        catch (SealedValueException)
        {
            return new SealedText(null, _sealedValue, "does not authenticate");
        }
    }

    public bool Equals(SealedText? other) =>
        other is not null && Text == other.Text && SealedBytes.SequenceEqual(other.SealedBytes);

    public override bool Equals(object? obj) => Equals(obj as SealedText);

    public override int GetHashCode() => Text?.GetHashCode(StringComparison.Ordinal) ?? _sealedValue!.Length;

    public override string ToString() => Shown;
}

/// <summary>A clear text as a JSON string, a sealed one as <c>{"sealed":"BASE64"}</c>.</summary>
internal sealed class SealedTextJsonConverter : JsonConverter<SealedText>
{
    private const string SealedProperty = "sealed";

    public override SealedText Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return SealedText.Clear(reader.GetString()!);
        }

        if (reader.TokenType != JsonTokenType.StartObject
            || !reader.Read() || reader.TokenType != JsonTokenType.PropertyName || !reader.ValueTextEquals(SealedProperty)
            || !reader.Read() || reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException("A sealed text is a string or an object with one property, \"sealed\".");
        }

        var sealedValue = reader.GetBytesFromBase64();
        if (!reader.Read() || reader.TokenType != JsonTokenType.EndObject)
        {
            throw new JsonException("A sealed text is a string or an object with one property, \"sealed\".");
        }

        return SealedText.FromSealed(sealedValue);
    }

    public override void Write(Utf8JsonWriter writer, SealedText value, JsonSerializerOptions options)
    {
        if (value.Text is { } text)
        {
            writer.WriteStringValue(text);
            return;
        }

        writer.WriteStartObject();
        writer.WriteBase64String(SealedProperty, value.SealedBytes);
        writer.WriteEndObject();
    }
}
