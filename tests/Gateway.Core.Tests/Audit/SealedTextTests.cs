using System.Text.Json;
using Gateway.Core.Audit;
using Gateway.Core.Encryption;
using Xunit;

namespace Gateway.Core.Tests.Audit;

/// <summary>
/// An operator's justification is sealed into the details bound to its entry's sequence, opens only there and only
/// with its key, and otherwise reads as a marker naming the key; version 1 details with a clear justification still read.
/// </summary>
public sealed class SealedTextTests
{
    private const string Reason = "victim IVANOV Pyotr, passport 4512 778899";

    private static readonly DataKey K1 = DataKey.Generate("k1");
    private static readonly DataKeyRing Ring = new([K1], "k1");

    private static AuditDetails Replayed() => new() { Delivery = 2, Recipient = "CN/PLO-TH", Justification = SealedText.Clear(Reason) };

    [Fact]
    public void A_sealed_justification_is_stored_as_an_object_naming_no_one_and_opens_under_its_sequence()
    {
        var stored = Replayed().SealJustification(Ring, 7).Serialize();

        Assert.StartsWith("""{"v":2,"delivery":2,"recipient":"CN/PLO-TH","justification":{"sealed":"AQJrM""", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("IVANOV", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("4512", stored, StringComparison.Ordinal);
        var read = AuditDetails.Parse(stored);
        Assert.Equal(("k1", (string?)null), (read.Justification!.KeyId, read.Justification.Text));
        Assert.Equal(Replayed(), read.OpenJustification(Ring, 7));
    }

    [Fact]
    public void A_sealed_justification_read_under_another_sequence_shows_that_it_does_not_authenticate()
    {
        var read = AuditDetails.Parse(Replayed().SealJustification(Ring, 7).Serialize());

        Assert.Equal("(sealed under key k1, does not authenticate)", read.OpenJustification(Ring, 8).Justification!.Shown);
    }

    [Fact]
    public void A_sealed_justification_whose_key_is_not_configured_shows_a_marker_naming_the_key()
    {
        var read = AuditDetails.Parse(Replayed().SealJustification(Ring, 7).Serialize());

        Assert.Equal("(sealed under key k1, not configured)", read.Justification!.Shown);
        Assert.Equal(
            "(sealed under key k1, not configured)",
            read.OpenJustification(new DataKeyRing([DataKey.Generate("k2")], "k2"), 7).Justification!.Shown);
    }

    [Fact]
    public void Sealing_twice_keeps_the_first_seal_and_details_without_a_justification_are_left_as_they_are()
    {
        var sealedOnce = Replayed().SealJustification(Ring, 7);
        var plain = new AuditDetails { Delivery = 2 };

        Assert.Equal(sealedOnce.Serialize(), sealedOnce.SealJustification(Ring, 7).Serialize());
        Assert.Same(plain, plain.SealJustification(Ring, 7));
        Assert.Same(plain, plain.OpenJustification(Ring, 7));
    }

    [Fact]
    public void Version_one_details_with_a_clear_justification_still_read()
    {
        var read = AuditDetails.Parse("""{"v":1,"delivery":2,"recipient":"CN/PLO-TH","justification":"Bangkok endpoint repaired"}""");

        Assert.Equal((1, "Bangkok endpoint repaired"), (read.V, read.Justification!.Text));
        Assert.Same(read, read.OpenJustification(Ring, 25));
    }

    [Fact]
    public void A_justification_that_is_neither_text_nor_a_sealed_value_does_not_parse()
    {
        Assert.Throws<JsonException>(() => AuditDetails.Parse("""{"v":2,"justification":{"clear":"x"}}"""));
        Assert.Throws<FormatException>(() => AuditDetails.Parse("""{"v":2,"justification":{"sealed":"AAAA"}}"""));
    }

    [Fact]
    public void An_entry_with_a_justification_leaves_its_stored_form_to_the_store_which_seals_it()
    {
        Assert.Null(new AuditEntry(AuditKinds.DeliveryReplayed, "operator:duty", null, Replayed()).StoredDetails);
        Assert.NotNull(new AuditEntry(AuditKinds.DeliveryReplayed, "operator:duty", null, new AuditDetails { Delivery = 2 }).StoredDetails);
    }
}
