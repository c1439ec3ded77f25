/*
 * The HTTP API's bearer tokens (migration 0013): 256 random bits shown
 * once, as "nudge_" and 64 hex digits; the table keeps a name, a scope
 * (read or write) and the secret's SHA-256, never the secret.
 */
#ifndef NUDGE_TOKEN_H
#define NUDGE_TOKEN_H

#include <stdint.h>
#include <time.h>

struct store;

#define TOKEN_PREFIX "nudge_"
#define TOKEN_SECRET_LEN (sizeof(TOKEN_PREFIX) - 1 + 64)
#define TOKEN_HASH_LEN 64
#define TOKEN_NAME_MAX 48      /* "via API: NAME" fits an event's actor */

struct api_token {
	int64_t id;
	char *name;
	char *scope;            /* "read", "write" */
	int64_t created_at;
	int64_t last_used_at;   /* 0: never */
};

/* A name people and logs can show: 1 to TOKEN_NAME_MAX of [A-Za-z0-9._-]. */
int token_name_check(const char *name, char **errp);
/* 1 when scope is one a token may have: "read" or "write". */
int token_scope_ok(const char *scope);
/* A new secret from getrandom() into buf (TOKEN_SECRET_LEN + 1). */
int token_secret_make(char *buf, char **errp);
/* SHA-256 of the secret as lower-case hex into hex (TOKEN_HASH_LEN + 1). */
void token_hash(const char *secret, char *hex);

/* Caller holds the transaction.  0, 1 for a name in use (refused, with
 * the message), -1 failed. */
int token_insert(struct store *st, const char *name, const char *scope,
    const char *hash, time_t now, struct api_token *out, char **errp);
/* 0 removed (its idempotency keys go with it), 1 "no token named
 * NAME", -1 failed. */
int token_delete(struct store *st, const char *name, char **errp);
int token_list(struct store *st, struct api_token **v, size_t *n,
    char **errp);
/* The token whose secret this is: 1 found (*out filled, last use
 * touched when a minute old), 0 none, -1 failed. */
int token_auth(struct store *st, const char *secret, time_t now,
    struct api_token *out, char **errp);
void token_clear(struct api_token *t);
void token_list_free(struct api_token *v, size_t n);

#endif
