/*
 * Delivery: takes due rows from the outbox and sends each to its channel,
 * many at once on the sender thread (sender.h).  A row is marked `sending`
 * before the network sees it, and its outcome is written back when the
 * transfer ends: delivered, retry after a backoff, or dead with the
 * reason.  One log line per attempt: follow-up id, channel, attempt, HTTP
 * status or SMTP reply, duration.
 */
#ifndef NUDGED_DELIVER_H
#define NUDGED_DELIVER_H

#include <curl/curl.h>
#include <time.h>

struct config;
struct store;
struct deliver;

/* Most transfers on the network at once. */
#define DELIVER_MAX_INFLIGHT 64
/* Rows claimed and built beyond those, waiting in the sender for a place:
 * one starts as soon as a transfer ends, not after a turn of the loop.
 * The rest wait in the outbox. */
#define DELIVER_MAX_WAITING 64
#define DELIVER_MAX_OUTSTANDING (DELIVER_MAX_INFLIGHT + DELIVER_MAX_WAITING)

/* Starts the sender thread, with `host_connections` per receiver. */
struct deliver *deliver_new(long host_connections, char **errp);
/* Abandons transfers still in flight: their rows stay `sending` and are
 * queued again at the next start, with the same delivery ids. */
void deliver_free(struct deliver *d);

/* Record the outcomes of the transfers that ended, then start what is
 * due at now, up to the free slots.  *started counts them. */
int deliver_start(struct deliver *d, struct store *st,
    const struct config *cfg, time_t now, int *started, char **errp);
/* Only record the outcomes of the transfers that ended (stopping). */
int deliver_reap(struct deliver *d, struct store *st,
    const struct config *cfg, char **errp);
/* Take the transfers that ended back from the sender, their outcomes
 * kept for the next round (the database is backing off meanwhile). */
void deliver_collect(struct deliver *d);
/* Submitted and not yet recorded (on the network or waiting for it). */
int deliver_inflight(const struct deliver *d);
/* Readable when transfers ended: time for deliver_start/deliver_reap. */
int deliver_fd(const struct deliver *d);
/* Stopping: start nothing more; what waits stays `sending` and goes out
 * again, with the same id, at the next start. */
void deliver_hold(struct deliver *d);
/* Transfers that can still start now. */
int deliver_free_slots(const struct deliver *d);
/* The channels with their share of the transfers out, as a JSON array of
 * names (caller frees; NULL: none): their due rows wait for one of
 * theirs to end. */
char *deliver_full_channels(const struct deliver *d);
/* The configuration was reloaded: read secret files again, and set the
 * kept easy handles up again for the channels. */
void deliver_forget_secrets(struct deliver *d);

#endif
