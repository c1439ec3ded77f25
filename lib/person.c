#include "person.h"

#include <string.h>

#include "config.h"

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
	 * day is not a working one (a year of days at most). */
	day = t - (time_t)timeutil_local_minute(p->timezone, t) * 60;
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
