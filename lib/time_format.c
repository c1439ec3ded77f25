#include "time_format.h"

#include <stdio.h>
#include <string.h>

#include "time_internal.h"

/* "2026-11-23T15:34:26+01:00" */
#define TU_ISO_LEN 25

/* v as exactly `width` decimal digits (0 <= v < 10^width). */
static void
tu_digits(char *p, long v, int width)
{
	while (width-- > 0) {
		p[width] = (char)('0' + v % 10);
		v /= 10;
	}
}

int
timeutil_format_iso(time_t t, const char *zone, char *buf, size_t len)
{
	struct tm tm;
	long off;
	int n;

	if (buf == NULL || len == 0)
		return -1;
	buf[0] = '\0';
	/* UTC without touching TZ: a webhook body is in UTC and the text
	 * beside it in the owner's zone, and every switch of TZ has glibc
	 * read the zone's file again. */
	if (zone == NULL || strcmp(zone, "UTC") == 0) {
		if (gmtime_r(&t, &tm) == NULL)
			return -1;
		tm.tm_gmtoff = 0;
	} else if (tu_set_zone(zone) != 0 || localtime_r(&t, &tm) == NULL)
		return -1;
	off = tm.tm_gmtoff < 0 ? -tm.tm_gmtoff : tm.tm_gmtoff;
	/* Digits by hand: snprintf() was most of the cost, and a webhook
	 * body has five of these. */
	if (tm.tm_year + 1900L >= 0 && tm.tm_year + 1900L <= 9999 &&
	    off / 3600 <= 99 && len > TU_ISO_LEN) {
		tu_digits(buf, tm.tm_year + 1900L, 4);
		buf[4] = '-';
		tu_digits(buf + 5, tm.tm_mon + 1, 2);
		buf[7] = '-';
		tu_digits(buf + 8, tm.tm_mday, 2);
		buf[10] = 'T';
		tu_digits(buf + 11, tm.tm_hour, 2);
		buf[13] = ':';
		tu_digits(buf + 14, tm.tm_min, 2);
		buf[16] = ':';
		tu_digits(buf + 17, tm.tm_sec, 2);
		buf[19] = tm.tm_gmtoff < 0 ? '-' : '+';
		tu_digits(buf + 20, off / 3600, 2);
		buf[22] = ':';
		tu_digits(buf + 23, off / 60 % 60, 2);
		buf[TU_ISO_LEN] = '\0';
		return 0;
	}
	n = snprintf(buf, len, "%04ld-%02d-%02dT%02d:%02d:%02d%c%02ld:%02ld",
	    (long)tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, tm.tm_gmtoff < 0 ? '-' : '+', off / 3600,
	    off / 60 % 60);
	if (n < 0 || (size_t)n >= len) {
		buf[0] = '\0';
		return -1;
	}
	return 0;
}

/* Rounded down, so "in 23 hours" is never really 22 hours away. */
int
timeutil_format_relative(time_t t, time_t now, char *buf, size_t len)
{
	static const struct {
		int64_t limit, unit;
		const char *name;
	} steps[] = {
		{ 3600, 60, "minute" },
		{ TU_DAY, 3600, "hour" },
		{ 14 * (int64_t)TU_DAY, TU_DAY, "day" },
		{ 56 * (int64_t)TU_DAY, 7 * (int64_t)TU_DAY, "week" },
		{ 365 * (int64_t)TU_DAY, 30 * (int64_t)TU_DAY, "month" },
		{ INT64_MAX, 365 * (int64_t)TU_DAY, "year" },
	};
	int64_t diff, a, n;
	const char *name;
	size_t i;
	int r;

	if (buf == NULL || len == 0)
		return -1;
	if (__builtin_sub_overflow((int64_t)t, (int64_t)now, &diff) ||
	    diff == INT64_MIN)
		return -1;
	a = diff < 0 ? -diff : diff;
	/* Seconds under a minute: "now" for a moment 40 s away would
	 * disagree with the absolute time beside it. */
	if (a == 0)
		r = snprintf(buf, len, "now");
	else if (a < 60)
		r = snprintf(buf, len, "%s%lld second%s%s", diff > 0 ? "in " :
		    "", (long long)a, a == 1 ? "" : "s", diff > 0 ? "" :
		    " ago");
	else {
		for (i = 0; i + 1 < sizeof(steps) / sizeof(steps[0]); i++)
			if (a < steps[i].limit)
				break;
		n = a / steps[i].unit;
		name = steps[i].name;
		r = snprintf(buf, len, "%s%lld %s%s%s", diff > 0 ? "in " : "",
		    (long long)n, name, n == 1 ? "" : "s",
		    diff > 0 ? "" : " ago");
	}
	if (r < 0 || (size_t)r >= len) {
		buf[0] = '\0';
		return -1;
	}
	return 0;
}

int
timeutil_format_duration(const struct timeutil_duration *d, char *buf,
    size_t len)
{
	int64_t v[6];
	static const char *const unit[6] = { "w", "d", "h", "m", "s", "bd" };
	size_t pos = 0, i;
	int r;

	if (buf == NULL || len == 0)
		return -1;
	buf[0] = '\0';
	if (d == NULL || d->seconds < 0 || d->days < 0 ||
	    d->business_days < 0)
		return -1;
	v[0] = d->days % 7 == 0 ? d->days / 7 : 0;
	v[1] = d->days % 7 == 0 ? 0 : d->days;
	v[2] = d->seconds / 3600;
	v[3] = d->seconds / 60 % 60;
	v[4] = d->seconds % 60;
	v[5] = d->business_days;
	for (i = 0; i < 6; i++) {
		if (v[i] == 0)
			continue;
		r = snprintf(buf + pos, len - pos, "%lld%s", (long long)v[i],
		    unit[i]);
		if (r < 0 || (size_t)r >= len - pos)
			goto trunc;
		pos += (size_t)r;
	}
	if (pos == 0) {
		r = snprintf(buf, len, "0s");
		if (r < 0 || (size_t)r >= len)
			goto trunc;
	}
	return 0;
trunc:
	buf[0] = '\0';
	return -1;
}

int
timeutil_format_clock(int minute_of_day, char *buf, size_t len)
{
	int r;

	if (buf == NULL || len == 0)
		return -1;
	buf[0] = '\0';
	if (minute_of_day < 0 || minute_of_day > 1440)
		return -1;
	r = snprintf(buf, len, "%02d:%02d", minute_of_day / 60,
	    minute_of_day % 60);
	if (r < 0 || (size_t)r >= len) {
		buf[0] = '\0';
		return -1;
	}
	return 0;
}

int
timeutil_format_date(int32_t day, char *buf, size_t len)
{
	struct tm tm;
	time_t t = (time_t)day * TU_DAY;
	int r;

	if (buf == NULL || len == 0)
		return -1;
	buf[0] = '\0';
	if (gmtime_r(&t, &tm) == NULL)
		return -1;
	r = snprintf(buf, len, "%04ld-%02d-%02d", (long)tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday);
	if (r < 0 || (size_t)r >= len) {
		buf[0] = '\0';
		return -1;
	}
	return 0;
}
