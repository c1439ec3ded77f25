#include "schedule.h"

#include <string.h>

#include "config.h"
#include "err.h"
#include "event.h"
#include "followup.h"
#include "log.h"
#include "outbox.h"
#include "rules.h"
#include "runstate.h"
#include "store.h"

/* Work in batches so one transaction never holds the write lock for long
 * (the CLI waits on it) and a burst does not balloon memory. */
#define SCHEDULE_BATCH 500

int
schedule_events(struct store *st, const struct config *cfg, time_t now,
    int *made, char **errp)
{
	struct runstate rs;
	struct event *ev = NULL;
	size_t n = 0, i;
	int m;

	*made = 0;
	for (;;) {
		if (store_begin(st, errp) != 0)
			return -1;
		if (runstate_read(st, &rs, errp) != 0)
			goto fail;
		runstate_clear(&rs);
		if (event_list_after(st, rs.event_cursor, SCHEDULE_BATCH, &ev,
		    &n, errp) != 0)
			goto fail;
		if (n == 0) {
			store_rollback(st);
			return 0;
		}
		for (i = 0; i < n; i++) {
			if (rules_expand(st, cfg, &ev[i], now, &m, errp) != 0)
				goto fail;
			*made += m;
		}
		if (runstate_set_cursor(st, ev[n - 1].id, errp) != 0 ||
		    store_commit(st, errp) != 0)
			goto fail;
		event_list_free(ev, n);
		ev = NULL;
		if (n < SCHEDULE_BATCH)
			return 0;
	}
fail:
	event_list_free(ev, n);
	store_rollback(st);
	return -1;
}

/* The channels a follow-up goes to: its rule's, else its owner's. */
static void
schedule_channels(const struct config *cfg, const struct followup *f,
    char *const **names, size_t *n)
{
	const struct config_person *p;
	size_t i;

	*names = NULL;
	*n = 0;
	if (f->rule != NULL)
		for (i = 0; i < cfg->nrules; i++)
			if (strcmp(cfg->rules[i].name, f->rule) == 0 &&
			    cfg->rules[i].nnotify > 0) {
				*names = cfg->rules[i].notify;
				*n = cfg->rules[i].nnotify;
				return;
			}
	if ((p = config_person(cfg, f->owner)) != NULL) {
		*names = p->notify;
		*n = p->nnotify;
	}
}

int
schedule_due(struct store *st, const struct config *cfg, time_t now,
    int *queued, char **errp)
{
	struct followup *v = NULL;
	char *const *names;
	size_t n = 0, i, k, nnames;
	int made;

	*queued = 0;
	for (;;) {
		if (store_begin(st, errp) != 0)
			return -1;
		if (followup_list_due(st, now, SCHEDULE_BATCH, &v, &n,
		    errp) != 0)
			goto fail;
		for (i = 0; i < n; i++) {
			schedule_channels(cfg, &v[i], &names, &nnames);
			if (nnames == 0)
				/* Never silently: it shows in the log and
				 * the follow-up stays visible as notified
				 * with no delivery. */
				log_warnx("follow-up %lld: owner '%s' has no "
				    "channel to be reminded on",
				    (long long)v[i].id, v[i].owner);
			for (k = 0; k < nnames; k++) {
				if (outbox_enqueue(st, v[i].id, names[k],
				    v[i].snoozes, now, errp) != 0)
					goto fail;
				(*queued)++;
			}
			if (followup_mark_notified(st, v[i].id, now,
			    errp) != 0 ||
			    rules_repeat(st, cfg, v[i].id, now, &made,
			    errp) != 0)
				goto fail;
		}
		if (store_commit(st, errp) != 0)
			goto fail;
		followup_list_free(v, n);
		v = NULL;
		if (n < SCHEDULE_BATCH)
			return 0;
	}
fail:
	followup_list_free(v, n);
	store_rollback(st);
	return -1;
}

int
schedule_next(struct store *st, int64_t *at, int *found, char **errp)
{
	int64_t f_at = 0, d_at = 0;
	int f_found, d_found;

	if (followup_next_remind(st, &f_at, &f_found, errp) != 0 ||
	    outbox_next_attempt(st, &d_at, &d_found, errp) != 0)
		return -1;
	*found = f_found || d_found;
	if (f_found && d_found)
		*at = f_at < d_at ? f_at : d_at;
	else
		*at = f_found ? f_at : d_at;
	return 0;
}
