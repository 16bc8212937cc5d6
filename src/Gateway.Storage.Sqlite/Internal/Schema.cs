namespace Gateway.Storage.Sqlite.Internal;

/// <summary>The store's tables. Times are Unix microseconds; states are <c>DeliveryState</c>/<c>MessageState</c> values.</summary>
internal static class Schema
{
    public const int Version = 1;

    public const string Create = """
        CREATE TABLE IF NOT EXISTS messages (
            message_id     TEXT PRIMARY KEY NOT NULL,
            kind           INTEGER NOT NULL,
            case_reference TEXT NOT NULL,
            sender         TEXT NOT NULL,
            recipients     TEXT NOT NULL,
            content_hash   BLOB NOT NULL,
            payload        BLOB NOT NULL,
            created_at     INTEGER NOT NULL,
            accepted_at    INTEGER NOT NULL,
            audit_sequence INTEGER NOT NULL,
            state          INTEGER NOT NULL
        );
        CREATE TABLE IF NOT EXISTS deliveries (
            delivery_id     INTEGER PRIMARY KEY,
            message_id      TEXT NOT NULL,
            recipient       TEXT NOT NULL,
            case_reference  TEXT NOT NULL,
            state           INTEGER NOT NULL,
            attempts        INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER NOT NULL,
            lease_owner     TEXT,
            lease_until     INTEGER,
            UNIQUE (message_id, recipient)
        );
        CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries (state, next_attempt_at);
        CREATE TABLE IF NOT EXISTS audit (
            seq        INTEGER PRIMARY KEY,
            at         INTEGER NOT NULL,
            kind       TEXT NOT NULL,
            actor      TEXT NOT NULL,
            message_id TEXT NOT NULL,
            detail     TEXT NOT NULL,
            prev_hash  BLOB NOT NULL,
            hash       BLOB NOT NULL
        );
        CREATE TABLE IF NOT EXISTS audit_head (
            id   INTEGER PRIMARY KEY CHECK (id = 1),
            seq  INTEGER NOT NULL,
            hash BLOB NOT NULL
        );
        CREATE TRIGGER IF NOT EXISTS audit_append_only_update BEFORE UPDATE ON audit
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        CREATE TRIGGER IF NOT EXISTS audit_append_only_delete BEFORE DELETE ON audit
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        """;
}
