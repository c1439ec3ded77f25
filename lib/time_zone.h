/*
 * Time zones: which names are zones, and local civil time in one.
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
 * The calendar, parsing and formatting functions that take a zone
 * (time_calendar.h, time_parse.h, time_format.h) go through this module,
 * so all of the above holds for them too.
 */
#ifndef NUDGE_TIME_ZONE_H
#define NUDGE_TIME_ZONE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* 1 if zone is "UTC" or names a TZif file under /usr/share/zoneinfo. */
int timeutil_zone_valid(const char *zone);

/* Local moment y-m-d h:mi:s (mon 1..12, y 0..30000) in zone -> epoch.
 * Fields out of range normalise as in mktime() (day 32 = next month).  -1
 * on an unknown zone or overflow. */
int timeutil_make_local(const char *zone, int y, int mon, int d, int h,
    int mi, int s, time_t *out);
int32_t timeutil_local_day(const char *zone, time_t t);  /* civil day no. */
int timeutil_local_minute(const char *zone, time_t t);   /* 0..1439 */
int timeutil_local_weekday(const char *zone, time_t t);  /* 0 = Monday */
/* zone's offset from UTC at t, in seconds, and what people call it
 * then ("JST", "CEST", "+0545") into abbr. */
long timeutil_zone_offset(const char *zone, time_t t, char *abbr,
    size_t len);

#endif
