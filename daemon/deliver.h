/*
 * Delivery: takes due rows from the outbox and sends each to its channel,
 * many at once on the curl multi handle.  A row is marked `sending` before
 * the network sees it, and its outcome is written back when the transfer
 * ends: delivered, retry after a backoff, or dead with the reason.  One log
 * line per attempt: follow-up id, channel, attempt, HTTP status or SMTP
 * reply, duration.
 */
#ifndef NUDGED_DELIVER_H
#define NUDGED_DELIVER_H

#include <curl/curl.h>
#include <time.h>

struct config;
struct store;
struct deliver;

/* Most transfers in flight at once (the rest wait in the outbox). */
#define DELIVER_MAX_INFLIGHT 64

struct deliver *deliver_new(CURLM *multi);
/* Abandons transfers still in flight: their rows stay `sending` and are
 * queued again at the next start, with the same delivery ids. */
void deliver_free(struct deliver *d);

/* Record the outcomes of the transfers that ended (after
 * curl_multi_perform), then start what is due at now, up to the free
 * slots.  *started counts them. */
int deliver_start(struct deliver *d, struct store *st,
    const struct config *cfg, time_t now, int *started, char **errp);
/* Only record the outcomes of the transfers that ended (stopping). */
int deliver_reap(struct deliver *d, struct store *st,
    const struct config *cfg, char **errp);
int deliver_inflight(const struct deliver *d);
/* Transfers that can still start now. */
int deliver_free_slots(const struct deliver *d);
/* The configuration was reloaded: read secret files again. */
void deliver_forget_secrets(struct deliver *d);

/* The wait before attempt number `attempts` + 1: exponential from the
 * configured backoff, capped at max_backoff, with up to 25 % jitter. */
long deliver_backoff(const struct config *cfg, int attempts);

#endif
