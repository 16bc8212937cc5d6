-- The tables acceptance writes and the audit chain, with the SQLite store's columns and meanings
-- (src/Gateway.Storage.Sqlite/Internal/Schema.cs). Times are Unix microseconds in bigint, as there: the audit chain
-- hashes them at that precision (AuditChain.ToMicroseconds), and a timestamptz would round-trip them only by conversion.
-- States are the Core enums' values. The indexes that claims, the feed and the reply-deadline scan read come with
-- the migrations of the slices that add those reads.

CREATE TABLE messages (
    seq            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_id     text NOT NULL UNIQUE,
    kind           integer NOT NULL,
    case_reference text NOT NULL,
    sender         text NOT NULL,
    recipients     text NOT NULL,
    content_hash   bytea NOT NULL,
    -- Sealed under messages.payload and the message id (ColumnSeal) when the gateway has data keys.
    payload        bytea NOT NULL,
    created_at     bigint NOT NULL,
    accepted_at    bigint NOT NULL,
    audit_sequence bigint NOT NULL,
    state          integer NOT NULL,
    withdrawn_at   bigint,
    link_kind      integer,
    link_target    text,
    case_owner     text,
    trace_parent   text
);
CREATE INDEX messages_by_link ON messages (link_target) WHERE link_target IS NOT NULL;
CREATE INDEX messages_by_case_seq ON messages (case_reference, seq);

CREATE TABLE deliveries (
    delivery_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_seq     bigint NOT NULL REFERENCES messages (seq),
    message_id      text NOT NULL,
    kind            integer NOT NULL,
    recipient       text NOT NULL,
    case_reference  text NOT NULL,
    state           integer NOT NULL,
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at bigint NOT NULL,
    lease_owner     text,
    lease_until     bigint,
    created_at      bigint NOT NULL,
    -- bytea either way: sealed under deliveries.last_error and the delivery id, or the UTF-8 text without data keys
    -- (a sealed value starts with its version byte, which no text does). SQLite tells the two apart by BLOB and TEXT.
    last_error      bytea,
    replayed        boolean NOT NULL DEFAULT false,
    finished_at     bigint,
    UNIQUE (message_seq, recipient)
);

CREATE TABLE holds (
    referral_seq        bigint PRIMARY KEY REFERENCES messages (seq),
    referral_message_id text NOT NULL,
    release_party       text NOT NULL,
    owner               text NOT NULL,
    state               integer NOT NULL,
    resolved_by         text,
    resolved_at         bigint
);

CREATE TABLE awaited_replies (
    delivery_id bigint PRIMARY KEY REFERENCES deliveries (delivery_id),
    message_seq bigint NOT NULL,
    recipient   text NOT NULL,
    due_at      bigint NOT NULL,
    closed_at   bigint,
    closure     integer,
    closed_by   text,
    overdue_at  bigint
);

CREATE TABLE case_parties (
    case_reference text NOT NULL,
    party          text NOT NULL,
    owner          text NOT NULL,
    PRIMARY KEY (case_reference, party, owner)
);

CREATE TABLE audit (
    seq        bigint PRIMARY KEY,
    at         bigint NOT NULL,
    kind       text NOT NULL,
    actor      text NOT NULL,
    message_id text NOT NULL,
    detail     text NOT NULL,
    prev_hash  bytea NOT NULL,
    hash       bytea NOT NULL
);
CREATE INDEX audit_refusals_by_message ON audit (message_id) WHERE kind = 'intake.refused';

CREATE TABLE audit_by_message (
    message_seq bigint NOT NULL,
    audit_seq   bigint NOT NULL,
    PRIMARY KEY (message_seq, audit_seq)
);

-- The chain's head: the one row every writer locks (SELECT ... FOR UPDATE) before it appends, which orders the
-- appends of all gateway instances into one chain. It exists from the start, so that the first writers wait on it too.
CREATE TABLE audit_head (
    id   integer PRIMARY KEY CHECK (id = 1),
    seq  bigint NOT NULL,
    hash bytea NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, decode(repeat('00', 32), 'hex'));

CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only';
END
$$;
CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_append_only_truncate BEFORE TRUNCATE ON audit FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
