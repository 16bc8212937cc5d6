using Gateway.Core.Identity;

namespace Gateway.Core.Tests.Identity;

public sealed class RevocationRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_serial_reads_the_same_with_or_without_its_leading_zero_byte()
    {
        Assert.Equal("80AB", CertificateSerial.Normalize([0x00, 0x80, 0xAB]));
        Assert.Equal("80AB", CertificateSerial.Normalize([0x80, 0xAB]));
        Assert.Equal("80AB", CertificateSerial.Normalize("0080ab"));
        Assert.Equal("00", CertificateSerial.Normalize([0x00]));
    }

    [Fact]
    public void Only_a_list_of_the_issuing_anchor_revokes()
    {
        var list = List("ANCHOR-A", next: Now.AddDays(1), "0102");

        Assert.True(RevocationRules.Revokes([list], "anchor-a", "0102"));
        Assert.False(RevocationRules.Revokes([list], "ANCHOR-B", "0102"));
        Assert.False(RevocationRules.Revokes([list], "ANCHOR-A", "0103"));
    }

    [Fact]
    public void A_stale_list_still_revokes_and_lists_of_one_anchor_add_up()
    {
        var stale = List("ANCHOR-A", next: Now.AddDays(-1), "0102");
        var current = List("ANCHOR-A", next: Now.AddDays(6), "0103");

        Assert.True(stale.IsStale(Now));
        Assert.False(current.IsStale(Now));
        Assert.True(RevocationRules.Revokes([stale, current], "ANCHOR-A", "0102"));
        Assert.True(RevocationRules.Revokes([stale, current], "ANCHOR-A", "0103"));
    }

    [Fact]
    public void A_list_without_a_next_update_is_never_stale()
    {
        Assert.False(List("ANCHOR-A", next: null).IsStale(Now.AddYears(10)));
    }

    private static RevocationList List(string anchor, DateTimeOffset? next, params string[] serials) =>
        new("crl.pem", anchor, Now.AddDays(-7), next, serials.ToHashSet(StringComparer.Ordinal));
}
