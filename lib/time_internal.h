/*
 * What the time_*.c files share and no other file may use.  These were
 * static in one lib/timeutil.c; since it was split along its seams (zones,
 * calendar, parsing, formatting: timeutil.h), the parsers and formatters
 * need the zone's conversions and the calendar's weekday arithmetic, so
 * those are extern here, with the tu_ prefix they always had.
 */
#ifndef NUDGE_TIME_INTERNAL_H
#define NUDGE_TIME_INTERNAL_H

#include <stdint.h>
#include <time.h>

#include "time_calendar.h"

#define TU_DAY 86400
#define TU_ZONE_MAX 128 /* longest zone name accepted */
#define TU_MAX_SECONDS ((int64_t)TIMEUTIL_MAX_DAYS * TU_DAY)
#define TU_MAX_BDAYS (TIMEUTIL_MAX_DAYS * 5 / 7)

/* ASCII only, whatever the locale: zone names and the parsers' words.
 * Inline, as they were within one file: the parsers call them per byte. */
static inline int
tu_isdigit(int c)
{
	return c >= '0' && c <= '9';
}

static inline int
tu_isalpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* time_zone.c: TZ, and local civil time in the zone it was set to. */
int tu_set_zone(const char *zone);
void tu_zone_or_utc(const char *zone);
int tu_localtime(time_t t, struct tm *tm);
int32_t tu_day_of(time_t t, struct tm *tm);
int tu_mklocal(const struct tm *want, time_t *out);
int tu_day_at(int32_t day, int sec, time_t *out);

/* time_calendar.c */
int tu_weekday_of_day(int32_t day);

#endif
