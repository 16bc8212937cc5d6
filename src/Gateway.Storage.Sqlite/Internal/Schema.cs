namespace Gateway.Storage.Sqlite.Internal;

/// <summary>
/// The store's tables. Times are Unix microseconds; states are <c>DeliveryState</c>/<c>MessageState</c>/<c>HoldState</c>
/// values; <c>deliveries.kind</c> is its message's <c>MessageKind</c> (5, case update, is what subscribers follow). Delivery states 1 (pending), 4 (in flight) and 6 (retry wait) are "open": they keep later messages of
/// the same case and recipient waiting.
/// </summary>
/// <remarks>
/// Message ids are chosen by senders (random UUIDs), so every index keyed by one takes each insert on a page of its
/// own, and every such page is written to the WAL and again at checkpoint. Only <c>messages.message_id</c> is such an
/// index, and a narrow one: rows live in insertion order under <c>messages.seq</c>, and deliveries and holds point at
/// that, so their indexes grow at one end. Deliveries still carry the message id, unindexed, for what they return.
/// <para>
/// Changes that only add (an index, a state value) keep the version: this script runs at every open and brings a
/// store of the same version up to date. <c>deliveries_held_for_review</c> and delivery state 9 (refused on review)
/// came so, and so did the claim's indexes below. Indexes they replaced (<c>deliveries_waiting</c>,
/// <c>deliveries_in_flight</c>, <c>deliveries_waiting_by_recipient</c>, <c>deliveries_due</c>) are dropped at open, as
/// nothing reads them.
/// </para>
/// <para>
/// A case is its reference and its owner (<c>messages.case_owner</c>, the agency that opened it); <c>case_parties</c>
/// holds who takes part in each, keyed so that the cases under one reference are one range. Both came without a new
/// version: <see cref="CaseOwnership"/> adds the column to an older file and fills both from its messages at open.
/// <c>messages_by_case</c> served the reading of parties from messages, and is dropped.
/// </para>
/// <para>
/// <c>messages.trace_parent</c> is the W3C traceparent a message's delivery attempts continue (<c>NewMessage.TraceParent</c>);
/// <see cref="TraceContextColumn"/> adds it to an older file at open, where the messages already stored keep none.
/// </para>
/// <para>
/// A claim takes the oldest due deliveries by delivery id. <c>deliveries_pending_by_recipient</c> holds pending
/// deliveries, which are due from when they are written, by recipient and then id; <c>deliveries_retrying_by_recipient</c>
/// holds those waiting for a retry by recipient and then retry time. A claim finds the recipients with work in one seek
/// each and reads each one's oldest pending deliveries and its retries that are due; a recipient it skips (its endpoint
/// backed off) costs one seek whatever its backlog, and retries not yet due are not read (when they were, a large
/// backlog slowed every claim of its endpoint: docs/tuning-figures.md). <c>deliveries_leased</c> finds the leases that ran out with one
/// seek. Without these SQLite walked the whole table in id order for every claim, and delivery slowed down as the store
/// grew. <c>deliveries_retry_due</c> tells the dispatcher when the next retry is due; pending deliveries are due already,
/// so it leaves them out, and accepting a message writes one index page fewer.
/// </para>
/// <para>
/// <c>awaited_replies</c> holds one row per recipient of a request that awaits a reply (<c>ReplyDeadlines</c>), keyed
/// by the request's delivery to it, so its key grows at one end like the deliveries'; a row is found by its request and
/// recipient through the deliveries' unique (message, recipient) index. <c>awaited_replies_due</c> holds the open
/// deadlines by due time, which the watcher reads; <c>awaited_replies_overdue</c> those raised overdue and still open,
/// which operators list. Times and <c>closure</c> (<c>ReplyClosure</c>) are as elsewhere.
/// </para>
/// <para>
/// A message's timeline is read without an index on <c>audit.message_id</c>, which would take a random page per entry:
/// <c>audit_by_message</c> files each entry about a stored message under the message's row, written with the entry, so
/// its key grows at the end for a new message and stays among recent rows for its deliveries. A refusal may name a
/// message never stored; refusals are rare and budgeted, so <c>audit_refusals_by_message</c> indexes those by id.
/// <c>messages_by_link</c> finds the replies, withdrawals and releases of a message; only such messages have a link.
/// <c>messages_by_case_seq</c> serves a search by case newest (or oldest) first in one range, whatever the store's size;
/// a case's messages come one after the other, so its writes land at the end of that case's range.
/// </para>
/// </remarks>
internal static class Schema
{
    public const int Version = 3;

    /// <summary>
    /// Run once, when <see cref="Create"/> makes <c>awaited_replies</c> in a store written before it: the requests that
    /// were awaiting a reply by their reply-by (not answered, withdrawn or raised overdue) await it from each recipient.
    /// The columns that recorded it per message (<c>messages.reply_by</c>, <c>answered_at</c>, <c>overdue_at</c>) stay
    /// readable but are no longer written.
    /// </summary>
    public const string BackfillAwaitedReplies = """
        INSERT OR IGNORE INTO awaited_replies (delivery_id, message_seq, recipient, due_at)
        SELECT d.delivery_id, m.seq, d.recipient, m.reply_by FROM messages m JOIN deliveries d ON d.message_seq = m.seq
        WHERE m.reply_by IS NOT NULL AND m.answered_at IS NULL AND m.overdue_at IS NULL AND m.withdrawn_at IS NULL;
        """;

