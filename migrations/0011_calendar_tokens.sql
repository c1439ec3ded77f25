-- 0011: the secret addresses of the calendar feeds (lib/calendar_token.c).
--
-- A feed's address holds a random token; only its SHA-256 is kept here,
-- so a copy of the database does not give the addresses away.  A person
-- has at most one live token; a revoked one stays, with when, for the
-- record, and a feed asked for by it is refused.
CREATE TABLE calendar_tokens (
	id         INTEGER PRIMARY KEY,
	owner      TEXT NOT NULL,           -- a person's handle
	token_hash TEXT NOT NULL UNIQUE,    -- lower-case hex SHA-256
	created_at INTEGER NOT NULL,
	revoked_at INTEGER
);
CREATE UNIQUE INDEX calendar_tokens_live ON calendar_tokens(owner)
	WHERE revoked_at IS NULL;
