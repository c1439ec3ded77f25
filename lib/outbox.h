/*
 * The delivery outbox: one row per follow-up per channel per round, with
 * its state (queued -> sending -> delivered, or retry -> dead), attempts,
 * next attempt time and last error.  The daemon works from here; `nudge
 * status` and `nudge delivery` read it.  A person takes a dead row back
 * to queued (a retry, same delivery id) or marks it handled (dead ->
 * dismissed).
 */
#ifndef NUDGE_OUTBOX_H
#define NUDGE_OUTBOX_H

#include <jansson.h>
#include <stdint.h>
#include <time.h>

#include "followup.h"

struct store;

struct outbox_item {
	int64_t id;
	int64_t followup_id;
	char *channel;
	int round;
	char *delivery_id;      /* stable: webhook-id, Message-ID */
	char *state;
	int attempts;
	int64_t next_attempt_at;
	char *last_error;
	/* Listed rows; claimed ones only created_at (the others 0);
	 * delivered_at 0 until then. */
	int64_t created_at, updated_at, delivered_at;
	/* Claimed rows: the follow-up it reminds of, read with it (id 0:
	 * there is none); others: all zero. */
	struct followup followup;
};

struct outbox_counts {
	int64_t queued;         /* queued + sending */
	int64_t failing;        /* retry */
	int64_t dead;           /* dead and not dismissed: to act on */
	int64_t dismissed;
	int64_t delivered;
};

/* A delivery to queue. */
struct outbox_new {
	int64_t followup_id;
	const char *channel;
	int round;
};

/* Queue the n deliveries of v[]; an existing (followup, channel, round)
 * is left as is. */
int outbox_enqueue(struct store *st, const struct outbox_new *v, size_t n,
    time_t now, char **errp);
/* Claim up to max due rows for an attempt: queued or retry rows with
 * next_attempt_at <= now (retries first, each state oldest first) become
 * `sending`, their attempt counted, and are returned with their
 * follow-ups (retries first, each state oldest first; .attempts counts
 * the attempts before this one).  Call it inside a transaction that also
 * records what is sent. */
int outbox_claim_due(struct store *st, time_t now, int max,
    struct outbox_item **out, size_t *n, char **errp);
/* The same, passing over the channels named in skip (a JSON array of
 * names, NULL none) and the rows keep() refuses (NULL: it keeps all);
 * keep() sees each row read, in claim order.  Up to max rows are read
 * per state: fewer than max claimed while rows are due is the caller's
 * cue to try again with more channels skipped. */
int outbox_claim_pick(struct store *st, time_t now, int max, const char *skip,
    int (*keep)(void *arg, const struct outbox_item *it), void *arg,
    struct outbox_item **out, size_t *n, char **errp);
/* Up to max dead rows (not dismissed ones), the latest first. */
int outbox_list_dead(struct store *st, int max, struct outbox_item **out,
    size_t *n, char **errp);
/* The rows not delivered, by id: every one (state NULL) or those in
 * state ("dead", "retry", ...). */
int outbox_list(struct store *st, const char *state, struct outbox_item **out,
    size_t *n, char **errp);
/* The row id: 1 with *out filled, 0 when there is none, -1 (*out zeroed
 * unless 1; clear it with outbox_item_clear()). */
int outbox_find(struct store *st, int64_t id, struct outbox_item *out,
    char **errp);
void outbox_item_clear(struct outbox_item *it);
/* A person's retry of the n rows of ids[] (dead, dismissed or retry;
 * others are left alone): queued, due at now, a fresh attempt count, no
 * error; the delivery id stays, so the receiver can drop a copy. */
int outbox_retry(struct store *st, const int64_t *ids, size_t n, time_t now,
    char **errp);
/* A person handled the dead row id: dismissed (another state: left). */
int outbox_dismiss(struct store *st, int64_t id, time_t now, char **errp);
/* The follow-up's deliveries still waiting (queued or to retry) set
 * aside as dismissed, with why as their last error: what they would say
 * is no longer true.  One being sent is left to finish. */
int outbox_withdraw(struct store *st, int64_t followup_id, const char *why,
    time_t now, char **errp);
/* A listed row as JSON, times in zone; NULL when out of memory. */
json_t *outbox_json(const struct outbox_item *it, const char *zone);
/* The n rows of ids[] were delivered. */
int outbox_mark_delivered(struct store *st, const int64_t *ids, size_t n,
    time_t now, char **errp);
/* Failed attempt: retry at next_at, or dead when next_at == 0. */
int outbox_mark_failed(struct store *st, int64_t id, const char *error,
    time_t next_at, time_t now, char **errp);
/* After a crash: rows left in sending go back to queued, same id. */
int outbox_requeue_sending(struct store *st, time_t now, int *n,
    char **errp);
/* When the next queued or retry row is due, passing over the channels
 * named in skip (a JSON array of names, NULL none). */
int outbox_next_attempt(struct store *st, const char *skip, int64_t *at,
    int *found, char **errp);
/* Counts by state; .delivered only with_delivered (it reads the whole
 * history, the others only the backlog). */
int outbox_count(struct store *st, int with_delivered, struct outbox_counts *c,
    char **errp);
void outbox_list_free(struct outbox_item *v, size_t n);

#endif
