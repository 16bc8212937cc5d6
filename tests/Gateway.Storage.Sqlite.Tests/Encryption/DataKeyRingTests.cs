using System.Text;
using Gateway.Core.Encryption;

namespace Gateway.Storage.Sqlite.Tests.Encryption;

/// <summary>Sealing with AES-GCM under the active key, opening under whichever key a value names.</summary>
public sealed class DataKeyRingTests
{
    private static readonly byte[] Row = Encoding.UTF8.GetBytes("messages.payload\nmsg-1");
    private static readonly byte[] Plaintext = Encoding.UTF8.GetBytes("Ivanova Anastasia, passport 4510 998877");

    [Fact]
    public void A_sealed_value_opens_to_what_was_sealed_names_its_key_and_does_not_contain_the_plaintext()
    {
        var ring = new DataKeyRing([DataKey.Generate("k1")], "k1");

        var sealedValue = ring.Seal(Plaintext, Row);

        Assert.Equal("k1", SealedValue.KeyIdOf(sealedValue));
        Assert.Equal(-1, sealedValue.AsSpan().IndexOf(Plaintext.AsSpan(0, 8)));
        Assert.Equal(Plaintext, ring.Open(sealedValue, Row));
    }

    [Fact]
    public void Sealing_the_same_value_twice_gives_two_ciphertexts_as_each_gets_a_fresh_nonce()
    {
        var ring = new DataKeyRing([DataKey.Generate("k1")], "k1");

        Assert.NotEqual(ring.Seal(Plaintext, Row), ring.Seal(Plaintext, Row));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(20)]
    [InlineData(40)]
    public void A_value_with_any_byte_changed_is_refused(int position)
    {
        var ring = new DataKeyRing([DataKey.Generate("k1")], "k1");
        var sealedValue = ring.Seal(Plaintext, Row);

        sealedValue[position] ^= 0x01;

        Assert.ThrowsAny<InvalidOperationException>(() => ring.Open(sealedValue, Row));
    }

    [Fact]
    public void A_value_opened_as_another_rows_is_refused()
    {
        var ring = new DataKeyRing([DataKey.Generate("k1")], "k1");
        var sealedValue = ring.Seal(Plaintext, Row);

        var error = Assert.Throws<SealedValueException>(() => ring.Open(sealedValue, Encoding.UTF8.GetBytes("messages.payload\nmsg-2")));

        Assert.Contains("another row", error.Message);
    }

    [Fact]
    public void A_value_under_a_key_that_is_not_configured_fails_naming_the_key()
    {
        var old = new DataKeyRing([DataKey.Generate("k1")], "k1");
        var current = new DataKeyRing([DataKey.Generate("k2")], "k2");

        var error = Assert.Throws<DataKeyMissingException>(() => current.Open(old.Seal(Plaintext, Row), Row));

        Assert.Equal("k1", error.KeyId);
        Assert.Contains("'k1'", error.Message);
    }

    [Fact]
    public void After_rotation_old_values_open_and_new_ones_are_sealed_under_the_new_key()
    {
        var k1 = DataKey.Generate("k1");
        var k2 = DataKey.Generate("k2");
        var before = new DataKeyRing([k1], "k1").Seal(Plaintext, Row);
        var ring = new DataKeyRing([k1, k2], "k2");

        var after = ring.Seal(Plaintext, Row);

        Assert.Equal(Plaintext, ring.Open(before, Row));
        Assert.Equal("k2", SealedValue.KeyIdOf(after));
        Assert.False(ring.IsUnderActiveKey(before));
        Assert.True(ring.IsUnderActiveKey(after));
    }

    [Fact]
    public void A_serialized_protobuf_message_is_never_taken_for_a_sealed_value()
    {
        var request = Gateway.Tests.Shared.Samples.LocationRequest("RU");

        Assert.False(SealedValue.IsSealed(Google.Protobuf.MessageExtensions.ToByteArray(request)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("key one")]
    [InlineData("k/1")]
    [InlineData("a-key-id-that-is-longer-than-32-chars")]
    public void A_key_id_outside_the_allowed_form_is_refused(string id) =>
        Assert.Throws<ArgumentException>(() => DataKey.Generate(id));

    [Theory]
    [InlineData("not base64!")]
    [InlineData("AAAA")]
    public void Key_text_that_is_not_32_bytes_of_base64_is_refused_without_echoing_it(string text)
    {
        var error = Assert.Throws<FormatException>(() => DataKey.FromBase64("k1", text));

        Assert.DoesNotContain(text, error.Message);
        Assert.Contains("'k1'", error.Message);
    }

    [Fact]
    public void An_active_key_that_is_not_among_the_keys_is_refused() =>
        Assert.Equal("k2", Assert.Throws<DataKeyMissingException>(() => new DataKeyRing([DataKey.Generate("k1")], "k2")).KeyId);
}
