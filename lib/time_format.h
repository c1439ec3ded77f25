/*
 * Formatting: moments, durations, times of day and dates as text.  Each
 * returns 0, or -1 on what it cannot format or a buffer too small.  Zones
 * as in time_zone.h.
 */
#ifndef NUDGE_TIME_FORMAT_H
#define NUDGE_TIME_FORMAT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "time_calendar.h"

#define TIMEUTIL_ISO_MAX   32   /* buffer for timeutil_format_iso() */

/* ISO 8601 in the zone with its offset: "2026-12-01T09:30:00+01:00" (UTC
 * gives "+00:00").  TIMEUTIL_ISO_MAX bytes fit any year up to 9999. */
int timeutil_format_iso(time_t t, const char *zone, char *buf, size_t len);
/* Human relative, rounded down: "now" (the same second), "in 40 seconds",
 * "in 5 minutes",
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
