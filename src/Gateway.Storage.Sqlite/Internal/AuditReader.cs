using Gateway.Core.Audit;
using Microsoft.Data.Sqlite;

namespace Gateway.Storage.Sqlite.Internal;

/// <summary>Reads the audit log and its recorded head back, for the store and for the read-only verifier alike.</summary>
internal static class AuditReader
{
    public const string SelectAll = "SELECT seq, at, kind, actor, message_id, detail, prev_hash, hash FROM audit ORDER BY seq";

    public const string SelectHead = "SELECT seq, hash FROM audit_head WHERE id = 1";

    public static AuditRecord Read(SqliteDataReader reader) =>
        new(
            reader.GetInt64(0),
            AuditChain.FromMicroseconds(reader.GetInt64(1)),
            reader.GetString(2),
            reader.GetString(3),
            reader.GetString(4),
            reader.GetString(5),
            (byte[])reader[6],
            (byte[])reader[7]);

    public static AuditHead ReadHead(SqliteDataReader reader) => new(reader.GetInt64(0), (byte[])reader[1]);
}