    /// <summary>
    /// Run once, when <see cref="Create"/> makes <c>audit_by_message</c> in a store written before it: every entry about
    /// a stored message is filed under it, and a notice's entry under the message it is about too, as the writer files
    /// them (<see cref="WriterSession.AppendAudit"/>).
    /// </summary>
    public const string BackfillAuditByMessage = """
        INSERT OR IGNORE INTO audit_by_message (message_seq, audit_seq)
        SELECT m.seq, a.seq FROM audit a JOIN messages m ON m.message_id = a.message_id WHERE a.message_id != '';
        INSERT OR IGNORE INTO audit_by_message (message_seq, audit_seq)
        SELECT m.seq, a.seq FROM audit a JOIN messages m ON m.message_id = json_extract(a.detail, '$.about')
        WHERE a.kind = 'notice.issued' AND json_valid(a.detail);
        """;

    public const string Create = """
        CREATE TABLE IF NOT EXISTS messages (
            seq            INTEGER PRIMARY KEY,
            message_id     TEXT NOT NULL UNIQUE,
            kind           INTEGER NOT NULL,
            case_reference TEXT NOT NULL,
            sender         TEXT NOT NULL,
            recipients     TEXT NOT NULL,
            content_hash   BLOB NOT NULL,
            payload        BLOB NOT NULL,
            created_at     INTEGER NOT NULL,
            accepted_at    INTEGER NOT NULL,
            audit_sequence INTEGER NOT NULL,
            state          INTEGER NOT NULL,
            reply_by       INTEGER,
            answered_at    INTEGER,
            overdue_at     INTEGER,
            withdrawn_at   INTEGER,
            link_kind      INTEGER,
            link_target    TEXT,
            case_owner     TEXT,
            trace_parent   TEXT
        );
        DROP INDEX IF EXISTS messages_by_case;
        DROP INDEX IF EXISTS messages_awaiting_reply;
        CREATE TABLE IF NOT EXISTS deliveries (
            delivery_id     INTEGER PRIMARY KEY,
            message_seq     INTEGER NOT NULL,
            message_id      TEXT NOT NULL,
            kind            INTEGER NOT NULL,
            recipient       TEXT NOT NULL,
            case_reference  TEXT NOT NULL,
            state           INTEGER NOT NULL,
            attempts        INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER NOT NULL,
            lease_owner     TEXT,
            lease_until     INTEGER,
            created_at      INTEGER NOT NULL,
            last_error      TEXT,
            replayed        INTEGER NOT NULL DEFAULT 0,
            finished_at     INTEGER,
            UNIQUE (message_seq, recipient)
        );
        CREATE INDEX IF NOT EXISTS deliveries_retry_due ON deliveries (next_attempt_at) WHERE state = 6;
        DROP INDEX IF EXISTS deliveries_due;
        CREATE INDEX IF NOT EXISTS deliveries_pending_by_recipient ON deliveries (recipient, delivery_id, next_attempt_at) WHERE state = 1;
        CREATE INDEX IF NOT EXISTS deliveries_retrying_by_recipient ON deliveries (recipient, next_attempt_at, delivery_id) WHERE state = 6;
        DROP INDEX IF EXISTS deliveries_waiting_by_recipient;
        DROP INDEX IF EXISTS deliveries_waiting;
        CREATE INDEX IF NOT EXISTS deliveries_leased ON deliveries (lease_until) WHERE state = 4;
        DROP INDEX IF EXISTS deliveries_in_flight;
        CREATE INDEX IF NOT EXISTS deliveries_open_by_case ON deliveries (recipient, case_reference, delivery_id) WHERE state IN (1, 4, 6);
        CREATE INDEX IF NOT EXISTS deliveries_dead ON deliveries (delivery_id) WHERE state = 7;
        CREATE INDEX IF NOT EXISTS deliveries_feed ON deliveries (recipient, delivery_id) WHERE kind = 5;
        CREATE INDEX IF NOT EXISTS deliveries_held_for_review ON deliveries (message_seq) WHERE state = 3;
        CREATE TABLE IF NOT EXISTS holds (
            referral_seq        INTEGER PRIMARY KEY,
            referral_message_id TEXT NOT NULL,
            release_party       TEXT NOT NULL,
            owner               TEXT NOT NULL,
            state               INTEGER NOT NULL,
            resolved_by         TEXT,
            resolved_at         INTEGER
        );
        CREATE TABLE IF NOT EXISTS awaited_replies (
            delivery_id INTEGER PRIMARY KEY,
            message_seq INTEGER NOT NULL,
            recipient   TEXT NOT NULL,
            due_at      INTEGER NOT NULL,
            closed_at   INTEGER,
            closure     INTEGER,
            closed_by   TEXT,
            overdue_at  INTEGER
        );
        CREATE INDEX IF NOT EXISTS awaited_replies_due ON awaited_replies (due_at) WHERE closed_at IS NULL AND overdue_at IS NULL;
        CREATE INDEX IF NOT EXISTS awaited_replies_overdue ON awaited_replies (due_at, delivery_id) WHERE overdue_at IS NOT NULL AND closed_at IS NULL;
        CREATE TABLE IF NOT EXISTS case_parties (
            case_reference TEXT NOT NULL,
            party          TEXT NOT NULL,
            owner          TEXT NOT NULL,
            PRIMARY KEY (case_reference, party, owner)
        ) WITHOUT ROWID;
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
        CREATE TABLE IF NOT EXISTS audit_by_message (
            message_seq INTEGER NOT NULL,
            audit_seq   INTEGER NOT NULL,
            PRIMARY KEY (message_seq, audit_seq)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS audit_refusals_by_message ON audit (message_id) WHERE kind = 'intake.refused';
        CREATE INDEX IF NOT EXISTS messages_by_link ON messages (link_target) WHERE link_target IS NOT NULL;
        CREATE INDEX IF NOT EXISTS messages_by_case_seq ON messages (case_reference, seq);
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
