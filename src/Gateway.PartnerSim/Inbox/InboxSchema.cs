namespace Gateway.PartnerSim.Inbox;

/// <summary>
/// The inbox tables. <c>applied.seq</c> is the application order; times are ISO 8601 UTC text, readable in any SQLite
/// shell. <c>answered</c> holds the deliveries the agency refused or asked a question about instead of applying them;
/// <c>notices</c> what each notice from the gateway (also in <c>applied</c>) says, with the refusal's text or the question.
/// </summary>
public static class InboxSchema
{
    public const string Create = """
        CREATE TABLE IF NOT EXISTS applied (
            seq            INTEGER PRIMARY KEY,
            message_id     TEXT NOT NULL UNIQUE,
            delivery_id    TEXT NOT NULL,
            payload_kind   TEXT NOT NULL,
            case_reference TEXT NOT NULL,
            sender         TEXT NOT NULL,
            recipient      TEXT NOT NULL,
            prepare_only   INTEGER NOT NULL,
            late           INTEGER NOT NULL,
            replayed       INTEGER NOT NULL,
            attempt        INTEGER NOT NULL,
            received_at    TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS duplicates (
            message_id        TEXT PRIMARY KEY NOT NULL,
            count             INTEGER NOT NULL,
            last_delivery_id  TEXT NOT NULL,
            last_received_at  TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS answered (
            message_id     TEXT PRIMARY KEY NOT NULL,
            delivery_id    TEXT NOT NULL,
            payload_kind   TEXT NOT NULL,
            case_reference TEXT NOT NULL,
            sender         TEXT NOT NULL,
            outcome        TEXT NOT NULL,
            attempt        INTEGER NOT NULL,
            received_at    TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS notices (
            message_id       TEXT PRIMARY KEY NOT NULL,
            notice_kind      TEXT NOT NULL,
            about_message_id TEXT NOT NULL,
            recipient        TEXT NOT NULL,
            reason           TEXT,
            text             TEXT
        );
        """;
}
