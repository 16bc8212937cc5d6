using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Gateway.Core.Audit;

namespace Gateway.Core.Tests.Audit;

/// <summary>
/// The hash of an entry is fixed by its canonical encoding, not by the code that computes it: chains written by
/// earlier versions must still verify. The encoding is rebuilt here from its description, field by field.
/// </summary>
public class AuditChainEncodingTests
{
    [Theory]
    [InlineData(1L, "message.accepted", "CN/PLO-RU", "0b5f8b52-3a55-4d0b-9a55-1f0a4c2b7e11", "kind=Referral case=CN-FJ-2026-0042")]
    [InlineData(9_000_000_000L, "intake.refused", "unauthenticated", "", "")]
    [InlineData(42L, "hold.released", "RU/MVD", "d1c5c0a2-8f1e-4b8e-9d7a-2b2c6f1e0a33", "by=张伟 Zürich ½")]
    public void An_entry_hashes_to_SHA256_of_its_length_prefixed_big_endian_encoding(long sequence, string kind, string actor, string messageId, string detail) =>
        AssertCanonical(sequence, kind, actor, messageId, detail);

    [Fact]
    public void An_entry_longer_than_a_kilobyte_hashes_the_same_way() =>
        AssertCanonical(7L, "delivery.dead_lettered", "gateway", "0b5f8b52-3a55-4d0b-9a55-1f0a4c2b7e11", "error=" + string.Concat(Enumerable.Repeat("Unavailable 张 ", 300)));

    private static void AssertCanonical(long sequence, string kind, string actor, string messageId, string detail)
    {
        var at = new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero).AddTicks(1234567);
        var previous = SHA256.HashData("previous entry"u8);

        var record = AuditChain.Append(sequence, at, kind, actor, messageId, detail, previous);

        var encoding = new List<byte>("LGA1"u8.ToArray());
        encoding.AddRange(BigEndian(sequence));
        encoding.AddRange(BigEndian((at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10));
        foreach (var field in new[] { kind, actor, messageId, detail }.Select(Encoding.UTF8.GetBytes).Append(previous))
        {
            var length = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(length, field.Length);
            encoding.AddRange(length);
            encoding.AddRange(field);
        }

        Assert.Equal(Convert.ToHexString(SHA256.HashData(encoding.ToArray())), Convert.ToHexString(record.Hash));
        Assert.Equal(record.Hash, AuditChain.ComputeHash(record));
    }

    private static byte[] BigEndian(long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        return bytes;
    }
}
