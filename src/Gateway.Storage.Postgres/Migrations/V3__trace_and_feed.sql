-- What the trace, the update feed and the operators' lists read, with the SQLite store's index names and conditions
-- (IF NOT EXISTS: the delivery slice's migration may have made one already), and the wake-up of flow readers.

CREATE INDEX IF NOT EXISTS deliveries_dead ON deliveries (delivery_id) WHERE state = 7;
CREATE INDEX IF NOT EXISTS deliveries_feed ON deliveries (recipient, delivery_id) WHERE kind = 5;
CREATE INDEX IF NOT EXISTS deliveries_held_for_review ON deliveries (message_seq) WHERE state = 3;
CREATE INDEX IF NOT EXISTS awaited_replies_due ON awaited_replies (due_at) WHERE closed_at IS NULL AND overdue_at IS NULL;
CREATE INDEX IF NOT EXISTS awaited_replies_overdue ON awaited_replies (due_at, delivery_id) WHERE overdue_at IS NOT NULL AND closed_at IS NULL;

-- Every transaction that appends to the audit chain moves its head (ChangeTransaction.CommitAsync). A NOTIFY is sent
-- when its transaction commits, never before and never for one rolled back, so a listener on any instance learns of
-- each committed head, and a flow waiting for the next entry wakes without polling.
CREATE FUNCTION audit_head_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('audit_head', NEW.seq::text);
    RETURN NULL;
END
$$;
CREATE TRIGGER audit_head_advanced AFTER UPDATE ON audit_head FOR EACH ROW EXECUTE FUNCTION audit_head_notify();
