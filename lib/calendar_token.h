/*
 * The secret addresses of the calendar feeds: a random token per person,
 * of which the database keeps only the SHA-256 (a copy of the database
 * does not give the addresses away), revocable.  The table is
 * calendar_tokens (migrations/0011).
 */
#ifndef NUDGE_CALENDAR_TOKEN_H
#define NUDGE_CALENDAR_TOKEN_H

#include <stdint.h>
#include <time.h>

struct store;

/* A token is 32 random bytes as 64 lower-case hex digits; its hash the
 * same length. */
#define CALENDAR_TOKEN_LEN 64

/* A new token from the kernel's random source into tok (LEN + 1). */
int calendar_token_new(char *tok, char **errp);
/* 1 when s has a token's shape (so a lookup is worth making), else 0. */
int calendar_token_shape(const char *s);
/* The hex SHA-256 of tok into hash (LEN + 1). */
int calendar_token_hash(const char *tok, char *hash, char **errp);

/* When owner's live token was made: 1 with *created_at, 0 when owner has
 * none, -1 on error. */
int calendar_token_live(struct store *st, const char *owner,
    int64_t *created_at, char **errp);
/* The owner of a live token with this hash: 1 with *owner (caller frees),
 * 0 when there is none (unknown or revoked), -1 on error. */
int calendar_token_owner(struct store *st, const char *hash, char **owner,
    char **errp);
/* Keep hash as owner's live token (owner has none) and log
 * calendar.created; *id is its row.  Caller holds the transaction. */
int calendar_token_insert(struct store *st, const char *owner,
    const char *hash, time_t now, int64_t *id, char **errp);
/* Revoke owner's live token, if any, and log calendar.revoked: *id is
 * its row, 0 when there was none.  Caller holds the transaction. */
int calendar_token_revoke(struct store *st, const char *owner, time_t now,
    int64_t *id, char **errp);

#endif
