/*
 * The HTTP API's Idempotency-Key (migration 0013): a POST's first
 * response kept per token and key, so a client's retry gets it again
 * and nothing is written twice.  Kept IDEM_KEEP seconds (at least the
 * 24 hours docs/API.md promises).
 */
#ifndef NUDGE_IDEM_H
#define NUDGE_IDEM_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct store;

#define IDEM_KEEP (48 * 3600)
#define IDEM_KEY_MAX 255
#define IDEM_HASH_LEN 64

struct idem_entry {
	char hash[IDEM_HASH_LEN + 1];   /* of the request it answered */
	int status;
	char *body;
};

/* A key as the header may carry it: 1 to IDEM_KEY_MAX visible ASCII. */
int idem_key_check(const char *key, char **errp);
/* SHA-256 (hex) of a request: method, path and body. */
void idem_request_hash(const char *method, const char *path,
    const char *body, size_t len, char *hex);
/* The response kept for (token, key) since now - IDEM_KEEP: 1 found,
 * 0 none, -1 failed. */
int idem_get(struct store *st, int64_t token_id, const char *key, time_t now,
    struct idem_entry *out, char **errp);
/* Keep a response (and drop those older than IDEM_KEEP). */
int idem_put(struct store *st, int64_t token_id, const char *key,
    const char *hash, int status, const char *body, time_t now,
    char **errp);
void idem_clear(struct idem_entry *e);

#endif
