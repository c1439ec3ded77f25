#include "time_calendar.h"

#include <stdlib.h>
#include <string.h>

#include "time_internal.h"

#define TU_SPAN_MAX ((int64_t)400 * 366 * TU_DAY) /* working_seconds clamp */

/* A normalised copy of struct timeutil_hours (defaults filled in). */
struct tu_hours {
	const char *zone;
	int start, end; /* minutes of day */
	unsigned days;
	const int32_t *hol;
	size_t nhol;
};

/* Monday = 0.  1970-01-01 (day 0) was a Thursday. */
int
tu_weekday_of_day(int32_t day)
{
	int64_t r = ((int64_t)day + 3) % 7;

	return (int)(r < 0 ? r + 7 : r);
}

static void
tu_hours_norm(const struct timeutil_hours *in, struct tu_hours *h)
{
	memset(h, 0, sizeof(*h));
	h->start = 0;
	h->end = 1440;
	h->days = TIMEUTIL_WEEKDAYS;
	if (in == NULL)
		return;
	h->zone = in->zone;
	if (in->start_min >= 0 && in->start_min < in->end_min &&
	    in->end_min <= 1440) {
		h->start = in->start_min;
		h->end = in->end_min;
	}
	if ((in->days & TIMEUTIL_ALL_DAYS) != 0)
		h->days = in->days & TIMEUTIL_ALL_DAYS;
	if (in->holidays != NULL) {
		h->hol = in->holidays;
		h->nhol = in->nholidays;
	}
}

static int
tu_cmp_day(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;

	return (x > y) - (x < y);
}

static int
tu_working_day(const struct tu_hours *h, int32_t day)
{
	if ((h->days & (1u << tu_weekday_of_day(day))) == 0)
		return 0;
	return h->nhol == 0 || bsearch(&day, h->hol, h->nhol, sizeof(*h->hol),
	    tu_cmp_day) == NULL;
}

/* The working window [*ws, *we) of a local day (zone set). */
static int
tu_window(const struct tu_hours *h, int32_t day, time_t *ws, time_t *we)
{
	if (tu_day_at(day, h->start * 60, ws) != 0 ||
	    tu_day_at(day, h->end * 60, we) != 0)
		return -1;
	return 0;
}

/* A run of days off is at most 6 weekend days plus every holiday. */
static size_t
tu_scan_limit(const struct tu_hours *h)
{
	return h->nhol + 15;
}

/*
 * Working windows lie inside their local day, so the first one reaching
 * past t is on t's local date or one of the next few working days.
 */
time_t
timeutil_next_working(const struct timeutil_hours *hours, time_t t)
{
	struct tu_hours h;
	struct tm tm;
	time_t ws, we;
	int32_t day;
	size_t i, limit;

	tu_hours_norm(hours, &h);
	tu_zone_or_utc(h.zone);
	if (tu_localtime(t, &tm) != 0)
		return t;
	day = tu_day_of(t, &tm);
	limit = tu_scan_limit(&h);
	for (i = 0; i < limit; i++, day++) {
		if (!tu_working_day(&h, day))
			continue;
		if (tu_window(&h, day, &ws, &we) != 0)
			return t;
		if (t < ws)
			return ws;
		if (t < we)
			return t;
	}
	return t;
}

int
timeutil_is_working(const struct timeutil_hours *hours, time_t t)
{
	return timeutil_next_working(hours, t) == t;
}

/* Sum of the overlaps of [from, to) with each working day's window. */
int64_t
timeutil_working_seconds(const struct timeutil_hours *hours, time_t from,
    time_t to)
{
	struct tu_hours h;
	struct tm tm;
	time_t ws, we, lo, hi;
	int32_t day, last;
	int64_t sum = 0, span;

	if (to <= from)
		return 0;
	/* On overflow from is negative, so from + TU_SPAN_MAX cannot. */
	if (__builtin_sub_overflow((int64_t)to, (int64_t)from, &span) ||
	    span > TU_SPAN_MAX)
		to = (time_t)((int64_t)from + TU_SPAN_MAX);
	tu_hours_norm(hours, &h);
	tu_zone_or_utc(h.zone);
	if (tu_localtime(from, &tm) != 0 || tu_localtime(to, &tm) != 0)
		return 0;
	day = tu_day_of(from, &tm);
	last = tu_day_of(to, &tm);
	for (; day <= last; day++) {
		if (!tu_working_day(&h, day))
			continue;
		if (tu_window(&h, day, &ws, &we) != 0)
			break;
		lo = ws > from ? ws : from;
		hi = we < to ? we : to;
		if (hi > lo)
			sum += (int64_t)(hi - lo);
	}
	return sum;
}

static int32_t
tu_clamp32(int64_t v, int32_t max)
{
	return (int32_t)(v > max ? max : v < -max ? -max : v);
}

/* t moved by n civil days in the zone, keeping the wall-clock time. */
static time_t
tu_add_days(time_t t, int32_t n)
{
	struct tm tm;
	time_t r;

	if (n == 0 || tu_localtime(t, &tm) != 0)
		return t;
	tm.tm_mday += n;
	return tu_mklocal(&tm, &r) == 0 ? r : t;
}

static time_t
tu_add_seconds(time_t t, int64_t n)
{
	int64_t r;

	if (__builtin_add_overflow((int64_t)t, n, &r))
		return t;
	return (time_t)r;
}

/* Same local time of day on the |n|th working day after/before t's date. */
static time_t
tu_add_bdays(const struct tu_hours *h, time_t t, int32_t n)
{
	struct tm tm;
	int32_t day;
	int step = n < 0 ? -1 : 1;
	time_t r;

	if (n == 0 || tu_localtime(t, &tm) != 0)
		return t;
	day = tu_day_of(t, &tm);
	if (n < 0)
		n = -n;
	while (n > 0) {
		day += step;
		if (tu_working_day(h, day))
			n--;
	}
	if (tu_day_at(day, tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec,
	    &r) != 0)
		return t;
	return r;
}

/*
 * Days first, as a calendar would (Temporal and RFC 5545 do the same), then
 * elapsed seconds, then business days; reversed for subtraction so that
 * apply(apply(t, d, +1), d, -1) == t away from gaps.  Parts beyond the
 * parser's limits are clamped to them.
 */
time_t
timeutil_apply(const struct timeutil_hours *hours, time_t t,
    const struct timeutil_duration *d, int sign)
{
	struct tu_hours h;
	int32_t days, bdays;
	int64_t secs;

	if (d == NULL)
		return t;
	tu_hours_norm(hours, &h);
	tu_zone_or_utc(h.zone);
	days = tu_clamp32(d->days, TIMEUTIL_MAX_DAYS);
	bdays = tu_clamp32(d->business_days, TU_MAX_BDAYS);
	secs = d->seconds > TU_MAX_SECONDS ? TU_MAX_SECONDS
	    : d->seconds < -TU_MAX_SECONDS ? -TU_MAX_SECONDS : d->seconds;
	if (sign < 0) {
		t = tu_add_bdays(&h, t, -bdays);
		t = tu_add_seconds(t, -secs);
		t = tu_add_days(t, -days);
	} else {
		t = tu_add_days(t, days);
		t = tu_add_seconds(t, secs);
		t = tu_add_bdays(&h, t, bdays);
	}
	return t;
}
