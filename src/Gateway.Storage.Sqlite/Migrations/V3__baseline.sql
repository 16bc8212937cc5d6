-- Schema version 3: the store as the gateway wrote it before migrations came, and its baseline. Every statement is
-- idempotent, so that a file written at version 3 before this changelog (which has every table and column of it, as its
-- columns were added at open then) is completed and recorded, not rebuilt; SchemaMigrator adds the
-- two columns such a file may lack first, as SQLite cannot add a column only where it is missing.
-- The tables a version-3 file may lack, as the backfills below ask what it had before this script.
CREATE TEMP TABLE version_3_tables AS SELECT name FROM sqlite_master WHERE type = 'table';
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

-- A file written before awaited_replies: the requests that were awaiting a reply by their reply-by (not answered,
-- withdrawn or raised overdue) await it from each recipient. messages.reply_by, answered_at and overdue_at stay
-- readable but are no longer written.
INSERT OR IGNORE INTO awaited_replies (delivery_id, message_seq, recipient, due_at)
SELECT d.delivery_id, m.seq, d.recipient, m.reply_by FROM messages m JOIN deliveries d ON d.message_seq = m.seq
WHERE m.reply_by IS NOT NULL AND m.answered_at IS NULL AND m.overdue_at IS NULL AND m.withdrawn_at IS NULL
    AND NOT EXISTS (SELECT 1 FROM version_3_tables WHERE name = 'awaited_replies');

-- A file written before audit_by_message: every entry about a stored message is filed under it, and a notice's entry
-- under the message it is about too, as the writer files them (WriterSession.AppendAudit).
INSERT OR IGNORE INTO audit_by_message (message_seq, audit_seq)
SELECT m.seq, a.seq FROM audit a JOIN messages m ON m.message_id = a.message_id WHERE a.message_id != ''
    AND NOT EXISTS (SELECT 1 FROM version_3_tables WHERE name = 'audit_by_message');
INSERT OR IGNORE INTO audit_by_message (message_seq, audit_seq)
SELECT m.seq, a.seq FROM audit a JOIN messages m ON m.message_id = json_extract(a.detail, '$.about')
WHERE a.kind = 'notice.issued' AND json_valid(a.detail)
    AND NOT EXISTS (SELECT 1 FROM version_3_tables WHERE name = 'audit_by_message');

-- A file written before cases had owners: each reference's messages are one case, owned by the sender of its first
-- message, whose parties are every sender and recipient of them. That is what the gateway took a case to be then, so no
-- agency gains or loses a case by the upgrade. Notices (kind 10) are the gateway's own, outside any agency's case.
CREATE TEMP TABLE unowned_cases AS
    SELECT m.case_reference, m.sender AS owner FROM messages m
    WHERE m.case_owner IS NULL AND m.kind != 10 AND m.seq = (
        SELECT min(f.seq) FROM messages f WHERE f.case_reference = m.case_reference AND f.case_owner IS NULL AND f.kind != 10);
WITH RECURSIVE parties (case_reference, party, rest) AS (
    SELECT case_reference, sender, recipients || ',' FROM messages WHERE case_owner IS NULL AND kind != 10
    UNION ALL
    SELECT case_reference, substr(rest, 1, instr(rest, ',') - 1), substr(rest, instr(rest, ',') + 1) FROM parties WHERE rest != ''
)
INSERT OR IGNORE INTO case_parties (case_reference, party, owner)
    SELECT p.case_reference, p.party, o.owner FROM parties p JOIN unowned_cases o ON o.case_reference = p.case_reference
    WHERE p.party != '';
UPDATE messages SET case_owner = (SELECT o.owner FROM unowned_cases o WHERE o.case_reference = messages.case_reference)
    WHERE case_owner IS NULL AND kind != 10;
DROP TABLE unowned_cases;
DROP TABLE version_3_tables;
PRAGMA user_version = 3;
