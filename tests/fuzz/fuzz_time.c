/*
 * The time parsers: what people type after --due, --at, --in and for the
 * configuration's hours, days, dates and durations.  Every parser sees
 * every input.  Besides crashes, leaks and undefined behaviour this checks
 * what callers rely on: the error contract, and that whatever parses comes
 * back unchanged through the matching formatter (the config loader, `nudge
 * ... show` and --json print values that people paste back in).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fuzz_common.h"
#include "timeutil.h"

/* Sorted civil day numbers: 2026-03-30, 2026-04-06, 2026-12-24. */
static const int32_t fuzz_holidays[] = { 20542, 20549, 20811 };

/*
 * The moments and zones parse_when() is tried in: each just before a DST
 * change (spring gap, autumn overlap, Lord Howe's half hour), a year end,
 * and the last year a date can be typed in, with different working time.
 */
static const struct fuzz_when {
	const char *zone;
	time_t now;
	int default_min;
	struct timeutil_hours hours;
	int has_hours;
} fuzz_whens[] = {
	{ "Europe/Stockholm", 1774744200, 17 * 60, /* 2026-03-29 01:30 */
	    { "Europe/Stockholm", 8 * 60, 17 * 60, TIMEUTIL_WEEKDAYS,
	      fuzz_holidays, 3 }, 1 },
	{ "America/New_York", 1793511000, 9 * 60,  /* 2026-11-01 01:30 */
	    { "America/New_York", 0, 1440, TIMEUTIL_SATURDAY |
	      TIMEUTIL_SUNDAY | TIMEUTIL_MONDAY, NULL, 0 }, 1 },
	{ "Australia/Lord_Howe", 1775315400, 0,    /* 2026-04-05 01:40 */
	    { NULL, 0, 0, 0, NULL, 0 }, 0 },
	{ NULL, 1798761599, 1439,                  /* 2026-12-31 23:59:59 */
	    { NULL, 0, 0, 0, NULL, 0 }, 0 },
	{ "UTC", 253402257600, 12 * 60,            /* 9999-12-31 12:00 */
	    { "UTC", 9 * 60, 10 * 60, TIMEUTIL_FRIDAY, NULL, 0 }, 1 },
};

/* First and last moments whose ISO form has a four-digit year >= 1970 in
 * every zone above. */
#define FUZZ_ISO_MIN ((time_t)2 * 86400)
#define FUZZ_ISO_MAX ((time_t)253402300799 - 2 * 86400)

static void
fuzz_duration(const char *s)
{
	struct timeutil_duration d, back;
	char buf[64], *err = NULL;
	int allow_zero, rc;

	for (allow_zero = 0; allow_zero <= 1; allow_zero++) {
		rc = timeutil_parse_duration_ex(s, allow_zero, &d, &err);
		fuzz_check_err("timeutil_parse_duration_ex", rc, err);
		err = NULL;
		if (rc != 0)
			continue;
		if (d.seconds < 0 || d.days < 0 || d.business_days < 0 ||
		    (!allow_zero && d.seconds == 0 && d.days == 0 &&
		    d.business_days == 0))
			fuzz_fail("duration '%s' parsed as %lld s %d d %d bd", s,
			    (long long)d.seconds, d.days, d.business_days);
		if (timeutil_format_duration(&d, buf, sizeof(buf)) != 0)
			fuzz_fail("duration '%s' does not format", s);
		rc = timeutil_parse_duration_ex(buf, 1, &back, &err);
		if (rc != 0 || back.seconds != d.seconds ||
		    back.days != d.days ||
		    back.business_days != d.business_days)
			fuzz_fail("duration '%s' -> '%s' reads back differently "
			    "(%s)", s, buf, err != NULL ? err : "other value");
	}
}

