using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Gateway.Core.Audit;

/// <summary>
/// The hash chain of the audit log: SHA-256 over a canonical, length-prefixed encoding of an entry's
/// fields and the previous entry's hash.
/// </summary>
public static class AuditChain
{
    /// <summary>The "previous hash" of the first entry.</summary>
    public static readonly byte[] Genesis = new byte[32];

    private static readonly byte[] Version = "LGA1"u8.ToArray();

    // Entries up to this size are encoded on the stack; longer ones (long details) in a pooled array.
    private const int StackLimit = 1024;

    /// <summary>Creates the next entry after <paramref name="previousHash"/>, with its hash computed.</summary>
    public static AuditRecord Append(
        long sequence, DateTimeOffset at, string kind, string actor, string messageId, string detail, byte[] previousHash)
    {
        var hash = ComputeHash(sequence, at, kind, actor, messageId, detail, previousHash);
        return new AuditRecord(sequence, at, kind, actor, messageId, detail, previousHash, hash);
    }

    public static byte[] ComputeHash(AuditRecord r) =>
        ComputeHash(r.Sequence, r.At, r.Kind, r.Actor, r.MessageId, r.Detail, r.PreviousHash);

    /// <summary>Time is hashed at microsecond precision, the precision the stores keep.</summary>
    public static long ToMicroseconds(DateTimeOffset at) => (at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    public static DateTimeOffset FromMicroseconds(long micros) => DateTimeOffset.UnixEpoch.AddTicks(micros * 10);

    private static byte[] ComputeHash(
        long sequence, DateTimeOffset at, string kind, string actor, string messageId, string detail, byte[] previousHash)
    {
        // The whole encoding is written into one buffer and hashed at once: one call into the crypto library per
        // entry instead of one per field (the writer appends an entry for every message it stores).
        var length = Version.Length + 8 + 8
            + 4 + Encoding.UTF8.GetByteCount(kind)
            + 4 + Encoding.UTF8.GetByteCount(actor)
            + 4 + Encoding.UTF8.GetByteCount(messageId)
            + 4 + Encoding.UTF8.GetByteCount(detail)
            + 4 + previousHash.Length;
        var rented = length > StackLimit ? ArrayPool<byte>.Shared.Rent(length) : null;
        try
        {
            var buffer = rented is null ? stackalloc byte[StackLimit] : rented;
            var encoding = buffer[..length];
            Version.CopyTo(encoding);
            var position = Version.Length;
            BinaryPrimitives.WriteInt64BigEndian(encoding[position..], sequence);
            BinaryPrimitives.WriteInt64BigEndian(encoding[(position + 8)..], ToMicroseconds(at));
            position += 16;
            position += WriteString(encoding[position..], kind);
            position += WriteString(encoding[position..], actor);
            position += WriteString(encoding[position..], messageId);
            position += WriteString(encoding[position..], detail);
            BinaryPrimitives.WriteInt32BigEndian(encoding[position..], previousHash.Length);
            previousHash.CopyTo(encoding[(position + 4)..]);
            return SHA256.HashData(encoding);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Writes the UTF-8 length (4 bytes, big-endian) and the UTF-8 bytes of <paramref name="value"/>; returns the bytes written.</summary>
    private static int WriteString(Span<byte> destination, string value)
    {
        var written = Encoding.UTF8.GetBytes(value, destination[4..]);
        BinaryPrimitives.WriteInt32BigEndian(destination, written);
        return 4 + written;
    }
}
