#include "schedule.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cadence.h"
#include "config.h"
#include "err.h"
#include "event.h"
#include "followup.h"
#include "notice.h"
#include "outbox.h"
#include "person.h"
#include "rules.h"
#include "runstate.h"
#include "store.h"
#include "words.h"

/* Work in batches so one transaction never holds the write lock for long
 * (the CLI waits on it) and a burst does not balloon memory. */
#define SCHEDULE_BATCH 500
/*
 * Due follow-ups go in shorter batches: a delivery round runs between two
 * (loop.c), and while a batch of 500 was queued (3-5 ms in a burst) the
 * sender ran out of transfers.  A batch that holds something to fold (a
 * digest, reminders missed while down) is taken at SCHEDULE_BATCH again,
 * so each person's fold is as whole as it always was.
 */
#define SCHEDULE_DUE_BATCH 128

/* A new account's stay-in-touch clock starts when it is made. */
static int
schedule_new_account(struct store *st, const struct config *cfg,
    const struct event *ev, time_t now, char **errp)
{
	if (cfg->ncadences == 0 || strcmp(ev->kind, "account.created") != 0)
		return 0;
	return cadence_plan(st, cfg, ev->subject_id, now, errp);
}

int
schedule_events(struct store *st, const struct config *cfg, time_t now,
    int *made, char **errp)
{
	struct runstate rs;
	struct event *ev = NULL;
	size_t n = 0, i;
	int64_t cursor;
	int m;

	*made = 0;
	for (;;) {
		if (store_begin(st, errp) != 0)
			return -1;
		if (runstate_read(st, &rs, errp) != 0)
			goto fail;
		cursor = rs.event_cursor;
		runstate_clear(&rs);
		if (event_list_after(st, cursor, SCHEDULE_BATCH, &ev,
		    &n, errp) != 0)
			goto fail;
		if (n == 0) {
			store_rollback(st);
			return 0;
		}
		for (i = 0; i < n; i++) {
			if (rules_expand(st, cfg, &ev[i], now, &m, errp) != 0 ||
			    schedule_new_account(st, cfg, &ev[i], now,
			    errp) != 0)
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
schedule_channels(const struct config *cfg, const char *owner,
    const char *rule, char *const **names, size_t *n)
{
	const struct config_person *p;
	size_t i;

	*names = NULL;
	*n = 0;
	if (rule != NULL && strcmp(rule, "ops") == 0 && cfg->ops != NULL) {
		*names = (char *const *)&cfg->ops;
		*n = 1;
		return;
	}
	if (rule != NULL)
		for (i = 0; i < cfg->nrules; i++)
			if (strcmp(cfg->rules[i].name, rule) == 0 &&
			    cfg->rules[i].nnotify > 0) {
				*names = cfg->rules[i].notify;
				*n = cfg->rules[i].nnotify;
				return;
			}
	if ((p = config_person(cfg, owner)) != NULL) {
		*names = p->notify;
		*n = p->nnotify;
	}
}

/* Most items listed in one folded message (the rest are counted). */
#define SCHEDULE_FOLD_MAX_LINES 40

/*
 * What schedule_due() writes for the follow-ups it queues, gathered into
 * a statement per STORE_BATCH rows: a statement per row cost more than
 * the rows' own B-tree work.  Channel names are borrowed from the
 * configuration.
 */
struct schedule_batch {
	struct outbox_new out[STORE_BATCH];
	size_t nout;
	int64_t notified[STORE_BATCH];
	size_t nnotified;
};

static int
schedule_flush(struct store *st, struct schedule_batch *b, time_t now,
    char **errp)
{
	if (outbox_enqueue(st, b->out, b->nout, now, errp) != 0 ||
	    followup_mark_notified(st, b->notified, b->nnotified, now,
	    errp) != 0)
		return -1;
	b->nout = b->nnotified = 0;
	return 0;
}

/* Queue follow-up id (of owner, made by rule) on each of its channels
 * for its round, and mark it notified (in *b, flushed by the caller
 * before it commits). */
static int
schedule_queue(struct store *st, const struct config *cfg,
    struct schedule_batch *b, int64_t id, const char *owner, const char *rule,
    int round, time_t now, int *queued, char **errp)
{
	char *const *names;
	size_t k, nnames;

	schedule_channels(cfg, owner, rule, &names, &nnames);
	if (nnames == 0)
		/* Never silently: the log says so, and the follow-up stays
		 * visible as notified with no delivery. */
		notice(NOTICE_WARN, "follow-up %lld: owner '%s' has no "
		    "channel to be reminded on", (long long)id, owner);
	for (k = 0; k < nnames; k++) {
		if (b->nout == STORE_BATCH &&
		    schedule_flush(st, b, now, errp) != 0)
			return -1;
		b->out[b->nout].followup_id = id;
		b->out[b->nout].channel = names[k];
		b->out[b->nout].round = round;
		b->nout++;
		(*queued)++;
	}
	if (b->nnotified == STORE_BATCH &&
	    schedule_flush(st, b, now, errp) != 0)
		return -1;
	b->notified[b->nnotified++] = id;
	return 0;
}

/* Queue a due follow-up, and let its rule make the next round. */
static int
schedule_enqueue(struct store *st, const struct config *cfg,
    struct schedule_batch *b, const struct followup *f, time_t now,
    int *queued, char **errp)
{
	int made;

	if (schedule_queue(st, cfg, b, f->id, f->owner, f->rule, f->snoozes,
	    now, queued, errp) != 0)
		return -1;
	return rules_repeat(st, cfg, f, now, &made, errp);
}

/*
 * Fold several follow-ups of one owner into one message (a digest, or the
 * reminders missed while nudged was down): one new follow-up listing them
 * is queued, and each of them is marked notified as part of it.
 */
static int
schedule_fold(struct store *st, const struct config *cfg,
    struct schedule_batch *b, struct followup **items, size_t n,
    const char *kind, enum word title, time_t now, int *queued,
    char **errp)
{
	enum lang lang = person_lang(cfg, items[0]->owner, LANG_EN);
	char occurrence[128], *text = NULL;
	size_t size = 0, i;
	int64_t id;
	int made, rc;
	FILE *m;

	if ((m = open_memstream(&text, &size)) == NULL)
		return err_set(errp, "out of memory");
	fprintf(m, "%s (%zu):", word(lang, title), n);
	for (i = 0; i < n && i < SCHEDULE_FOLD_MAX_LINES; i++)
		fprintf(m, "\n- %s%s%s%s", items[i]->text,
		    items[i]->account != NULL ? " [" : "",
		    items[i]->account != NULL ? items[i]->account : "",
		    items[i]->account != NULL ? "]" : "");
	if (n > SCHEDULE_FOLD_MAX_LINES)
		fprintf(m, "\n- ... %s %zu %s", word(lang, W_AND),
		    n - SCHEDULE_FOLD_MAX_LINES, word(lang, W_MORE_AGENDA));
	if (fclose(m) != 0) {
		free(text);
		return err_set(errp, "out of memory");
	}
	/* The first item's id makes the key unique to this fold. */
	snprintf(occurrence, sizeof(occurrence), "%s:%s:%lld", kind,
	    items[0]->owner, (long long)items[0]->id);
	rc = followup_create_message(st, items[0]->owner, text, kind,
	    occurrence, now, now, &id, errp);
	free(text);
	if (rc != 0)
		return -1;
	/* On the owner's channels (no rule's), its first round. */
	if (id != 0 && schedule_queue(st, cfg, b, id, items[0]->owner, NULL,
	    0, now, queued, errp) != 0)
		return -1;
	for (i = 0; i < n; i++)
		if (followup_mark_folded(st, items[i]->id, occurrence, now,
		    errp) != 0 ||
		    rules_repeat(st, cfg, items[i], now, &made, errp) != 0)
			return -1;
	return 0;
}

/* Items [0, n) all belong to one owner and one fold kind. */
static int
schedule_fold_groups(struct store *st, const struct config *cfg,
    struct schedule_batch *b, struct followup **items, size_t n,
    const char *kind, enum word title, time_t now, int *queued,
    char **errp)
{
	size_t start = 0, i;

	/* items are sorted by owner: fold each run. */
	for (i = 1; i <= n; i++) {
		if (i < n && strcmp(items[i]->owner, items[start]->owner) == 0)
			continue;
		if (schedule_fold(st, cfg, b, items + start, i - start, kind,
		    title, now, queued, errp) != 0)
			return -1;
		start = i;
	}
	return 0;
}

static int
schedule_cmp_owner(const void *a, const void *b)
{
	const struct followup *x = *(struct followup *const *)a;
	const struct followup *y = *(struct followup *const *)b;
	int c = strcmp(x->owner, y->owner);

	return c != 0 ? c : (x->id > y->id) - (x->id < y->id);
}

enum schedule_way { SCHEDULE_SINGLE, SCHEDULE_MISSED, SCHEDULE_DIGEST };

/* How a due follow-up goes out: on its own, or folded into a message. */
static enum schedule_way
schedule_way(const struct config *cfg, const struct followup *f, time_t now)
{
	const struct config_person *p;
	time_t late = (time_t)cfg->delivery.late_after.seconds;

	/* Messages nudge writes itself (digests, missed lists, weekly
	 * summaries) are never folded. */
	if (f->rule != NULL && (strcmp(f->rule, "digest") == 0 ||
	    strcmp(f->rule, "missed") == 0 || strcmp(f->rule, "weekly") == 0 ||
	    strcmp(f->rule, "ops") == 0))
		return SCHEDULE_SINGLE;
	if (late > 0 && now - f->remind_at > late)
		return SCHEDULE_MISSED;
	p = config_person(cfg, f->owner);
	return p != NULL && p->digest_min >= 0 ? SCHEDULE_DIGEST :
	    SCHEDULE_SINGLE;
}

/* The next batch of due follow-ups, read inside the caller's
 * transaction; *max is the size asked for (SCHEDULE_DUE_BATCH, or
 * SCHEDULE_BATCH when the short batch held something to fold). */
static int
schedule_list_due(struct store *st, const struct config *cfg, time_t now,
    struct followup **v, size_t *n, int *max, char **errp)
{
	size_t i;

	*max = SCHEDULE_DUE_BATCH;
	if (followup_list_due(st, now, *max, v, n, errp) != 0)
		return -1;
	if (*n < (size_t)*max)
		return 0;
	for (i = 0; i < *n; i++)
		if (schedule_way(cfg, &(*v)[i], now) != SCHEDULE_SINGLE)
			break;
	if (i == *n)
		return 0;
	followup_list_free(*v, *n);
	*v = NULL;
	*n = 0;
	*max = SCHEDULE_BATCH;
	return followup_list_due(st, now, *max, v, n, errp);
}

int
schedule_due(struct store *st, const struct config *cfg, time_t now,
    int *queued, int *more, char **errp)
{
	struct schedule_batch b;
	struct followup *v = NULL, **missed = NULL, **digest = NULL;
	size_t n = 0, i, nmissed, ndigest;
	time_t late = (time_t)cfg->delivery.late_after.seconds;
	int max;

	*queued = 0;
	*more = 0;
	b.nout = b.nnotified = 0;
	if (store_begin(st, errp) != 0)
		return -1;
	if (schedule_list_due(st, cfg, now, &v, &n, &max, errp) != 0)
		goto fail;
	if ((missed = calloc(n + 1, sizeof(*missed))) == NULL ||
	    (digest = calloc(n + 1, sizeof(*digest))) == NULL) {
		err_set(errp, "out of memory");
		goto fail;
	}
	nmissed = ndigest = 0;
	for (i = 0; i < n; i++) {
		switch (schedule_way(cfg, &v[i], now)) {
		case SCHEDULE_MISSED:
			missed[nmissed++] = &v[i];
			break;
		case SCHEDULE_DIGEST:
			digest[ndigest++] = &v[i];
			break;
		case SCHEDULE_SINGLE:
			if (schedule_enqueue(st, cfg, &b, &v[i], now, queued,
			    errp) != 0)
				goto fail;
			break;
		}
	}
	qsort(missed, nmissed, sizeof(*missed), schedule_cmp_owner);
	qsort(digest, ndigest, sizeof(*digest), schedule_cmp_owner);
	if (nmissed > 0)
		notice(NOTICE_INFO, "%zu reminders fell due more than %lds ago "
		    "while nudged was not running: folding them into "
		    "one message per person", nmissed, (long)late);
	if (schedule_fold_groups(st, cfg, &b, missed, nmissed, "missed",
	    W_MISSED, now, queued, errp) != 0 ||
	    schedule_fold_groups(st, cfg, &b, digest, ndigest, "digest",
	    W_DIGEST, now, queued, errp) != 0 ||
	    schedule_flush(st, &b, now, errp) != 0)
		goto fail;
	if (store_commit(st, errp) != 0)
		goto fail;
	free(missed);
	free(digest);
	followup_list_free(v, n);
	*more = n == (size_t)max;
	return 0;
fail:
	free(missed);
	free(digest);
	followup_list_free(v, n);
	store_rollback(st);
	return -1;
}

int
schedule_next(struct store *st, int with_outbox, const char *skip,
    int64_t *at, int *found, char **errp)
{
	int64_t f_at = 0, d_at = 0;
	int f_found, d_found = 0;

	if (followup_next_remind(st, &f_at, &f_found, errp) != 0 ||
	    (with_outbox &&
	    outbox_next_attempt(st, skip, &d_at, &d_found, errp) != 0))
		return -1;
	*found = f_found || d_found;
	if (f_found && d_found)
		*at = f_at < d_at ? f_at : d_at;
	else
		*at = f_found ? f_at : d_at;
	return 0;
}
