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

int
person_day_start(const struct config_person *p)
{
	return p->hours_start;
}
