-- The delivery queue's indexes, partial on the states each read looks for (the SQLite store's, Migrations/ there):
-- a claim's due deliveries, the older open deliveries of a case that keep a later one back, leases that ran out, and
-- the next retry's time. They hold open deliveries only, so they stay small however many deliveries were ever made.

CREATE INDEX deliveries_pending ON deliveries (delivery_id) WHERE state = 1;
CREATE INDEX deliveries_retry_due ON deliveries (next_attempt_at) WHERE state = 6;
CREATE INDEX deliveries_leased ON deliveries (lease_until) WHERE state = 4;
CREATE INDEX deliveries_open_by_case ON deliveries (recipient, case_reference, delivery_id) WHERE state IN (1, 4, 6);
