using System.Buffers.Binary;
using System.Text;
using Interagency.V1;

namespace Gateway.Core.Receipts;

/// <summary>
/// The bytes a receipt's signature covers, version LGR1: the version tag, then each signed field length-prefixed or
/// fixed-width, big-endian, in this order: message id, content hash, the resolved recipients (their count, then each in
/// receipt order), accepted-at (seconds, then nanoseconds, exactly as on the wire), audit sequence, state, signing key id.
/// Strings are UTF-8 with a 4-byte length; bytes likewise. The signature itself is the one field outside it.
/// </summary>
public static class ReceiptCanonicalForm
{
    /// <summary>The version tag that starts the encoding; a later form gets a new tag, so no signature means two things.</summary>
    public static readonly byte[] Version = "LGR1"u8.ToArray();

    public static byte[] Encode(Receipt receipt)
    {
        var at = receipt.AcceptedAt ?? throw new ArgumentException("A receipt without accepted_at cannot be signed or verified.", nameof(receipt));
        var buffer = new List<byte>(256);
        buffer.AddRange(Version);
        WriteString(buffer, receipt.MessageId);
        WriteBytes(buffer, receipt.ContentHash.Span);
        WriteInt32(buffer, receipt.ResolvedRecipients.Count);
        foreach (var recipient in receipt.ResolvedRecipients)
        {
            WriteString(buffer, recipient);
        }

        Span<byte> fixedWidth = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(fixedWidth, at.Seconds);
        buffer.AddRange(fixedWidth);
        WriteInt32(buffer, at.Nanos);
        BinaryPrimitives.WriteUInt64BigEndian(fixedWidth, receipt.AuditSequence);
        buffer.AddRange(fixedWidth);
        WriteInt32(buffer, (int)receipt.State);
        WriteString(buffer, receipt.SigningKeyId);
        return [.. buffer];
    }

    private static void WriteString(List<byte> buffer, string value) => WriteBytes(buffer, Encoding.UTF8.GetBytes(value));

    private static void WriteBytes(List<byte> buffer, ReadOnlySpan<byte> value)
    {
        WriteInt32(buffer, value.Length);
        buffer.AddRange(value);
    }

    private static void WriteInt32(List<byte> buffer, int value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, value);
        buffer.AddRange(bytes);
    }
}
