-- 0012: contacts and stay-in-touch cadences.
--
-- A contact is a touch of an account: logged with `nudge contact`, or
-- made by a follow-up marked done, a promise kept or a deal won (source
-- and source_id name that record).  The last touch starts an account's
-- stay-in-touch clock (lib/cadence.c); its reminder is an ordinary
-- follow-up with rule 'cadence:NAME', so it needs no table of its own.
CREATE TABLE contacts (
	id          INTEGER PRIMARY KEY,
	account_id  INTEGER NOT NULL REFERENCES accounts(id),
	at          INTEGER NOT NULL,   -- when the touch happened
	owner       TEXT NOT NULL,      -- who made it (a handle)
	with_person TEXT,               -- whom they spoke to
	note        TEXT,
	source      TEXT NOT NULL DEFAULT 'contact'
	            CHECK (source IN ('contact', 'followup', 'promise', 'deal')),
	source_id   INTEGER,
	created_at  INTEGER NOT NULL
);
-- The last touch of an account, and its touches over a period.
CREATE INDEX contacts_account_at ON contacts(account_id, at);

-- A paused account gets no stay-in-touch reminder: until paused_until,
-- or (NULL) until it is resumed.  paused_at NULL: not paused.
ALTER TABLE accounts ADD COLUMN paused_at INTEGER;
ALTER TABLE accounts ADD COLUMN paused_until INTEGER;
