/*
 * Parsing what people type: durations, moments ("tomorrow 10:00", "+2d"),
 * times of day, working hours, days of the week and dates.  Each returns
 * 0, or -1 and a message through errp (lib/err.h).  Zones as in
 * time_zone.h.
 */
#ifndef NUDGE_TIME_PARSE_H
#define NUDGE_TIME_PARSE_H

#include <stdint.h>
#include <time.h>

#include "time_calendar.h"

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

#endif
