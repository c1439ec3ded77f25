/*
 * The weekly summary (config `weekly_summary = "fri 16:00"`): each person
 * gets their own ledger for the week, in the words of `nudge report`, at
 * that moment in their time zone.
 */
#ifndef NUDGE_SUMMARY_H
#define NUDGE_SUMMARY_H

#include <time.h>

struct config;
struct store;

/*
 * Make this week's summary follow-up for everyone whose moment has come
 * within the last day (a daemon down longer skips it rather than send a
 * stale one).  Idempotent: one per person per week.  *made counts new ones.
 */
int summary_make(struct store *st, const struct config *cfg, time_t now,
    int *made, char **errp);
/* The next summary moment after now for anyone; 0 when summaries are off. */
time_t summary_next(const struct config *cfg, time_t now);

#endif
