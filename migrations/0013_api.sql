-- 0013: the HTTP API's tokens, its idempotency keys, and deals' ids in
-- the systems they come from (docs/API.md).
--
-- api_tokens: a bearer token is 256 random bits shown once; only its
-- SHA-256 (64 lower-case hex digits) is kept, so a copy of the database
-- lets no one call the API.  scope: read (GETs) or write (everything).
-- last_used_at is touched at most once a minute per token.
CREATE TABLE api_tokens (
	id           INTEGER PRIMARY KEY,
	name         TEXT NOT NULL UNIQUE,
	scope        TEXT NOT NULL CHECK (scope IN ('read', 'write')),
	hash         TEXT NOT NULL UNIQUE,
	created_at   INTEGER NOT NULL,
	last_used_at INTEGER
);

-- A POST's Idempotency-Key, per token: the first response, kept (at
-- least 24 hours) to answer a retry with it; request_hash is the
-- SHA-256 of method, path and body, so a key reused for another request
-- is told apart (422).  Rows go with their token.
CREATE TABLE api_idempotency (
	token_id     INTEGER NOT NULL REFERENCES api_tokens(id)
	             ON DELETE CASCADE,
	key          TEXT NOT NULL,
	request_hash TEXT NOT NULL,
	status       INTEGER NOT NULL,
	body         TEXT NOT NULL,
	created_at   INTEGER NOT NULL,
	PRIMARY KEY (token_id, key)
);
CREATE INDEX api_idempotency_created ON api_idempotency(created_at);

-- A deal's id in the CRM or shop it came from: one deal per (source,
-- external_id), so the same "won" event sent twice is one deal.
CREATE TABLE deal_external_ids (
	source      TEXT NOT NULL,
	external_id TEXT NOT NULL,
	deal_id     INTEGER NOT NULL REFERENCES deals(id),
	PRIMARY KEY (source, external_id)
);