static void
fuzz_clock_hours(const char *s)
{
	char buf[16], buf2[16], range[40], *err = NULL;
	int m, a, b, back, rc;

	rc = timeutil_parse_clock(s, &m, &err);
	fuzz_check_err("timeutil_parse_clock", rc, err);
	err = NULL;
	if (rc == 0) {
		if (m < 0 || m > 1439 ||
		    timeutil_format_clock(m, buf, sizeof(buf)) != 0 ||
		    timeutil_parse_clock(buf, &back, NULL) != 0 || back != m)
			fuzz_fail("clock '%s' gave %d, no round trip", s, m);
	}

	rc = timeutil_parse_hours(s, &a, &b, &err);
	fuzz_check_err("timeutil_parse_hours", rc, err);
	if (rc == 0) {
		if (a < 0 || a >= b || b > 1440 ||
		    timeutil_format_clock(a, buf, sizeof(buf)) != 0 ||
		    timeutil_format_clock(b, buf2, sizeof(buf2)) != 0)
			fuzz_fail("hours '%s' gave %d-%d", s, a, b);
		snprintf(range, sizeof(range), "%s-%s", buf, buf2);
		if (timeutil_parse_hours(range, &m, &back, NULL) != 0 ||
		    m != a || back != b)
			fuzz_fail("hours '%s' -> '%s' reads back differently",
			    s, range);
	}
}

static void
fuzz_days_date(const char *s)
{
	char buf[16], *err = NULL;
	unsigned days;
	int32_t day, back;
	int rc;

	rc = timeutil_parse_days(s, &days, &err);
	fuzz_check_err("timeutil_parse_days", rc, err);
	err = NULL;
	if (rc == 0 && (days == 0 || (days & ~(unsigned)TIMEUTIL_ALL_DAYS)))
		fuzz_fail("days '%s' gave mask %#x", s, days);

	rc = timeutil_parse_date(s, &day, &err);
	fuzz_check_err("timeutil_parse_date", rc, err);
	if (rc == 0) {
		if (timeutil_format_date(day, buf, sizeof(buf)) != 0 ||
		    timeutil_parse_date(buf, &back, NULL) != 0 || back != day)
			fuzz_fail("date '%s' gave day %d, no round trip", s,
			    day);
	}
}

/*
 * A moment printed as ISO 8601 with its offset must read back as the same
 * moment in any zone; a relative time must lie ahead.
 */
static void
fuzz_when(const char *s)
{
	const struct fuzz_when *w;
	char iso[TIMEUTIL_ISO_MAX], *err = NULL;
	const char *p;
	time_t t, back;
	size_t i;
	int rc, relative;

	for (p = s; *p == ' ' || *p == '\t' || *p == '\n'; p++)
		;
	relative = *p == '+' || strncmp(p, "in ", 3) == 0 ||
	    strncmp(p, "IN ", 3) == 0;
	for (i = 0; i < sizeof(fuzz_whens) / sizeof(fuzz_whens[0]); i++) {
		w = &fuzz_whens[i];
		rc = timeutil_parse_when(s, w->now, w->zone, w->default_min,
		    w->has_hours ? &w->hours : NULL, &t, &err);
		fuzz_check_err("timeutil_parse_when", rc, err);
		err = NULL;
		if (rc != 0)
			continue;
		if (relative && t <= w->now)
			fuzz_fail("'%s' in %s is not after now", s,
			    w->zone != NULL ? w->zone : "UTC");
		if (t < FUZZ_ISO_MIN || t > FUZZ_ISO_MAX)
			continue;
		if (timeutil_format_iso(t, w->zone, iso, sizeof(iso)) != 0)
			fuzz_fail("'%s' gave %lld, which does not format", s,
			    (long long)t);
		rc = timeutil_parse_when(iso, w->now, w->zone, 0, NULL, &back,
		    &err);
		if (rc != 0 || back != t)
			fuzz_fail("'%s' -> %s reads back as %lld, not %lld (%s)",
			    s, iso, (long long)back, (long long)t,
			    err != NULL ? err : "other value");
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);

	fuzz_duration(s);
	fuzz_clock_hours(s);
	fuzz_days_date(s);
	fuzz_when(s);
	free(s);
	return 0;
}
