-- 0007: the state checks of the two tables the daemon writes in a burst
-- compare with each value in turn instead of `state IN (...)`.
--
-- SQLite (3.40) evaluates a CHECK's `IN (list of more than two values)`
-- by building a temporary table of the list, and in a CHECK it builds it
-- again for every row written (OpenEphemeral inside the row loop): each
-- follow-up marked notified and each delivery queued, claimed and marked
-- delivered paid for a B-tree page cleared and five inserts, an eighth
-- of nudged's instructions in a burst.  An OR of comparisons accepts the
-- same values and costs a few steps.
--
-- A CHECK changes only with a new table.  The rows, their ids and every
-- index are copied as they are (migrate.c runs a step with foreign keys
-- off, as SQLite's procedure for this asks, and checks them before it
-- commits).  deals.stage and promises.state keep their lists: they are
-- written one row per command.
CREATE TABLE followups_new (
	id          INTEGER PRIMARY KEY,
	owner       TEXT NOT NULL,
	text        TEXT NOT NULL,
	account_id  INTEGER REFERENCES accounts(id),
	deal_id     INTEGER REFERENCES deals(id),
	promise_id  INTEGER REFERENCES promises(id),
	due_at      INTEGER NOT NULL,   -- the moment asked for
	remind_at   INTEGER NOT NULL,   -- due_at moved into the owner's hours
	state       TEXT NOT NULL DEFAULT 'pending'
	            CHECK (state = 'pending' OR state = 'notified' OR
	                   state = 'done' OR state = 'cancelled'),
	rule        TEXT,
	occurrence  TEXT UNIQUE,
	snoozes     INTEGER NOT NULL DEFAULT 0,
	note        TEXT,
	done_at     INTEGER,
	created_at  INTEGER NOT NULL,
	updated_at  INTEGER NOT NULL,
	folded_into INTEGER REFERENCES followups(id)
);
INSERT INTO followups_new (id, owner, text, account_id, deal_id, promise_id,
    due_at, remind_at, state, rule, occurrence, snoozes, note, done_at,
    created_at, updated_at, folded_into)
SELECT id, owner, text, account_id, deal_id, promise_id, due_at, remind_at,
    state, rule, occurrence, snoozes, note, done_at, created_at, updated_at,
    folded_into
FROM followups;
DROP TABLE followups;
ALTER TABLE followups_new RENAME TO followups;
CREATE INDEX followups_state_remind ON followups(state, remind_at);
CREATE INDEX followups_account_rule ON followups(account_id, rule)
    WHERE rule IS NOT NULL;

CREATE TABLE deliveries_new (
	id              INTEGER PRIMARY KEY,
	followup_id     INTEGER NOT NULL REFERENCES followups(id),
	channel         TEXT NOT NULL,
	round           INTEGER NOT NULL DEFAULT 0,
	delivery_id     TEXT NOT NULL,
	state           TEXT NOT NULL DEFAULT 'queued'
	                CHECK (state = 'queued' OR state = 'sending' OR
	                       state = 'delivered' OR state = 'retry' OR
	                       state = 'dead'),
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
