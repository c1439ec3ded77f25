/*
 * Rules turn events into follow-ups (the playbook in the configuration).
 * This is the one place that decides which follow-ups an event makes and
 * when they land; the daemon's scheduler feeds it events in order.
 *
 * Idempotence: every rule-made follow-up has the occurrence key
 * "<rule>:<subject>:<id>:<n>", unique in the store, so expanding the same
 * event twice (replay, restart, reload) never makes a second follow-up.
 * Changing the configuration affects what is scheduled from then on;
 * follow-ups already scheduled keep their moment and text.
 */
#ifndef NUDGE_RULES_H
#define NUDGE_RULES_H

#include <stdint.h>
#include <time.h>

#include "timeutil.h"

struct config;
struct config_rule;
struct event;
struct followup;
struct store;

/* base +/- the rule's offset, at its time of day, moved into hours. */
time_t rules_moment(const struct config_rule *r, const struct timeutil_hours *h,
    time_t base);

/*
 * Make the follow-ups that event ev calls for.  Caller holds the
 * transaction.  *made counts new follow-ups (existing ones are skipped).
 */
int rules_expand(struct store *st, const struct config *cfg,
    const struct event *ev, time_t now, int *made, char **errp);

/*
 * A rule with `repeat` makes its next occurrence when the previous one has
 * been sent and its subject still calls for it (an overdue promise still
 * open).  Called by the scheduler after notifying follow-up f.
 */
int rules_repeat(struct store *st, const struct config *cfg,
    const struct followup *f, time_t now, int *made, char **errp);

/*
 * The second chocolate, as `nudge report` and its --effect judge it: the
 * names of the rules marked second_chocolate as a JSON array (malloc'd,
 * for a statement's json_each(); NULL when out of memory), and whether one
 * done at done_at was done within its rule's window after its reminder,
 * in the owner's working time as the reminder was (1; an owner or rule no
 * longer configured counts as in time: it was done).
 */
char *rules_chocolate_names(const struct config *cfg);
int rules_chocolate_in_window(const struct config *cfg, const char *owner,
    const char *rule, time_t remind_at, time_t done_at);

#endif
