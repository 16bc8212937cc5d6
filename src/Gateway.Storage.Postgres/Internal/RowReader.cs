using System.Text;
using Gateway.Core.Audit;
using Gateway.Core.Encryption;
using Gateway.Core.Intake;
using Gateway.Core.Storage;
using Interagency.V1;
using Npgsql;

namespace Gateway.Storage.Postgres.Internal;

/// <summary>
/// Reads message, delivery and audit rows back into their Core records from any column on, for the queries that join
/// them (trace, feed, operators' lists), as the SQLite store's <c>MessageReader</c> does.
/// </summary>
internal static class RowReader
{
    private const string Message =
        "message_id, kind, case_reference, sender, recipients, content_hash, payload, created_at, accepted_at, audit_sequence, state, withdrawn_at, case_owner, trace_parent";

    private const string Delivery =
        "delivery_id, message_id, recipient, case_reference, state, attempts, lease_owner, lease_until, created_at, last_error, replayed";

    public const string AuditColumns = "seq, at, kind, actor, message_id, detail, prev_hash, hash";

    /// <summary>The columns <see cref="ReadMessage"/> reads, of the messages table under <paramref name="alias"/>.</summary>
    public static string MessageColumns(string alias) => Aliased(Message, alias);

    /// <summary>The columns <see cref="ReadDelivery"/> reads, of the deliveries table under <paramref name="alias"/>.</summary>
    public static string DeliveryColumns(string alias) => Aliased(Delivery, alias);

    public static StoredMessage ReadMessage(NpgsqlDataReader r, ColumnSeal seal, int offset)
    {
        var messageId = r.GetString(offset);
        var recipients = r.GetString(offset + 4);
        return new StoredMessage(
            messageId,
            (MessageKind)r.GetInt32(offset + 1),
            r.GetString(offset + 2),
            r.GetString(offset + 3),
            (byte[])r[offset + 5],
            seal.OpenPayload(messageId, (byte[])r[offset + 6]),
            AuditChain.FromMicroseconds(r.GetInt64(offset + 7)),
            new AcceptanceReceipt(
                messageId,
                recipients.Length == 0 ? [] : recipients.Split(','),
                AuditChain.FromMicroseconds(r.GetInt64(offset + 8)),
                r.GetInt64(offset + 9),
                (MessageState)r.GetInt32(offset + 10)))
        {
            WithdrawnAt = r.IsDBNull(offset + 11) ? null : AuditChain.FromMicroseconds(r.GetInt64(offset + 11)),
            CaseOwner = r.IsDBNull(offset + 12) ? null : r.GetString(offset + 12),
            TraceParent = r.IsDBNull(offset + 13) ? null : r.GetString(offset + 13),
        };
    }

    public static DeliveryRecord ReadDelivery(NpgsqlDataReader r, ColumnSeal seal, int offset) =>
        new(
            r.GetInt64(offset),
            r.GetString(offset + 1),
            r.GetString(offset + 2),
            r.GetString(offset + 3),
            (DeliveryState)r.GetInt32(offset + 4),
            r.GetInt32(offset + 5),
            r.IsDBNull(offset + 6) ? null : r.GetString(offset + 6),
            r.IsDBNull(offset + 7) ? null : AuditChain.FromMicroseconds(r.GetInt64(offset + 7)))
        {
            CreatedAt = AuditChain.FromMicroseconds(r.GetInt64(offset + 8)),
            LastError = seal.OpenLastError(r.GetInt64(offset), LastError(r.GetValue(offset + 9))),
            Replayed = r.GetBoolean(offset + 10),
        };

    /// <summary>Reads <see cref="AuditColumns"/> from the first column on, the justification opened.</summary>
    public static AuditRecord ReadAudit(NpgsqlDataReader r, ColumnSeal seal) =>
        seal.OpenAudit(new AuditRecord(
            r.GetInt64(0),
            AuditChain.FromMicroseconds(r.GetInt64(1)),
            r.GetString(2),
            r.GetString(3),
            r.GetString(4),
            r.GetString(5),
            (byte[])r[6],
            (byte[])r[7]));

    public static DateTimeOffset? Time(NpgsqlDataReader r, int column) => r.IsDBNull(column) ? null : AuditChain.FromMicroseconds(r.GetInt64(column));

    /// <summary>The stored last error in the form <see cref="ColumnSeal"/> reads: sealed bytes, or the text written in clear.</summary>
    public static object LastError(object stored) =>
        stored is byte[] bytes && !SealedValue.IsSealed(bytes) ? Encoding.UTF8.GetString(bytes) : stored;

    private static string Aliased(string columns, string alias) => string.Join(", ", columns.Split(", ").Select(c => $"{alias}.{c}"));
}
