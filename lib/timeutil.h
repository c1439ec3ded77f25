/*
 * Time: parsing what people type, time zones, working hours, business days.
 *
 * Moments are UTC epoch seconds (time_t).  Zones are IANA names applied
 * through the TZ environment variable and tzset(), so this module changes
 * the process's TZ: call it from one thread only (nudged's sender thread
 * never does, daemon/sender.h).  The zone last set is cached so repeated
 * calls for one zone cost no tzset().  A NULL zone means UTC; functions
 * that cannot report an error treat an unknown zone as UTC.
 *
 * Local times that do not exist (spring-forward gap) move forward to the
 * first valid instant; ambiguous ones (fall-back overlap) take the earlier.
 */
#ifndef NUDGE_TIMEUTIL_H
#define NUDGE_TIMEUTIL_H

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

#define TIMEUTIL_ISO_MAX   32   /* buffer for timeutil_format_iso() */
#define TIMEUTIL_ZONE_MAX  128  /* longest zone name accepted */

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

/* 1 if zone is "UTC" or names a TZif file under /usr/share/zoneinfo. */
int timeutil_zone_valid(const char *zone);

/*
 * "30s" "15m" "2h" "3d" "1w" "3bd", combined "1h30m" / "1d 2h" /
 * "1 hour and 30 minutes", long forms "3 days", "2 hours", "90 minutes",
 * "3 business days" (also "working days", "workdays").  Case-insensitive,
 * whole numbers only, each unit at most once, each part at most 100 years.
 * Must be > 0.
 */
int timeutil_parse_duration(const char *s, struct timeutil_duration *out,
    char **errp);
/* The same, but with allow_zero a zero duration ("0", "0s", "0d") passes. */
int timeutil_parse_duration_ex(const char *s, int allow_zero,
    struct timeutil_duration *out, char **errp);

/* "HH:MM" or "H:MM" -> minutes of day 0..1439. */
int timeutil_parse_clock(const char *s, int *minute_of_day, char **errp);
/* "08:00-17:00", "00:00-24:00" (24:00 only as the end; start < end). */
int timeutil_parse_hours(const char *s, int *start_min, int *end_min,
    char **errp);
/* "mon-fri", "mon-sun", "mon,wed,fri", "sat-mon" (wraps), "mon-wed,fri",
 * full names too, case-insensitive -> TIMEUTIL_* bits. */
int timeutil_parse_days(const char *s, unsigned *days, char **errp);
/* "2026-12-24" -> civil day number (years 1970..9999). */
int timeutil_parse_date(const char *s, int32_t *day, char **errp);

/*
 * What people type for a moment, interpreted in `zone` relative to `now`:
 * "now"; ISO 8601 date "2026-12-01" (at default_min local time) and date-time
 * "2026-12-01T09:30", "2026-12-01 09:30", with optional ":SS", with optional
 * "Z" or "+01:00"/"-0500"/"+01" offset (offset wins over zone);
 * "today", "tomorrow" (at default_min); weekday names "fri"/"friday" = the
 * next such day, today included only if the resulting moment is still after
 * now; "HH:MM" alone = today at that time if after now, else tomorrow;
 * combinations "fri 17:00", "tomorrow 9:30", "fri at 17:00", "17:00 fri",
 * "2026-12-01 9:30"; relative "+3d", "+2h", "+3bd", "in 3 days",
 * "in 2 hours", "in 3 business days" (applied as timeutil_apply() in `zone`;
 * business days use the days and holidays of `hours` when non-NULL, else
 * mon-fri with no holidays).  Case-insensitive, surrounding whitespace
 * ignored.  On failure the message names the input and lists what is
 * accepted.
 */
int timeutil_parse_when(const char *s, time_t now, const char *zone,
    int default_min, const struct timeutil_hours *hours, time_t *out,
    char **errp);

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

/* Local moment y-m-d h:mi:s (mon 1..12, y 0..30000) in zone -> epoch.
 * Fields out of range normalise as in mktime() (day 32 = next month).  -1
 * on an unknown zone or overflow. */
int timeutil_make_local(const char *zone, int y, int mon, int d, int h,
    int mi, int s, time_t *out);
int32_t timeutil_local_day(const char *zone, time_t t);  /* civil day no. */
int timeutil_local_minute(const char *zone, time_t t);   /* 0..1439 */
int timeutil_local_weekday(const char *zone, time_t t);  /* 0 = Monday */

/* ISO 8601 in the zone with its offset: "2026-12-01T09:30:00+01:00" (UTC
 * gives "+00:00").  TIMEUTIL_ISO_MAX bytes fit any year up to 9999. */
int timeutil_format_iso(time_t t, const char *zone, char *buf, size_t len);
/* Human relative, rounded down: "now" (under a minute), "in 5 minutes",
 * "in 3 hours", "in 2 days", "in 3 weeks", "in 4 months", "1 year ago". */
int timeutil_format_relative(time_t t, time_t now, char *buf, size_t len);
/* A duration back to text that timeutil_parse_duration() reads: "3bd",
 * "1d2h", "2w", "1h30m", "30s"; zero is "0s". */
int timeutil_format_duration(const struct timeutil_duration *d, char *buf,
    size_t len);
/* Minutes of day -> "08:00" (1440 -> "24:00"). */
int timeutil_format_clock(int minute_of_day, char *buf, size_t len);
/* Civil day number -> "2026-12-24". */
int timeutil_format_date(int32_t day, char *buf, size_t len);

#endif
