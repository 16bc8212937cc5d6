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
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> number = stackalloc byte[8];
        hash.AppendData(Version);
        BinaryPrimitives.WriteInt64BigEndian(number, sequence);
        hash.AppendData(number);
        BinaryPrimitives.WriteInt64BigEndian(number, ToMicroseconds(at));
        hash.AppendData(number);
        AppendString(hash, kind);
        AppendString(hash, actor);
        AppendString(hash, messageId);
        AppendString(hash, detail);
        AppendBytes(hash, previousHash);
        return hash.GetHashAndReset();
    }

    private static void AppendString(IncrementalHash hash, string value) => AppendBytes(hash, Encoding.UTF8.GetBytes(value));

    private static void AppendBytes(IncrementalHash hash, byte[] value)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, value.Length);
        hash.AppendData(length);
        hash.AppendData(value);
    }
}
