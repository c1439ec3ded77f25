/*
 * The calendar: durations applied in a zone (civil days, elapsed time,
 * business days) and a person's working hours.  Zones as in time_zone.h.
 */
#ifndef NUDGE_TIME_CALENDAR_H
#define NUDGE_TIME_CALENDAR_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define TIMEUTIL_MONDAY    0x01 /* bit 0 = Monday ... bit 6 = Sunday */
#define TIMEUTIL_TUESDAY   0x02
#define TIMEUTIL_WEDNESDAY 0x04
#define TIMEUTIL_THURSDAY  0x08
#define TIMEUTIL_FRIDAY    0x10
#define TIMEUTIL_SATURDAY  0x20
#define TIMEUTIL_SUNDAY    0x40
#define TIMEUTIL_WEEKDAYS  0x1f /* mon-fri */
#define TIMEUTIL_ALL_DAYS  0x7f

/* The last moment a person may name: 9999-12-30 00:00 UTC, so that it is
 * still in the year 9999 in every zone (the ISO 8601 form and SQLite's
 * date functions stop there). */
#define TIMEUTIL_LAST ((time_t)253402128000)

/* Durations longer than this (per part) are refused as typos. */
#define TIMEUTIL_MAX_DAYS  36600 /* 100 years */

struct timeutil_duration {
	int64_t seconds;       /* s, m, h: elapsed time */
	int32_t days;          /* d, w: civil days in the zone (keep wall time) */
	int32_t business_days; /* bd: working days per timeutil_hours */
};

/*
 * A person's working time.  All pointers borrowed.  Where a function takes
 * a NULL `struct timeutil_hours *`, the default is UTC, 00:00-24:00,
 * mon-fri, no holidays.  days == 0 means mon-fri; start/end outside
 * 0 <= start < end <= 1440 mean the whole day.
 */
struct timeutil_hours {
	const char *zone;       /* IANA name, e.g. "Europe/Stockholm" */
	int start_min, end_min; /* minutes of day, 0 <= start < end <= 1440
				   ("00:00-24:00" = always) */
	unsigned days;          /* TIMEUTIL_* bits */
	const int32_t *holidays; /* sorted civil day numbers (days since
				    1970-01-01), may be NULL */
	size_t nholidays;
};

/*
 * Apply a duration to t (sign +1 or -1) in hours->zone: whole days ("d",
 * "w") are civil days (so "+1d" across DST keeps the wall-clock time), then
 * the seconds part as elapsed time, then business days: same local
 * time-of-day on the Nth working day (per hours->days and holidays) after
 * (or before) the local date reached.  With sign -1 the steps run in reverse
 * order, so subtracting undoes adding.
 */
time_t timeutil_apply(const struct timeutil_hours *hours, time_t t,
    const struct timeutil_duration *d, int sign);
/* First instant >= t inside working hours on a working, non-holiday day. */
time_t timeutil_next_working(const struct timeutil_hours *hours, time_t t);
/* 1 if t is inside working hours on a working, non-holiday day. */
int timeutil_is_working(const struct timeutil_hours *hours, time_t t);
/* Working seconds in [from, to) (0 if to <= from). */
int64_t timeutil_working_seconds(const struct timeutil_hours *hours,
    time_t from, time_t to);

#endif
