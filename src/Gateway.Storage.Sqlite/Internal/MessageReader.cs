using Interagency.V1;
using Gateway.Core.Audit;
using Gateway.Core.Intake;
using Gateway.Core.Storage;
using Microsoft.Data.Sqlite;
using Gateway.Core.Encryption;

namespace Gateway.Storage.Sqlite.Internal;

/// <summary>Reads stored messages and deliveries back into their Core records.</summary>
internal static class MessageReader
{
    private const string Columns = "message_id, kind, case_reference, sender, recipients, content_hash, payload, created_at, accepted_at, audit_sequence, state, withdrawn_at, case_owner, trace_parent";

    public const string SelectById = $"SELECT {Columns} FROM messages WHERE message_id = $message_id";

    public const string DeliveryColumns =
        "delivery_id, message_id, recipient, case_reference, state, attempts, lease_owner, lease_until, created_at, last_error, replayed";

    /// <summary><see cref="DeliveryColumns"/> of the deliveries table under the alias <c>d</c>, for joins.</summary>
    public static readonly string AliasedDeliveryColumns = string.Join(", ", DeliveryColumns.Split(", ").Select(c => "d." + c));

    /// <summary>The columns <see cref="Read"/> reads, of the messages table under the alias <paramref name="alias"/>, for joins.</summary>
    public static string MessageColumns(string alias) => string.Join(", ", Columns.Split(", ").Select(c => $"{alias}.{c}"));

    /// <summary>Reads the message columns, starting at column <paramref name="offset"/>.</summary>
    public static StoredMessage Read(SqliteDataReader r, ColumnSeal seal, int offset = 0)
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

    /// <summary>Reads <see cref="DeliveryColumns"/>, starting at column <paramref name="offset"/>.</summary>
    public static DeliveryRecord ReadDelivery(SqliteDataReader r, ColumnSeal seal, int offset = 0) =>
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
            LastError = seal.OpenLastError(r.GetInt64(offset), r.GetValue(offset + 9)),
            Replayed = r.GetInt64(offset + 10) != 0,
        };
}
