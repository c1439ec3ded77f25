-- 0001: the records people log.  Times are UTC epoch seconds.  Owners are
-- person handles from the configuration (people live in the config, not here).

CREATE TABLE accounts (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
	created_at INTEGER NOT NULL
);

CREATE TABLE deals (
	id          INTEGER PRIMARY KEY,
	title       TEXT NOT NULL,
	account_id  INTEGER NOT NULL REFERENCES accounts(id),
	owner       TEXT NOT NULL,
	stage       TEXT NOT NULL DEFAULT 'open'
	            CHECK (stage IN ('open', 'won', 'lost')),
	value_minor INTEGER,            -- amount in minor units (cents)
	currency    TEXT,
	closes_at   INTEGER,            -- expected close (deal.closing)
	closed_at   INTEGER,            -- when it was won or lost
	created_at  INTEGER NOT NULL,
	updated_at  INTEGER NOT NULL
);
CREATE INDEX deals_owner_stage ON deals(owner, stage);
CREATE INDEX deals_account ON deals(account_id);

CREATE TABLE promises (
	id            INTEGER PRIMARY KEY,
	text          TEXT NOT NULL,
	owner         TEXT NOT NULL,
	account_id    INTEGER NOT NULL REFERENCES accounts(id),
	deal_id       INTEGER REFERENCES deals(id),
	promised_to   TEXT,
	made_at       INTEGER NOT NULL,  -- when the promise was given
	due_at        INTEGER NOT NULL,  -- what the customer was told
	target_at     INTEGER NOT NULL,  -- our earlier internal target
	state         TEXT NOT NULL DEFAULT 'open'
	              CHECK (state IN ('open', 'kept', 'broken', 'cancelled')),
	kept_at       INTEGER,
	renegotiated  INTEGER NOT NULL DEFAULT 0,
	created_at    INTEGER NOT NULL,
	updated_at    INTEGER NOT NULL
);
CREATE INDEX promises_state_due ON promises(state, due_at);
CREATE INDEX promises_owner_state_due ON promises(owner, state, due_at);

-- A follow-up is a reminder to a person to do something at a moment.
-- Rule-made ones carry the rule name and a unique occurrence key
-- (rule, subject, occurrence) so rescheduling can never duplicate them.
CREATE TABLE followups (
	id          INTEGER PRIMARY KEY,
	owner       TEXT NOT NULL,
	text        TEXT NOT NULL,
	account_id  INTEGER REFERENCES accounts(id),
	deal_id     INTEGER REFERENCES deals(id),
	promise_id  INTEGER REFERENCES promises(id),
	due_at      INTEGER NOT NULL,   -- the moment asked for
	remind_at   INTEGER NOT NULL,   -- due_at moved into the owner's hours
	state       TEXT NOT NULL DEFAULT 'pending'
	            CHECK (state IN ('pending', 'notified', 'done', 'cancelled')),
	rule        TEXT,
	occurrence  TEXT UNIQUE,
	snoozes     INTEGER NOT NULL DEFAULT 0,
	note        TEXT,
	done_at     INTEGER,
	created_at  INTEGER NOT NULL,
	updated_at  INTEGER NOT NULL
);
CREATE INDEX followups_state_remind ON followups(state, remind_at);
CREATE INDEX followups_owner_state_remind ON followups(owner, state, remind_at);

-- Append-only audit log; also the scheduler's input (it keeps a cursor).
CREATE TABLE events (
	id           INTEGER PRIMARY KEY,
	at           INTEGER NOT NULL,
	kind         TEXT NOT NULL,     -- deal.created, deal.won, promise.kept ...
	subject_type TEXT NOT NULL,     -- deal, promise, followup, account
	subject_id   INTEGER NOT NULL,
	actor        TEXT,              -- who did it ($USER for the CLI)
	data         TEXT               -- JSON detail
);
CREATE INDEX events_subject ON events(subject_type, subject_id);
CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
