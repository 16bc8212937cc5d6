using System.Globalization;
using System.Text;
using Gateway.Core.Audit;

namespace Gateway.Core.Encryption;

/// <summary>
/// Seals the columns that hold personal data or free text (a message's payload, a delivery's last error, an audit
/// entry's justification) as they are written and opens them as they are read, each bound to its row and column.
/// Without a key ring (a store opened by hand in a test or benchmark) values are written in clear; a value written in
/// clear before encryption was on is read as it is, and a sealed value whose key is not configured fails with the key's
/// id, except a justification, which reads as a marker naming it (<see cref="SealedText"/>). Every store seals with it,
/// so that a value is bound to the same row identity and column name whichever store holds it.
/// </summary>
public sealed class ColumnSeal(DataKeyRing? keys)
{
    public DataKeyRing? Keys => keys;

    public byte[] SealPayload(string messageId, byte[] payload) => keys is null ? payload : keys.Seal(payload, PayloadData(messageId));

    public byte[] OpenPayload(string messageId, byte[] stored) =>
        SealedValue.IsSealed(stored) ? Ring(stored).Open(stored, PayloadData(messageId)) : stored;

    /// <summary>A last error as stored: sealed bytes (a BLOB), or the text itself without keys.</summary>
    public object? SealLastError(long deliveryId, string? error) =>
        error is null ? null : keys is null ? error : keys.Seal(Encoding.UTF8.GetBytes(error), LastErrorData(deliveryId));

    /// <summary>Reads a last error: a BLOB is sealed, TEXT was written in clear.</summary>
    public string? OpenLastError(long deliveryId, object stored) => stored switch
    {
        DBNull => null,
        string text => text,
        byte[] sealedValue => Encoding.UTF8.GetString(Ring(sealedValue).Open(sealedValue, LastErrorData(deliveryId))),
        _ => throw new SealedValueException($"Delivery {deliveryId.ToString(CultureInfo.InvariantCulture)} has a last error of an unknown storage type."),
    };

    /// <summary>
    /// An audit entry's details as stored and hashed, its justification sealed under <paramref name="sequence"/>. The
    /// audit is never re-encrypted (that would break the chain), so a justification stays under the key it was sealed with.
    /// </summary>
    public string AuditDetails(long sequence, AuditEntry entry) =>
        entry.StoredDetails ?? (keys is null ? entry.Details : entry.Details.SealJustification(keys, sequence)).Serialize();

    /// <summary>An audit entry as read, its justification opened; without keys it is read as stored.</summary>
    public AuditRecord OpenAudit(AuditRecord record) =>
        keys is null ? record : record with { Details = record.Details.OpenJustification(keys, record.Sequence) };

    /// <summary>A stored payload under the active key, or null when it already is.</summary>
    public byte[]? ResealPayload(DataKeyRing active, string messageId, byte[] stored) =>
        active.IsUnderActiveKey(stored) ? null : active.Seal(OpenPayload(messageId, stored), PayloadData(messageId));

    /// <summary>A stored last error under the active key, or null when it already is.</summary>
    public byte[]? ResealLastError(DataKeyRing active, long deliveryId, object stored) =>
        stored is byte[] sealedValue && active.IsUnderActiveKey(sealedValue) || stored is DBNull
            ? null
            : active.Seal(Encoding.UTF8.GetBytes(OpenLastError(deliveryId, stored)!), LastErrorData(deliveryId));

    private DataKeyRing Ring(ReadOnlySpan<byte> sealedValue) =>
        keys ?? throw new DataKeyMissingException(SealedValue.KeyIdOf(sealedValue)!, "A stored value is sealed, but the store was opened without data keys.");

    // The row's identity and the column, so a sealed value copied into another row or column does not open.
    private static byte[] PayloadData(string messageId) => Encoding.UTF8.GetBytes("messages.payload\n" + messageId);

    private static byte[] LastErrorData(long deliveryId) =>
        Encoding.UTF8.GetBytes("deliveries.last_error\n" + deliveryId.ToString(CultureInfo.InvariantCulture));
}
