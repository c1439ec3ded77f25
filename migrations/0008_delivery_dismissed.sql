-- 0008: a dead
-- delivery can be dismissed, marked handled by a person.  `nudge status`
-- counts only the dead ones nobody has handled, so it goes back to zero
-- once each is retried or dismissed; who did it, when and why is in the
-- events table (subject 'delivery'), as every change people make is.
--
-- A state of its own rather than a column: the counts of `nudge status`
-- and nudged's STATUS= stay one walk of deliveries_open grouped by state
-- (a dismissed_at column would have to be read from each dead row).  A
-- dismissed row stays in deliveries_open, as a dead one does.
--
-- A CHECK changes only with a new table (as in 0005 and 0007): the rows,
-- their ids and delivery ids are copied as they are.  'dismissed' is
-- compared last, so the states written in a burst cost what they did.
CREATE TABLE deliveries_new (
	id              INTEGER PRIMARY KEY,
	followup_id     INTEGER NOT NULL REFERENCES followups(id),
	channel         TEXT NOT NULL,
	round           INTEGER NOT NULL DEFAULT 0,
	delivery_id     TEXT NOT NULL,
	state           TEXT NOT NULL DEFAULT 'queued'
	                CHECK (state = 'queued' OR state = 'sending' OR
	                       state = 'delivered' OR state = 'retry' OR
	                       state = 'dead' OR state = 'dismissed'),
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
