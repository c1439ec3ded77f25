/*
 * The scheduler: reads new events from the log (from the cursor kept in
 * the daemon row) and lets the rules turn them into follow-ups; then moves
 * follow-ups that have fallen due into the outbox, one row per channel.
 */
#ifndef NUDGE_SCHEDULE_H
#define NUDGE_SCHEDULE_H

#include <stdint.h>
#include <time.h>

struct config;
struct store;

/* Expand every event after the cursor.  *made counts new follow-ups. */
int schedule_events(struct store *st, const struct config *cfg, time_t now,
    int *made, char **errp);
/* Queue deliveries for one batch of the follow-ups due at now (*queued
 * counts them); *more = 1 when more are due.  One batch at a time, so the
 * caller can send the first reminders of a burst while it queues the
 * rest. */
int schedule_due(struct store *st, const struct config *cfg, time_t now,
    int *queued, int *more, char **errp);
/* The next moment something is due: a follow-up, or with with_outbox a
 * delivery attempt on a channel not named in skip (a JSON array of
 * names, NULL none: those whose share of the transfers is taken wait
 * for one to end); *found = 0 when nothing is. */
int schedule_next(struct store *st, int with_outbox, const char *skip,
    int64_t *at, int *found, char **errp);

#endif
