/*
 * What an attempt's outcome makes of its outbox row: delivered, tried
 * again after a backoff, or dead after the last attempt or a permanent
 * refusal, and then ops hears of it.  The daemon's transports (webhook,
 * SMTP, the log) read the outcome; this decides and writes it.
 */
#ifndef NUDGE_DELIVERY_H
#define NUDGE_DELIVERY_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct config;
struct outbox_item;
struct store;

/* The outcome of one attempt, as the transport read it. */
struct delivery_result {
	const char *error;      /* NULL: delivered */
	int permanent;          /* no retry: dead at once */
	long retry_after;       /* seconds the receiver asked for, 0 none */
	long code;              /* HTTP status / SMTP reply, 0 none */
};

/* What becomes of the row: tried again `wait` seconds on, or dead. */
struct delivery_fate {
	long wait;
	int dead;
};

/* Most delivered rows gathered for one UPDATE. */
#define DELIVERY_BATCH_MAX 128

/* Delivered rows gathered for one UPDATE: a statement per row cost more
 * than the row's own B-tree work. */
struct delivery_batch {
	int64_t id[DELIVERY_BATCH_MAX];
	size_t n;
};

/* The wait before attempt number `attempts` + 1: exponential from the
 * configured backoff, capped at max_backoff, with up to 25 % jitter. */
long delivery_backoff(const struct config *cfg, int attempts);

/* Decide what the outcome res of the row's next attempt makes of it
 * (no database: the caller may log it first). */
void delivery_decide(const struct config *cfg, const struct outbox_item *it,
    const struct delivery_result *res, struct delivery_fate *fate);

/*
 * Write what delivery_decide() decided (caller holds the transaction).
 * A success goes into *batch when there is one (written by
 * delivery_batch_flush(), which the caller calls before it commits); a
 * dead row makes a follow-up for the ops channel in the same transaction.
 */
int delivery_record(struct store *st, const struct config *cfg,
    const struct outbox_item *it, const struct delivery_result *res,
    const struct delivery_fate *fate, time_t now,
    struct delivery_batch *batch, char **errp);
int delivery_batch_flush(struct store *st, struct delivery_batch *b,
    time_t now, char **errp);

/*
 * What the daemon's transport does inside a delivery round's transaction
 * (delivery_round()); arg is its own.
 */
struct delivery_transport {
	void *arg;
	/* Write the outcomes of the attempts that ended (delivery_record()
	 * each); *n counts them. */
	int (*record_ended)(void *arg, struct store *st, size_t *n,
	    char **errp);
	/* How many rows it can take now. */
	int (*room)(void *arg);
	/* How many rows of this channel it can take now: its share of the
	 * transfers less those it has out (taken this round included). */
	int (*channel_room)(void *arg, const char *channel);
	/* One claimed row: set its attempt up, or write its outcome at once
	 * (nothing to send); -1 only when the database fails. */
	int (*take)(void *arg, struct store *st, struct outbox_item *it,
	    time_t now, char **errp);
	/* The transaction committed: the outcomes are written, and what was
	 * taken may go out. */
	void (*committed)(void *arg);
	/* It was undone: what was taken is dropped (its rows are claimed
	 * again later), and the outcomes are kept (written) or not. */
	void (*undone)(void *arg, int outcomes_kept);
};

/*
 * One delivery round: in one transaction, write the outcomes of the
 * attempts that ended, then (with claim) claim due rows up to the room
 * the transport has, each channel up to its own room (oldest first,
 * passing over a channel whose room is taken), and let it take each; the network sees them only
 * once that is committed.  Another transaction follows while a full
 * claim leaves room (rows that finished at once, the log channel).  The
 * outcomes are kept even when claiming fails (a savepoint).  *claimed
 * counts the rows taken.
 */
int delivery_round(struct store *st, time_t now, int claim,
    const struct delivery_transport *t, int *claimed, char **errp);

#endif
