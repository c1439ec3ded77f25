#include "schedule.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "effect.h"
#include "err.h"
#include "followup.h"
#include "report.h"
#include "store.h"
#include "timeutil.h"
#include "words.h"

/* This week's summary moment for a person in zone (it may be ahead). */
static time_t
summary_moment(const struct config *cfg, const char *zone, time_t now)
{
	int32_t day = timeutil_local_day(zone, now);
	time_t t;

	day += cfg->weekly_day - timeutil_local_weekday(zone, now);
	if (timeutil_make_local(zone, 1970, 1, 1 + day, cfg->weekly_min / 60,
	    cfg->weekly_min % 60, 0, &t) != 0)
		return 0;
	return t;
}

/* The team's "does it pay off" over the default period and the
 * configured horizon, when it has any
 * account to count: the summary of one person's week would have too few
 * to say anything. */
static int
summary_effect(struct store *st, const struct config *cfg,
    const struct config_person *p, time_t at, FILE *m, char **errp)
{
	struct effect e;

	int64_t horizon = cfg->effect_horizon.seconds;

	if (effect_build(st, cfg, NULL, at - horizon - EFFECT_PERIOD_DEFAULT,
	    at, horizon, &e, errp) != 0)
		return -1;
	if (e.chocolate.with.n + e.chocolate.without.n > 0) {
		fputc('\n', m);
		effect_write_summary(&e, p->timezone, m);
	}
	return 0;
}

static int
summary_one(struct store *st, const struct config *cfg,
    const struct config_person *p, time_t at, int *made, char **errp)
{
	struct report r;
	char occurrence[128], day[TIMEUTIL_ISO_MAX], *text = NULL;
	size_t size = 0;
	int64_t id;
	int rc;
	FILE *m;

	timeutil_format_iso(at, p->timezone, day, sizeof(day));
	snprintf(occurrence, sizeof(occurrence), "weekly:%s:%.10s", p->handle,
	    day);
	if (report_build(st, cfg, p->handle, at - 7 * 86400, at, &r,
	    errp) != 0)
		return -1;
	if ((m = open_memstream(&text, &size)) == NULL) {
		report_free(&r);
		return err_set(errp, "out of memory");
	}
	fprintf(m, "%s, %s:\n\n", word((enum lang)p->language,
	    W_WEEKLY_HEAD), p->name != NULL ? p->name : p->handle);
	report_write_text(&r, p->timezone, m);
	report_free(&r);
	rc = summary_effect(st, cfg, p, at, m, errp);
	if (fclose(m) != 0 && rc == 0)
		rc = err_set(errp, "out of memory");
	if (rc != 0) {
		free(text);
		return -1;
	}
	rc = followup_create_message(st, p->handle, text, "weekly", occurrence,
	    at, at, &id, errp);
	free(text);
	if (rc == 0 && id != 0)
		(*made)++;
	return rc;
}

int
summary_make(struct store *st, const struct config *cfg, time_t now,
    int *made, char **errp)
{
	const struct config_person *p;
	time_t at;
	size_t i;

	*made = 0;
	if (cfg->weekly_day < 0)
		return 0;
	if (store_begin(st, errp) != 0)
		return -1;
	for (i = 0; i < cfg->npeople; i++) {
		p = &cfg->people[i];
		if (!p->weekly_summary)
			continue;
		at = summary_moment(cfg, p->timezone, now);
		if (at > now)
			at = summary_moment(cfg, p->timezone, now - 7 * 86400);
		if (at == 0 || now - at >= 86400)
			continue;
		if (summary_one(st, cfg, p, at, made, errp) != 0) {
			store_rollback(st);
			return -1;
		}
	}
	return store_commit(st, errp);
}

time_t
summary_next(const struct config *cfg, time_t now)
{
	time_t at, next = 0;
	size_t i;

	if (cfg->weekly_day < 0)
		return 0;
	for (i = 0; i < cfg->npeople; i++) {
		if (!cfg->people[i].weekly_summary)
			continue;
		at = summary_moment(cfg, cfg->people[i].timezone, now);
		if (at <= now)
			at = summary_moment(cfg, cfg->people[i].timezone,
			    now + 7 * 86400);
		if (at > now && (next == 0 || at < next))
			next = at;
	}
	return next;
}
