-- 0005: two indexes that every write paid for and no query searched
-- (two full scans walked them for their order; they scan the table now).
--
-- followups_owner_state_remind: the queries by owner all allow "any
-- owner" ("?1 IS NULL OR owner = ?1"), so SQLite never searched it; it
-- only cost two B-tree writes for each state change of a follow-up (a
-- burst of reminders moves every one pending -> notified).
DROP INDEX followups_owner_state_remind;

-- deliveries.delivery_id was UNIQUE: an index of a value built from
-- (followup_id, channel, round), which is unique already, and nothing
-- looks a delivery up by it.  A UNIQUE column's index goes only with a
-- new table; the rows, ids and delivery ids are copied as they are.
CREATE TABLE deliveries_new (
	id              INTEGER PRIMARY KEY,
	followup_id     INTEGER NOT NULL REFERENCES followups(id),
	channel         TEXT NOT NULL,
	round           INTEGER NOT NULL DEFAULT 0,
	delivery_id     TEXT NOT NULL,
	state           TEXT NOT NULL DEFAULT 'queued'
	                CHECK (state IN ('queued', 'sending', 'delivered', 'retry', 'dead')),
	attempts        INTEGER NOT NULL DEFAULT 0,
	next_attempt_at INTEGER NOT NULL,
	last_error      TEXT,
	delivered_at    INTEGER,
	created_at      INTEGER NOT NULL,
	updated_at      INTEGER NOT NULL,
	UNIQUE (followup_id, channel, round)
);
INSERT INTO deliveries_new (id, followup_id, channel, round, delivery_id,
    state, attempts, next_attempt_at, last_error, delivered_at, created_at,
    updated_at)
SELECT id, followup_id, channel, round, delivery_id, state, attempts,
    next_attempt_at, last_error, delivered_at, created_at, updated_at
FROM deliveries;
DROP TABLE deliveries;
ALTER TABLE deliveries_new RENAME TO deliveries;
CREATE INDEX deliveries_open ON deliveries(state, next_attempt_at)
    WHERE state <> 'delivered';
