-- 0002: the delivery outbox and the daemon's own state.

-- One row per follow-up per channel per round (a snoozed follow-up is
-- reminded again: a new round).  delivery_id is stable across retries
-- and crashes (webhook-id header, email Message-ID) so receivers can drop
-- duplicates.
CREATE TABLE deliveries (
	id              INTEGER PRIMARY KEY,
	followup_id     INTEGER NOT NULL REFERENCES followups(id),
	channel         TEXT NOT NULL,
	round           INTEGER NOT NULL DEFAULT 0,
	delivery_id     TEXT NOT NULL UNIQUE,
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
CREATE INDEX deliveries_state_next ON deliveries(state, next_attempt_at);

-- Single row: heartbeat for `nudge status`, and the scheduler's cursor into
-- the event log.
CREATE TABLE daemon (
	id           INTEGER PRIMARY KEY CHECK (id = 1),
	pid          INTEGER,
	version      TEXT,
	started_at   INTEGER,
	heartbeat_at INTEGER,
	event_cursor INTEGER NOT NULL DEFAULT 0
);
INSERT INTO daemon (id) VALUES (1);
