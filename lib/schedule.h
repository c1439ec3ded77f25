/*
 * The scheduler's steps, which the daemon's tick calls in turn: read new
 * events from the log (from the cursor kept in the daemon row) and let
 * the rules turn them into follow-ups (schedule.c); make the weekly
 * summary (summary.c); move follow-ups that have fallen due into the
 * outbox, one row per channel (schedule.c); find the next moment to wake.
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
/*
 * The weekly summary (config `weekly_summary = "fri 16:00"`): each person
 * gets their own ledger for the week, in the words of `nudge report`, at
 * that moment in their time zone.  Make this week's summary follow-up for
 * everyone whose moment has come within the last day (a daemon down
 * longer skips it rather than send a stale one).  Idempotent: one per
 * person per week.  *made counts new ones.
 */
int summary_make(struct store *st, const struct config *cfg, time_t now,
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
/* The next summary moment after now for anyone; 0 when summaries are off. */
time_t summary_next(const struct config *cfg, time_t now);

#endif
