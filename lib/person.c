#include "person.h"

#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "err.h"
#include "text.h"

const char *
person_zone(const struct config *cfg, const char *owner)
{
	const struct config_person *p = config_person(cfg, owner);

	return p != NULL ? p->timezone : cfg->timezone;
}

enum lang
person_lang(const struct config *cfg, const char *owner, enum lang fallback)
{
	const struct config_person *p = config_person(cfg, owner);

	return p != NULL ? (enum lang)p->language : fallback;
}

const struct config_person *
person_find(const struct config *cfg, const char *handle, char **errp)
{
	const struct config_person *p;
	const char *near = NULL;
	size_t best = TEXT_NEAR_START, i;
	char *known;

	if ((p = config_person(cfg, handle)) != NULL)
		return p;
	for (i = 0; i < cfg->npeople; i++)
		if (text_nearer(handle, cfg->people[i].handle, &best))
			near = cfg->people[i].handle;
	known = config_people_list(cfg);
	err_set(errp, "unknown owner '%s' (people in %s: %s)%s%s%s", handle,
	    cfg->path, known != NULL ? known : "none", near != NULL ?
	    "; did you mean '" : "", near != NULL ? near : "",
	    near != NULL ? "'?" : "");
	free(known);
	return NULL;
}

int
person_parse_when(const struct config *cfg, const struct config_person *p,
    const char *s, time_t now, int default_min, const char *what,
    time_t *out, char **errp)
{
	struct timeutil_hours h;
	char *err = NULL;

	if (p != NULL)
		person_hours(p, &h);
	if (timeutil_parse_when(s, now, p != NULL ? p->timezone :
	    cfg->timezone, default_min, p != NULL ? &h : NULL, out,
	    &err) != 0) {
		err_set(errp, "%s: %s", what, err);
		free(err);
		return -1;
	}
	return 0;
}

void
person_hours(const struct config_person *p, struct timeutil_hours *h)
{
	memset(h, 0, sizeof(*h));
	h->zone = p->timezone;
	h->start_min = p->hours_start;
	h->end_min = p->hours_end;
	h->days = p->days;
	h->holidays = p->holidays;
	h->nholidays = p->nholidays;
}

int
person_day_end(const struct config_person *p)
{
	/* "00:00-24:00" people: a date means the last minute of that day. */
	return p->hours_end >= 1440 ? 1439 : p->hours_end;
}

time_t
person_remind_at(const struct config_person *p, time_t due, time_t now)
{
	struct timeutil_hours h;
	struct timeutil_duration one_day = { 0, 1, 0 };
	time_t t, day;
	int guard;

	person_hours(p, &h);
	t = timeutil_next_working(&h, due);
	if (p->digest_min < 0)
		return t;
	/* That day's digest moment; a day later while it has passed or the
	 * day is not a working one (a year of days at most).  The second
	 * of the minute goes too: everything due that day must share the
	 * moment exactly, or the scheduler sees two slots and sends two
	 * digests (zone offsets are whole minutes since 1970). */
	day = t - t % 60 - (time_t)timeutil_local_minute(p->timezone, t) * 60;
	for (guard = 0; guard < 366; guard++) {
		t = day + (time_t)p->digest_min * 60;
		if (t >= now && timeutil_local_minute(p->timezone, t) ==
		    p->digest_min && timeutil_is_working(&(struct
		    timeutil_hours){ p->timezone, 0, 1440, p->days,
		    p->holidays, p->nholidays }, t))
			return t;
		day = timeutil_apply(&h, day, &one_day, +1);
	}
	return t;
}

int
person_day_start(const struct config_person *p)
{
	return p->hours_start;
}
