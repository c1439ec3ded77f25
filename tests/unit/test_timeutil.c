/*
 * Unit tests for lib/timeutil.c.
 *
 * Expected moments are written as the UTC wall time of the instant, computed
 * by hand from the known offsets (Stockholm CET +1 / CEST +2, switching at
 * 01:00 UTC on 2026-03-29 and 2026-10-25; New York EST -5 / EDT -4,
 * switching at 2026-03-08 07:00 UTC and 2026-11-01 06:00 UTC), and turned
 * into epoch seconds by civil() below, which is independent of libc's time
 * functions.  `now` is always fixed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "timeutil.h"

#define SE "Europe/Stockholm"
#define NY "America/New_York"

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian, H. Hinnant). */
static int64_t
civil(int y, int m, int d)
{
	int64_t yy = y - (m <= 2);
	int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
	int64_t yoe = yy - era * 400;
	int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

/* The instant whose UTC wall time is y-mo-d h:mi:s. */
static time_t
U6(int y, int mo, int d, int h, int mi, int s)
{
	return (time_t)(civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s);
}

#define U(y, mo, d, h, mi) U6(y, mo, d, h, mi, 0)
#define DAY(y, mo, d) ((int32_t)civil(y, mo, d))

/* Report the failing row, then fail. */
#define CHECK_TIME(row, got, want)                                          \
	do {                                                                \
		long long g_ = (long long)(got), w_ = (long long)(want);    \
		if (g_ != w_) {                                             \
			print_error("%s:%d: %s: got %lld, want %lld "      \
			    "(off by %lld s)\n", __FILE__, __LINE__, (row),  \
			    g_, w_, g_ - w_);                               \
			fail();                                             \
		}                                                           \
	} while (0)

static void
test_civil_oracle(void **state)
{
	(void)state;
	/* Values from `date -u -d ... +%s`, so the oracle itself is checked. */
	assert_int_equal(U(1970, 1, 1, 0, 0), 0);
	assert_int_equal(U(2026, 3, 29, 0, 0), 1774742400);
	assert_int_equal(U(2026, 10, 25, 0, 0), 1792886400);
	assert_int_equal(U(2026, 3, 8, 0, 0), 1772928000);
	assert_int_equal(U(2026, 11, 1, 0, 0), 1793491200);
	assert_int_equal(U(2028, 2, 29, 0, 0), 1835395200);
	assert_int_equal(U(1969, 12, 31, 0, 0), -86400);
}

/* ---- zones ------------------------------------------------------------ */

static void
test_zone_valid(void **state)
{
	static const struct {
		const char *zone;
		int want;
	} rows[] = {
		{ "UTC", 1 },
		{ SE, 1 },
		{ NY, 1 },
		{ "Etc/GMT+1", 1 },
		{ "America/Port-au-Prince", 1 },
		{ "Asia/Kolkata", 1 },
		{ "Europe/Nowhere", 0 },
		{ "", 0 },
		{ "europe/stockholm", 0 },
		{ "Europe/Stockholm ", 0 },
		{ "Europe", 0 },             /* a directory */
		{ "zone.tab", 0 },           /* not a zone name */
		{ "leapseconds", 0 },        /* a regular file, not TZif */
		{ "../zoneinfo/UTC", 0 },
		{ "Europe/../UTC", 0 },
		{ "/usr/share/zoneinfo/UTC", 0 },
		{ "/etc/localtime", 0 },
		{ "CET-1CEST,M3.5.0,M10.5.0/3", 0 }, /* POSIX rule, no file */
		{ "EST5", 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		CHECK_TIME(rows[i].zone, timeutil_zone_valid(rows[i].zone),
		    rows[i].want);
	assert_int_equal(timeutil_zone_valid(NULL), 0);
}

/* The zone cache must notice when TZ was changed behind its back. */
static void
test_zone_cache(void **state)
{
	time_t t = U(2026, 7, 1, 12, 0);

	(void)state;
	assert_int_equal(timeutil_local_minute(SE, t), 14 * 60);
	assert_string_equal(getenv("TZ"), SE);
	assert_int_equal(timeutil_local_minute(SE, t), 14 * 60);
	unsetenv("TZ");
	tzset();
	assert_int_equal(timeutil_local_minute(SE, t), 14 * 60);
	assert_string_equal(getenv("TZ"), SE);
	setenv("TZ", NY, 1);
	tzset();
	assert_int_equal(timeutil_local_minute(SE, t), 14 * 60);
	assert_int_equal(timeutil_local_minute(NY, t), 8 * 60);
	assert_int_equal(timeutil_local_minute("UTC", t), 12 * 60);
	assert_int_equal(timeutil_local_minute(NULL, t), 12 * 60);
	/* An unknown zone reads as UTC and leaves the cache consistent. */
	assert_int_equal(timeutil_local_minute("Mars/Olympus", t), 12 * 60);
	assert_int_equal(timeutil_local_minute(SE, t), 14 * 60);
}

/* ---- durations -------------------------------------------------------- */

static void
test_parse_duration_ok(void **state)
{
	static const struct {
		const char *in;
		int64_t seconds;
		int32_t days, bdays;
	} rows[] = {
		{ "30s", 30, 0, 0 },
		{ "15m", 900, 0, 0 },
		{ "2h", 7200, 0, 0 },
		{ "3d", 0, 3, 0 },
		{ "1w", 0, 7, 0 },
		{ "3bd", 0, 0, 3 },
		{ "1h30m", 5400, 0, 0 },
		{ "1d2h", 7200, 1, 0 },
		{ "1w2d", 0, 9, 0 },
		{ "1d 2h 3m 4s", 7384, 1, 0 },
		{ "2bd 3h", 10800, 0, 2 },
		{ "3 days", 0, 3, 0 },
		{ "1 day", 0, 1, 0 },
		{ "2 hours", 7200, 0, 0 },
		{ "1 hour", 3600, 0, 0 },
		{ "90 minutes", 5400, 0, 0 },
		{ "3 business days", 0, 0, 3 },
		{ "1 business day", 0, 0, 1 },
		{ "2 business-days", 0, 0, 2 },
		{ "2 working days", 0, 0, 2 },
		{ "4 workdays", 0, 0, 4 },
		{ "5 bdays", 0, 0, 5 },
		{ "1 hour and 30 minutes", 5400, 0, 0 },
		{ "1h, 30m", 5400, 0, 0 },
		{ "1 sec", 1, 0, 0 },
		{ "10 secs", 10, 0, 0 },
		{ "45 seconds", 45, 0, 0 },
		{ "5 mins", 300, 0, 0 },
		{ "1 min", 60, 0, 0 },
		{ "3 hrs", 10800, 0, 0 },
		{ "1hr", 3600, 0, 0 },
		{ "2 wks", 0, 14, 0 },
		{ "1 week", 0, 7, 0 },
		{ "2 weeks", 0, 14, 0 },
		{ "  2H  ", 7200, 0, 0 },
		{ "2 Hours", 7200, 0, 0 },
		{ "3 Business Days", 0, 0, 3 },
		{ "001m", 60, 0, 0 },
		{ "36600d", 0, 36600, 0 },
		{ "5228w", 0, 36596, 0 },
		{ "878400h", 3162240000, 0, 0 },
	};
	struct timeutil_duration d;
	char *err = NULL;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		memset(&d, 0x55, sizeof(d));
		if (timeutil_parse_duration(rows[i].in, &d, &err) != 0) {
			print_error("'%s': %s\n", rows[i].in, err);
			free(err);
			fail();
		}
		CHECK_TIME(rows[i].in, d.seconds, rows[i].seconds);
		CHECK_TIME(rows[i].in, d.days, rows[i].days);
		CHECK_TIME(rows[i].in, d.business_days, rows[i].bdays);
	}
	assert_null(err);
}

static void
test_parse_duration_bad(void **state)
{
	static const char *const rows[] = {
		"", "   ", "0", "0s", "0d", "0h0m", "0bd", "-3d", "- 3d", "+3d",
		"3", "3 ", "3x", "3 d x", "d", "h1", "1.5h", "1,5h", "1h1h",
		"1h 2h", "2d 1d", "99999999999999999999d",
		"99999999999999999999", "36601d", "5229w", "878401h",
		"3162240001s", "26143bd", "36600d 1w", "1h,", "1h and",
		"1h-30m", "3 business", "3 business weeks", "three days",
		"3mo", "3 months", "1y", "3 days ago", "3dd", "1h30", "in 3d",
		"1 h our",
	};
	struct timeutil_duration d;
	char *err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		err = NULL;
		if (timeutil_parse_duration(rows[i], &d, &err) == 0) {
			print_error("'%s' was accepted\n", rows[i]);
			fail();
		}
		assert_non_null(err);
		/* The message names the input and says what is accepted. */
		assert_non_null(strstr(err, rows[i]));
		assert_non_null(strstr(err, "bd"));
		free(err);
	}
	assert_int_equal(timeutil_parse_duration(NULL, &d, NULL), -1);
	assert_int_equal(timeutil_parse_duration("0d", &d, NULL), -1);
}

static void
test_parse_duration_zero(void **state)
{
	static const char *const zero[] = { "0", "0s", "0d", "0bd", "0h 0m",
		" 0 " };
	static const char *const bad[] = { "", "-1d", "0x", "-0" };
	struct timeutil_duration d;
	char *err = NULL;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(zero) / sizeof(zero[0]); i++) {
		memset(&d, 0x55, sizeof(d));
		assert_int_equal(timeutil_parse_duration_ex(zero[i], 1, &d,
		    &err), 0);
		assert_true(d.seconds == 0 && d.days == 0 &&
		    d.business_days == 0);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(timeutil_parse_duration_ex(bad[i], 1, &d,
		    &err), -1);
		assert_non_null(err);
		free(err);
		err = NULL;
	}
	assert_int_equal(timeutil_parse_duration_ex("2h", 1, &d, &err), 0);
	assert_int_equal(d.seconds, 7200);
	assert_null(err);
}

static void
test_format_duration(void **state)
{
	static const struct {
		struct timeutil_duration d;
		const char *want;
	} rows[] = {
		{ { 0, 0, 0 }, "0s" },
		{ { 30, 0, 0 }, "30s" },
		{ { 900, 0, 0 }, "15m" },
		{ { 5400, 0, 0 }, "1h30m" },
		{ { 3661, 0, 0 }, "1h1m1s" },
		{ { 90000, 0, 0 }, "25h" },
		{ { 7200, 1, 0 }, "1d2h" },
		{ { 0, 7, 0 }, "1w" },
		{ { 0, 14, 0 }, "2w" },
		{ { 0, 10, 0 }, "10d" },
		{ { 0, 0, 3 }, "3bd" },
		{ { 60, 3, 2 }, "3d1m2bd" },
	};
	struct timeutil_duration back, neg = { -1, 0, 0 };
	char buf[64], small[4];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		assert_int_equal(timeutil_format_duration(&rows[i].d, buf,
		    sizeof(buf)), 0);
		assert_string_equal(buf, rows[i].want);
		/* What is printed reads back as the same duration. */
		assert_int_equal(timeutil_parse_duration_ex(buf, 1, &back,
		    NULL), 0);
		assert_true(back.seconds == rows[i].d.seconds &&
		    back.days == rows[i].d.days &&
		    back.business_days == rows[i].d.business_days);
	}
	assert_int_equal(timeutil_format_duration(&neg, buf, sizeof(buf)), -1);
	assert_int_equal(timeutil_format_duration(&rows[4].d, small,
	    sizeof(small)), -1);
	assert_string_equal(small, "");
	assert_int_equal(timeutil_format_duration(&rows[0].d, small, 2), -1);
	assert_int_equal(timeutil_format_duration(NULL, buf, sizeof(buf)), -1);
}

/* ---- clock, hours, days, dates ---------------------------------------- */

static void
test_parse_clock(void **state)
{
	static const struct {
		const char *in;
		int want; /* -1 = refused */
	} rows[] = {
		{ "00:00", 0 }, { "0:00", 0 }, { "9:30", 570 }, { "09:30", 570 },
		{ "23:59", 1439 }, { " 12:00 ", 720 }, { "12:05", 725 },
		{ "24:00", -1 }, { "24:01", -1 }, { "12:60", -1 },
		{ "25:00", -1 }, { "", -1 }, { "12", -1 }, { "12:5", -1 },
		{ "123:00", -1 }, { "12:00:00", -1 }, { "12:00x", -1 },
		{ "-1:00", -1 }, { "12h00", -1 }, { "a:bc", -1 }, { "9.30", -1 },
		{ "12 :00", -1 },
	};
	char *err;
	size_t i;
	int m;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		err = NULL;
		m = -2;
		if (rows[i].want < 0) {
			CHECK_TIME(rows[i].in, timeutil_parse_clock(rows[i].in,
			    &m, &err), -1);
			assert_non_null(err);
			assert_non_null(strstr(err, rows[i].in));
			free(err);
		} else {
			CHECK_TIME(rows[i].in, timeutil_parse_clock(rows[i].in,
			    &m, &err), 0);
			CHECK_TIME(rows[i].in, m, rows[i].want);
			assert_null(err);
		}
	}
}

static void
test_parse_hours(void **state)
{
	static const struct {
		const char *in;
		int start, end; /* start -1 = refused */
	} rows[] = {
		{ "08:00-17:00", 480, 1020 },
		{ "00:00-24:00", 0, 1440 },
		{ "8:00 - 17:30", 480, 1050 },
		{ " 22:00-23:59 ", 1320, 1439 },
		{ "00:00-00:01", 0, 1 },
		{ "17:00-08:00", -1, 0 },
		{ "08:00-08:00", -1, 0 },
		{ "24:00-24:00", -1, 0 },
		{ "00:00-00:00", -1, 0 },
		{ "08:00", -1, 0 },
		{ "08:00-", -1, 0 },
		{ "-17:00", -1, 0 },
		{ "08:00-24:01", -1, 0 },
		{ "08:00-25:00", -1, 0 },
		{ "08:00-17:00x", -1, 0 },
		{ "08:00-17:00-18:00", -1, 0 },
		{ "", -1, 0 },
		{ "8-17", -1, 0 },
		{ "08:00\xe2\x80\x93" "17:00", -1, 0 }, /* en dash */
	};
	char *err;
	size_t i;
	int a, b;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		err = NULL;
		if (rows[i].start < 0) {
			CHECK_TIME(rows[i].in, timeutil_parse_hours(rows[i].in,
			    &a, &b, &err), -1);
			assert_non_null(err);
			assert_non_null(strstr(err, rows[i].in));
			free(err);
		} else {
			CHECK_TIME(rows[i].in, timeutil_parse_hours(rows[i].in,
			    &a, &b, &err), 0);
			CHECK_TIME(rows[i].in, a, rows[i].start);
			CHECK_TIME(rows[i].in, b, rows[i].end);
		}
	}
}

static void
test_parse_days(void **state)
{
	static const struct {
		const char *in;
		int want; /* -1 = refused */
	} rows[] = {
		{ "mon-fri", 0x1f },
		{ "mon-sun", 0x7f },
		{ "mon,wed,fri", 0x15 },
		{ "sat-mon", 0x61 },
		{ "fri-mon", 0x71 },
		{ "sun-sat", 0x7f },
		{ "Monday-Friday", 0x1f },
		{ "MON", 0x01 },
		{ "sun", 0x40 },
		{ "saturday,sunday", 0x60 },
		{ "mon-wed,fri", 0x17 },
		{ " tue , thu ", 0x0a },
		{ "tues-thurs", 0x0e },
		{ "wed-wed", 0x04 },
		{ "mon,mon", 0x01 },
		{ "", -1 }, { " ", -1 }, { "mo", -1 }, { "mon-", -1 },
		{ "mon,,tue", -1 }, { "funday", -1 }, { "mon tue", -1 },
		{ "mon-fri-sat", -1 }, { "monday1", -1 }, { ",mon", -1 },
		{ "mon,", -1 }, { "mondays", -1 }, { "1-5", -1 },
	};
	char *err;
	unsigned d;
	size_t i;

	(void)state;
	assert_int_equal(TIMEUTIL_MONDAY | TIMEUTIL_TUESDAY |
	    TIMEUTIL_WEDNESDAY | TIMEUTIL_THURSDAY | TIMEUTIL_FRIDAY,
	    TIMEUTIL_WEEKDAYS);
	assert_int_equal(TIMEUTIL_WEEKDAYS | TIMEUTIL_SATURDAY |
	    TIMEUTIL_SUNDAY, TIMEUTIL_ALL_DAYS);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		err = NULL;
		if (rows[i].want < 0) {
			CHECK_TIME(rows[i].in, timeutil_parse_days(rows[i].in,
			    &d, &err), -1);
			assert_non_null(err);
			assert_non_null(strstr(err, rows[i].in));
			free(err);
		} else {
			CHECK_TIME(rows[i].in, timeutil_parse_days(rows[i].in,
			    &d, &err), 0);
			CHECK_TIME(rows[i].in, d, rows[i].want);
		}
	}
}

static void
test_parse_date(void **state)
{
	const struct {
		const char *in;
		int ok;
		int32_t want;
	} rows[] = {
		{ "2026-12-24", 1, 20811 },
		{ "1970-01-01", 1, 0 },
		{ "2028-02-29", 1, DAY(2028, 2, 29) },
		{ "2000-02-29", 1, DAY(2000, 2, 29) },
		{ "2026-01-31", 1, DAY(2026, 1, 31) },
		{ "2026-12-31", 1, DAY(2026, 12, 31) },
		{ " 2027-01-01 ", 1, DAY(2027, 1, 1) },
		{ "9999-12-31", 1, DAY(9999, 12, 31) },
		{ "2026-02-29", 0, 0 },
		{ "2100-02-29", 0, 0 },
		{ "2026-13-01", 0, 0 },
		{ "2026-00-10", 0, 0 },
		{ "2026-04-31", 0, 0 },
		{ "2026-12-32", 0, 0 },
		{ "2026-12-00", 0, 0 },
		{ "1969-12-31", 0, 0 },
		{ "2026-1-5", 0, 0 },
		{ "26-12-24", 0, 0 },
		{ "2026/12/24", 0, 0 },
		{ "2026-12-24x", 0, 0 },
		{ "2026-12-245", 0, 0 },
		{ "2026-12-24T10:00", 0, 0 },
		{ "20261224", 0, 0 },
		{ "", 0, 0 },
	};
	char *err;
	int32_t d;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		err = NULL;
		if (!rows[i].ok) {
			CHECK_TIME(rows[i].in, timeutil_parse_date(rows[i].in,
			    &d, &err), -1);
			assert_non_null(err);
			assert_non_null(strstr(err, rows[i].in));
			free(err);
		} else {
			CHECK_TIME(rows[i].in, timeutil_parse_date(rows[i].in,
			    &d, &err), 0);
			CHECK_TIME(rows[i].in, d, rows[i].want);
		}
	}
}

static void
test_format_clock_date(void **state)
{
	char buf[16];

	(void)state;
	assert_int_equal(timeutil_format_clock(0, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "00:00");
	assert_int_equal(timeutil_format_clock(570, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "09:30");
	assert_int_equal(timeutil_format_clock(1440, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "24:00");
	assert_int_equal(timeutil_format_clock(-1, buf, sizeof(buf)), -1);
	assert_int_equal(timeutil_format_clock(1441, buf, sizeof(buf)), -1);
	assert_int_equal(timeutil_format_clock(570, buf, 5), -1);
	assert_int_equal(timeutil_format_date(0, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "1970-01-01");
	assert_int_equal(timeutil_format_date(DAY(2028, 2, 29), buf,
	    sizeof(buf)), 0);
	assert_string_equal(buf, "2028-02-29");
	assert_int_equal(timeutil_format_date(-1, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "1969-12-31");
	assert_int_equal(timeutil_format_date(0, buf, 10), -1);
}

/* ---- make_local and local_* ------------------------------------------- */

static void
test_make_local(void **state)
{
	const struct {
		const char *row, *zone;
		int y, mo, d, h, mi, s;
		time_t want;
	} rows[] = {
		{ "se winter", SE, 2026, 1, 15, 9, 0, 0, U(2026, 1, 15, 8, 0) },
		{ "se summer", SE, 2026, 7, 15, 9, 0, 0, U(2026, 7, 15, 7, 0) },
		{ "se before gap", SE, 2026, 3, 29, 1, 59, 59,
		    U6(2026, 3, 29, 0, 59, 59) },
		{ "se gap start", SE, 2026, 3, 29, 2, 0, 0,
		    U(2026, 3, 29, 1, 0) },
		{ "se in gap", SE, 2026, 3, 29, 2, 30, 0, U(2026, 3, 29, 1, 0) },
		{ "se gap end", SE, 2026, 3, 29, 2, 59, 59,
		    U(2026, 3, 29, 1, 0) },
		{ "se after gap", SE, 2026, 3, 29, 3, 0, 0,
		    U(2026, 3, 29, 1, 0) },
		{ "se after gap 2", SE, 2026, 3, 29, 3, 30, 0,
		    U(2026, 3, 29, 1, 30) },
		{ "se before overlap", SE, 2026, 10, 25, 1, 59, 0,
		    U(2026, 10, 24, 23, 59) },
		{ "se overlap start", SE, 2026, 10, 25, 2, 0, 0,
		    U(2026, 10, 25, 0, 0) },
		{ "se in overlap", SE, 2026, 10, 25, 2, 30, 0,
		    U(2026, 10, 25, 0, 30) },
		{ "se after overlap", SE, 2026, 10, 25, 3, 0, 0,
		    U(2026, 10, 25, 2, 0) },
		{ "ny winter", NY, 2026, 1, 15, 9, 0, 0, U(2026, 1, 15, 14, 0) },
		{ "ny summer", NY, 2026, 7, 15, 9, 0, 0, U(2026, 7, 15, 13, 0) },
		{ "ny before gap", NY, 2026, 3, 8, 1, 59, 0,
		    U(2026, 3, 8, 6, 59) },
		{ "ny in gap", NY, 2026, 3, 8, 2, 30, 0, U(2026, 3, 8, 7, 0) },
		{ "ny after gap", NY, 2026, 3, 8, 3, 0, 0, U(2026, 3, 8, 7, 0) },
		{ "ny overlap start", NY, 2026, 11, 1, 1, 0, 0,
		    U(2026, 11, 1, 5, 0) },
		{ "ny in overlap", NY, 2026, 11, 1, 1, 30, 0,
		    U(2026, 11, 1, 5, 30) },
		{ "ny after overlap", NY, 2026, 11, 1, 2, 0, 0,
		    U(2026, 11, 1, 7, 0) },
		{ "ny before overlap", NY, 2026, 11, 1, 0, 59, 0,
		    U(2026, 11, 1, 4, 59) },
		{ "utc", "UTC", 2026, 1, 31, 10, 0, 0, U(2026, 1, 31, 10, 0) },
		{ "null zone", NULL, 2026, 1, 31, 10, 0, 0,
		    U(2026, 1, 31, 10, 0) },
		{ "leap day", SE, 2028, 2, 29, 12, 0, 0,
		    U(2028, 2, 29, 11, 0) },
		{ "normalise day 32", SE, 2026, 1, 32, 10, 0, 0,
		    U(2026, 2, 1, 9, 0) },
		{ "normalise 24:00", SE, 2026, 12, 31, 24, 0, 0,
		    U(2026, 12, 31, 23, 0) },
		{ "kolkata", "Asia/Kolkata", 2026, 12, 1, 14, 0, 0,
		    U(2026, 12, 1, 8, 30) },
		{ "epoch", "UTC", 1970, 1, 1, 0, 0, 0, 0 },
		{ "before epoch", "UTC", 1969, 12, 31, 23, 59, 59, -1 },
	};
	time_t t;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		t = 12345;
		CHECK_TIME(rows[i].row, timeutil_make_local(rows[i].zone,
		    rows[i].y, rows[i].mo, rows[i].d, rows[i].h, rows[i].mi,
		    rows[i].s, &t), 0);
		CHECK_TIME(rows[i].row, t, rows[i].want);
	}
	assert_int_equal(timeutil_make_local("Mars/Olympus", 2026, 1, 1, 0, 0,
	    0, &t), -1);
	assert_int_equal(timeutil_make_local("../../etc/passwd", 2026, 1, 1, 0,
	    0, 0, &t), -1);
}

static void
test_local_fields(void **state)
{
	const struct {
		const char *row, *zone;
		time_t t;
		int32_t day;
		int minute, weekday;
	} rows[] = {
		/* 2026-03-28 23:30 UTC is Sunday 00:30 CET in Stockholm. */
		{ "se after midnight", SE, U(2026, 3, 28, 23, 30),
		    DAY(2026, 3, 29), 30, 6 },
		{ "se gap", SE, U(2026, 3, 29, 1, 0), DAY(2026, 3, 29), 180, 6 },
		{ "se summer", SE, U(2026, 7, 1, 22, 15), DAY(2026, 7, 2), 15,
		    3 },
		{ "se overlap 1st", SE, U(2026, 10, 25, 0, 30),
		    DAY(2026, 10, 25), 150, 6 },
		{ "se overlap 2nd", SE, U(2026, 10, 25, 1, 30),
		    DAY(2026, 10, 25), 150, 6 },
		/* 2026-03-08 03:00 UTC is Saturday 22:00 EST in New York. */
		{ "ny before midnight", NY, U(2026, 3, 8, 3, 0),
		    DAY(2026, 3, 7), 1320, 5 },
		{ "ny gap", NY, U(2026, 3, 8, 7, 0), DAY(2026, 3, 8), 180, 6 },
		{ "utc epoch", "UTC", 0, 0, 0, 3 },
		{ "utc before epoch", "UTC", -1, -1, 1439, 2 },
		{ "null zone", NULL, U(2026, 1, 31, 10, 0), DAY(2026, 1, 31),
		    600, 5 },
		{ "unknown zone = utc", "Nowhere/Land", U(2026, 1, 31, 10, 0),
		    DAY(2026, 1, 31), 600, 5 },
		{ "leap day", SE, U(2028, 2, 29, 12, 0), DAY(2028, 2, 29), 780,
		    1 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		CHECK_TIME(rows[i].row, timeutil_local_day(rows[i].zone,
		    rows[i].t), rows[i].day);
		CHECK_TIME(rows[i].row, timeutil_local_minute(rows[i].zone,
		    rows[i].t), rows[i].minute);
		CHECK_TIME(rows[i].row, timeutil_local_weekday(rows[i].zone,
		    rows[i].t), rows[i].weekday);
	}
}

/* ---- parse_when ------------------------------------------------------- */

struct when_row {
	const char *zone;
	time_t now;
	int default_min;
	const struct timeutil_hours *hours;
	const char *in;
	time_t want;
};

static void
check_when_rows(const struct when_row *rows, size_t n)
{
	char *err;
	time_t t;
	size_t i;

	for (i = 0; i < n; i++) {
		err = NULL;
		t = 12345;
		if (timeutil_parse_when(rows[i].in, rows[i].now, rows[i].zone,
		    rows[i].default_min, rows[i].hours, &t, &err) != 0) {
			print_error("'%s' in %s: %s\n", rows[i].in,
			    rows[i].zone != NULL ? rows[i].zone : "(null)", err);
			free(err);
			fail();
		}
		CHECK_TIME(rows[i].in, t, rows[i].want);
		assert_null(err);
	}
}

static void
test_parse_when_stockholm(void **state)
{
	/* Wednesday 2026-03-25 10:00 CET; DST starts Sunday the 29th. */
	time_t now = U(2026, 3, 25, 9, 0);
	const int32_t hol[] = { DAY(2026, 3, 30) };
	struct timeutil_hours h = { SE, 480, 1020, TIMEUTIL_WEEKDAYS, hol, 1 };
	const struct when_row rows[] = {
		{ SE, now, 540, NULL, "now", now },
		{ SE, now, 540, NULL, "  NOW ", now },
		{ SE, now, 540, NULL, "2026-12-01", U(2026, 12, 1, 8, 0) },
		{ SE, now, 0, NULL, "2026-12-01", U(2026, 11, 30, 23, 0) },
		{ SE, now, 540, NULL, "2026-07-01", U(2026, 7, 1, 7, 0) },
		{ SE, now, 540, NULL, "2026-12-01T09:30",
		    U(2026, 12, 1, 8, 30) },
		{ SE, now, 540, NULL, "2026-12-01t09:30",
		    U(2026, 12, 1, 8, 30) },
		{ SE, now, 540, NULL, "2026-12-01 09:30",
		    U(2026, 12, 1, 8, 30) },
		{ SE, now, 540, NULL, "2026-12-01 9:30", U(2026, 12, 1, 8, 30) },
		{ SE, now, 540, NULL, "2026-12-01 at 9:30",
		    U(2026, 12, 1, 8, 30) },
		{ SE, now, 540, NULL, "2026-12-01T09:30:15",
		    U6(2026, 12, 1, 8, 30, 15) },
		{ SE, now, 540, NULL, "2026-12-01T09:30Z",
		    U(2026, 12, 1, 9, 30) },
		{ SE, now, 540, NULL, "2026-12-01T09:30:00z",
		    U(2026, 12, 1, 9, 30) },
		{ SE, now, 540, NULL, "2026-12-01T09:30+01:00",
		    U(2026, 12, 1, 8, 30) },
		{ SE, now, 540, NULL, "2026-12-01T09:30-0500",
		    U(2026, 12, 1, 14, 30) },
		{ SE, now, 540, NULL, "2026-12-01T09:30+05",
		    U(2026, 12, 1, 4, 30) },
		{ SE, now, 540, NULL, "2026-12-01T09:30:00+05:30",
		    U(2026, 12, 1, 4, 0) },
		{ SE, now, 540, NULL, "2026-12-01 09:30+00:00",
		    U(2026, 12, 1, 9, 30) },
		{ SE, now, 540, NULL, "2026-07-01T12:00", U(2026, 7, 1, 10, 0) },
		{ SE, now, 540, NULL, "2028-02-29", U(2028, 2, 29, 8, 0) },
		{ SE, now, 540, NULL, "today", U(2026, 3, 25, 8, 0) },
		{ SE, now, 540, NULL, "today 17:00", U(2026, 3, 25, 16, 0) },
		{ SE, now, 540, NULL, "tomorrow", U(2026, 3, 26, 8, 0) },
		{ SE, now, 540, NULL, "Tomorrow 9:30", U(2026, 3, 26, 8, 30) },
		{ SE, now, 540, NULL, "tomorrow at 9:30",
		    U(2026, 3, 26, 8, 30) },
		{ SE, now, 540, NULL, "9:30 tomorrow", U(2026, 3, 26, 8, 30) },
		{ SE, now, 540, NULL, "fri", U(2026, 3, 27, 8, 0) },
		{ SE, now, 540, NULL, "Friday", U(2026, 3, 27, 8, 0) },
		{ SE, now, 540, NULL, "friday 17:00", U(2026, 3, 27, 16, 0) },
		{ SE, now, 540, NULL, "  FRI  17:00 ", U(2026, 3, 27, 16, 0) },
		{ SE, now, 540, NULL, "fri at 17:00", U(2026, 3, 27, 16, 0) },
		{ SE, now, 540, NULL, "17:00 fri", U(2026, 3, 27, 16, 0) },
		{ SE, now, 540, NULL, "thu", U(2026, 3, 26, 8, 0) },
		{ SE, now, 540, NULL, "tues", U(2026, 3, 31, 7, 0) },
		{ SE, now, 540, NULL, "mon", U(2026, 3, 30, 7, 0) },
		/* Today's weekday: only if the moment is still ahead. */
		{ SE, now, 540, NULL, "wed", U(2026, 4, 1, 7, 0) },
		{ SE, now, 540, NULL, "wed 11:00", U(2026, 3, 25, 10, 0) },
		{ SE, now, 540, NULL, "Wednesday 10:00", U(2026, 4, 1, 8, 0) },
		{ SE, now, 540, NULL, "wed 10:01", U(2026, 3, 25, 9, 1) },
		/* Sunday the 29th: 02:00-03:00 does not exist. */
		{ SE, now, 540, NULL, "sun 1:59", U(2026, 3, 29, 0, 59) },
		{ SE, now, 540, NULL, "sun 2:00", U(2026, 3, 29, 1, 0) },
		{ SE, now, 540, NULL, "sun 2:30", U(2026, 3, 29, 1, 0) },
		{ SE, now, 540, NULL, "sun 03:00", U(2026, 3, 29, 1, 0) },
		{ SE, now, 540, NULL, "sun", U(2026, 3, 29, 7, 0) },
		{ SE, now, 540, NULL, "2026-03-29 02:30", U(2026, 3, 29, 1, 0) },
		{ SE, now, 540, NULL, "11:00", U(2026, 3, 25, 10, 0) },
		{ SE, now, 540, NULL, "10:00:01", U6(2026, 3, 25, 9, 0, 1) },
		{ SE, now, 540, NULL, "10:00", U(2026, 3, 26, 9, 0) },
		{ SE, now, 540, NULL, "09:00", U(2026, 3, 26, 8, 0) },
		{ SE, now, 540, NULL, "0:00", U(2026, 3, 25, 23, 0) },
		/* Relative. */
		{ SE, now, 540, NULL, "+2h", now + 7200 },
		{ SE, now, 540, NULL, "in 2 hours", now + 7200 },
		{ SE, now, 540, NULL, "+90m", now + 5400 },
		{ SE, now, 540, NULL, "in 90 minutes", now + 5400 },
		{ SE, now, 540, NULL, "+1h30m", now + 5400 },
		{ SE, now, 540, NULL, "+30s", now + 30 },
		{ SE, now, 540, NULL, "+3d", U(2026, 3, 28, 9, 0) },
		{ SE, now, 540, NULL, "in 3 days", U(2026, 3, 28, 9, 0) },
		{ SE, now, 540, NULL, "IN 3 DAYS", U(2026, 3, 28, 9, 0) },
		/* Civil days keep 10:00 across the switch: 5 days = 119h. */
		{ SE, now, 540, NULL, "+5d", U(2026, 3, 30, 8, 0) },
		{ SE, now, 540, NULL, "+120h", U(2026, 3, 30, 9, 0) },
		{ SE, now, 540, NULL, "+1w", U(2026, 4, 1, 8, 0) },
		{ SE, now, 540, NULL, "+ 1w", U(2026, 4, 1, 8, 0) },
		{ SE, now, 540, NULL, "+3bd", U(2026, 3, 30, 8, 0) },
		{ SE, now, 540, NULL, "in 3 business days",
		    U(2026, 3, 30, 8, 0) },
		/* With a holiday on Monday the 30th. */
		{ SE, now, 540, &h, "+3bd", U(2026, 3, 31, 8, 0) },
		{ SE, now, 540, &h, "in 3 business days", U(2026, 3, 31, 8, 0) },
		{ SE, now, 540, &h, "+2bd", U(2026, 3, 27, 9, 0) },
	};

	(void)state;
	check_when_rows(rows, sizeof(rows) / sizeof(rows[0]));
}

static void
test_parse_when_dst(void **state)
{
	/* Saturday 2026-10-24 12:00 CEST; DST ends Sunday 03:00 -> 02:00. */
	time_t se_fall = U(2026, 10, 24, 10, 0);
	/* Saturday 2026-03-07 12:00 EST; DST starts Sunday 02:00 -> 03:00. */
	time_t ny_spring = U(2026, 3, 7, 17, 0);
	/* Saturday 2026-10-31 12:00 EDT; DST ends Sunday 02:00 -> 01:00. */
	time_t ny_fall = U(2026, 10, 31, 16, 0);
	/* Saturday 2026-01-31 12:00 UTC, a month end. */
	time_t utc = U(2026, 1, 31, 12, 0);
	const struct when_row rows[] = {
		{ SE, se_fall, 540, NULL, "sun 02:30", U(2026, 10, 25, 0, 30) },
		{ SE, se_fall, 540, NULL, "tomorrow 02:30",
		    U(2026, 10, 25, 0, 30) },
		{ SE, se_fall, 540, NULL, "sun 01:59",
		    U(2026, 10, 24, 23, 59) },
		{ SE, se_fall, 540, NULL, "sun 03:00", U(2026, 10, 25, 2, 0) },
		{ SE, se_fall, 540, NULL, "tomorrow 12:00",
		    U(2026, 10, 25, 11, 0) },
		{ SE, se_fall, 540, NULL, "+1d", U(2026, 10, 25, 11, 0) },
		{ SE, se_fall, 540, NULL, "+24h", U(2026, 10, 25, 10, 0) },
		{ SE, se_fall, 540, NULL, "+1bd", U(2026, 10, 26, 11, 0) },
		{ SE, se_fall, 540, NULL, "2026-10-25T02:30+01:00",
		    U(2026, 10, 25, 1, 30) },
		{ NY, ny_spring, 540, NULL, "sun 2:30", U(2026, 3, 8, 7, 0) },
		{ NY, ny_spring, 540, NULL, "sun 1:30", U(2026, 3, 8, 6, 30) },
		{ NY, ny_spring, 540, NULL, "2026-03-08 02:00",
		    U(2026, 3, 8, 7, 0) },
		{ NY, ny_spring, 540, NULL, "2026-03-08", U(2026, 3, 8, 13, 0) },
		{ NY, ny_spring, 540, NULL, "tomorrow 12:00",
		    U(2026, 3, 8, 16, 0) },
		{ NY, ny_spring, 540, NULL, "+1d", U(2026, 3, 8, 16, 0) },
		{ NY, ny_spring, 540, NULL, "in 1 day", U(2026, 3, 8, 16, 0) },
		{ NY, ny_spring, 540, NULL, "+24h", U(2026, 3, 8, 17, 0) },
		{ NY, ny_spring, 540, NULL, "mon", U(2026, 3, 9, 13, 0) },
		{ NY, ny_spring, 540, NULL, "+1bd", U(2026, 3, 9, 16, 0) },
		{ NY, ny_spring, 540, NULL, "11:00", U(2026, 3, 8, 15, 0) },
		{ NY, ny_spring, 540, NULL, "13:00", U(2026, 3, 7, 18, 0) },
		{ NY, ny_fall, 540, NULL, "sun 1:30", U(2026, 11, 1, 5, 30) },
		{ NY, ny_fall, 540, NULL, "sun 2:00", U(2026, 11, 1, 7, 0) },
		{ NY, ny_fall, 540, NULL, "tomorrow 12:00",
		    U(2026, 11, 1, 17, 0) },
		{ NY, ny_fall, 540, NULL, "+1d", U(2026, 11, 1, 17, 0) },
		{ NY, ny_fall, 540, NULL, "+24h", U(2026, 11, 1, 16, 0) },
		{ NY, ny_fall, 540, NULL, "2026-11-01T01:30-05:00",
		    U(2026, 11, 1, 6, 30) },
		{ NY, ny_fall, 540, NULL, "2026-11-01T01:30-04:00",
		    U(2026, 11, 1, 5, 30) },
		{ NY, ny_fall, 540, NULL, "mon", U(2026, 11, 2, 14, 0) },
		{ "UTC", utc, 0, NULL, "today", U(2026, 1, 31, 0, 0) },
		{ "UTC", utc, 0, NULL, "+1d", U(2026, 2, 1, 12, 0) },
		{ "UTC", utc, 0, NULL, "+1bd", U(2026, 2, 2, 12, 0) },
		{ "UTC", utc, 0, NULL, "tomorrow", U(2026, 2, 1, 0, 0) },
		{ NULL, utc, 60, NULL, "tomorrow", U(2026, 2, 1, 1, 0) },
		{ NULL, utc, 60, NULL, "2026-02-01T00:00:00Z",
		    U(2026, 2, 1, 0, 0) },
		{ "UTC", U(2028, 2, 28, 12, 0), 0, NULL, "+1d",
		    U(2028, 2, 29, 12, 0) },
		{ "UTC", U(2028, 2, 28, 12, 0), 0, NULL, "tomorrow 8:00",
		    U(2028, 2, 29, 8, 0) },
		{ "UTC", U(2026, 2, 28, 12, 0), 0, NULL, "+1d",
		    U(2026, 3, 1, 12, 0) },
		{ "UTC", U(2026, 12, 31, 12, 0), 0, NULL, "tomorrow",
		    U(2027, 1, 1, 0, 0) },
		{ "UTC", U(2026, 12, 31, 12, 0), 0, NULL, "+1bd",
		    U(2027, 1, 1, 12, 0) },
	};

	(void)state;
	check_when_rows(rows, sizeof(rows) / sizeof(rows[0]));
}

static void
test_parse_when_bad(void **state)
{
	static const char *const rows[] = {
		"", "   ", "yesterday", "next friday", "fr", "t", "noon",
		"2026-02-29", "2026-13-01", "2026-04-31", "1969-12-31",
		"2026-1-5", "20261201", "2026-12-01T", "2026-12-01T24:00",
		"2026-12-01 24:00", "24:00", "25:00", "12:60", "12:00:61",
		"12", "fri 25:00", "fri 17", "fri 5pm", "+0d", "+0", "+-3d",
		"-3d", "in", "in 0 days", "in three days", "+3", "+3x", "+",
		"+99999999999999999999d", "+36601d", "+1.5h",
		"2026-12-01T09:30+25:00", "2026-12-01T09:30+01:60",
		"2026-12-01T09:30+1", "2026-12-01T09:30 +01:00",
		"2026-12-01T09:30Zz", "fri 17:00 extra", "fri at 17:00 x",
		"fri on 17:00", "fri tomorrow", "17:00 18:00",
		"2026-12-01 2026-12-02", "tomorrow 9:30Z", "9:30+01:00",
		"fri 17:00Z", "2026-12-01T09:30 fri", "now now", "now 9:00",
		"3 days", "in 3", "friday!", "mon-fri",
	};
	char *err;
	time_t t;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		err = NULL;
		t = 12345;
		if (timeutil_parse_when(rows[i], U(2026, 3, 25, 9, 0), SE, 540,
		    NULL, &t, &err) == 0) {
			print_error("'%s' was accepted as %lld\n", rows[i],
			    (long long)t);
			fail();
		}
		assert_int_equal(t, 12345);
		assert_non_null(err);
		assert_non_null(strstr(err, rows[i]));
		assert_non_null(strstr(err, "tomorrow"));
		assert_non_null(strstr(err, "+3bd"));
		free(err);
	}
}

static void
test_parse_when_errors(void **state)
{
	char *err = NULL, big[300];
	time_t t;

	(void)state;
	assert_int_equal(timeutil_parse_when("now", 0, "Mars/Olympus", 540,
	    NULL, &t, &err), -1);
	assert_non_null(strstr(err, "Mars/Olympus"));
	free(err);
	err = NULL;
	assert_int_equal(timeutil_parse_when("now", 0, "UTC", 1440, NULL, &t,
	    &err), -1);
	free(err);
	err = NULL;
	assert_int_equal(timeutil_parse_when("now", 0, "UTC", -1, NULL, &t,
	    &err), -1);
	free(err);
	err = NULL;
	memset(big, '1', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(timeutil_parse_when(big, 0, "UTC", 0, NULL, &t, &err),
	    -1);
	assert_non_null(err);
	assert_true(strlen(err) < 1000);
	free(err);
	assert_int_equal(timeutil_parse_when(NULL, 0, "UTC", 0, NULL, &t,
	    NULL), -1);
	assert_int_equal(timeutil_parse_when("bogus", 0, "UTC", 0, NULL, &t,
	    NULL), -1);
}

/* ---- apply ------------------------------------------------------------ */

static void
test_apply(void **state)
{
	const int32_t hol[] = { DAY(2026, 12, 25), DAY(2026, 12, 26),
		DAY(2027, 1, 1) };
	struct timeutil_hours se = { SE, 480, 1020, TIMEUTIL_WEEKDAYS, NULL,
		0 };
	struct timeutil_hours sex = { SE, 480, 1020, TIMEUTIL_WEEKDAYS, hol,
		3 };
	struct timeutil_hours ny = { NY, 540, 1020, TIMEUTIL_WEEKDAYS, NULL,
		0 };
	struct timeutil_hours mwf = { "UTC", 0, 1440, 0x15, NULL, 0 };
	struct timeutil_hours utc = { "UTC", 0, 1440, TIMEUTIL_WEEKDAYS,
		NULL, 0 };
	const struct {
		const char *row;
		const struct timeutil_hours *h;
		time_t t;
		const char *dur;
		int sign;
		time_t want;
	} rows[] = {
		/* Spring forward: +1d keeps 10:00 (23 h), +24h gives 11:00. */
		{ "se +1d spring", &se, U(2026, 3, 28, 9, 0), "1d", 1,
		    U(2026, 3, 29, 8, 0) },
		{ "se +24h spring", &se, U(2026, 3, 28, 9, 0), "24h", 1,
		    U(2026, 3, 29, 9, 0) },
		{ "se -1d spring", &se, U(2026, 3, 29, 8, 0), "1d", -1,
		    U(2026, 3, 28, 9, 0) },
		{ "se -24h spring", &se, U(2026, 3, 29, 8, 0), "24h", -1,
		    U(2026, 3, 28, 8, 0) },
		{ "se +1d into gap", &se, U(2026, 3, 28, 1, 30), "1d", 1,
		    U(2026, 3, 29, 1, 0) },
		/* Fall back: +1d keeps 10:00 (25 h), +24h gives 09:00. */
		{ "se +1d fall", &se, U(2026, 10, 24, 8, 0), "1d", 1,
		    U(2026, 10, 25, 9, 0) },
		{ "se +24h fall", &se, U(2026, 10, 24, 8, 0), "24h", 1,
		    U(2026, 10, 25, 8, 0) },
		{ "se +1d into overlap", &se, U(2026, 10, 24, 0, 30), "1d", 1,
		    U(2026, 10, 25, 0, 30) },
		{ "ny +1d spring", &ny, U(2026, 3, 7, 17, 0), "1d", 1,
		    U(2026, 3, 8, 16, 0) },
		{ "ny +24h spring", &ny, U(2026, 3, 7, 17, 0), "24h", 1,
		    U(2026, 3, 8, 17, 0) },
		{ "ny +1d fall", &ny, U(2026, 10, 31, 16, 0), "1d", 1,
		    U(2026, 11, 1, 17, 0) },
		{ "ny +24h fall", &ny, U(2026, 10, 31, 16, 0), "24h", 1,
		    U(2026, 11, 1, 16, 0) },
		{ "ny +1w over switch", &ny, U(2026, 10, 28, 14, 0), "1w", 1,
		    U(2026, 11, 4, 15, 0) },
		/* Days first, then hours: Sat 01:30 +1d = Sun 01:30 CET,
		 * +2h elapsed = 04:30 CEST. */
		{ "se +1d2h spring", &se, U(2026, 3, 28, 0, 30), "1d2h", 1,
		    U(2026, 3, 29, 2, 30) },
		{ "se -1d2h undoes", &se, U(2026, 3, 29, 2, 30), "1d2h", -1,
		    U(2026, 3, 28, 0, 30) },
		/* Month and leap-year ends. */
		{ "jan 31 +1d utc", &utc, U(2026, 1, 31, 10, 0), "1d", 1,
		    U(2026, 2, 1, 10, 0) },
		{ "jan 31 +1d se", &se, U(2026, 1, 31, 9, 0), "1d", 1,
		    U(2026, 2, 1, 9, 0) },
		{ "mar 1 -1d se", &se, U(2026, 3, 1, 9, 0), "1d", -1,
		    U(2026, 2, 28, 9, 0) },
		{ "2028-02-28 +1d", &se, U(2028, 2, 28, 9, 0), "1d", 1,
		    U(2028, 2, 29, 9, 0) },
		{ "2028-02-29 +1d", &se, U(2028, 2, 29, 9, 0), "1d", 1,
		    U(2028, 3, 1, 9, 0) },
		{ "2026-02-28 +1d", &se, U(2026, 2, 28, 9, 0), "1d", 1,
		    U(2026, 3, 1, 9, 0) },
		{ "dec 31 +1d", &se, U(2026, 12, 31, 9, 0), "1d", 1,
		    U(2027, 1, 1, 9, 0) },
		{ "+30s", &se, U(2026, 3, 29, 0, 59), "90s", 1,
		    U6(2026, 3, 29, 1, 0, 30) },
		/* Business days. */
		{ "fri +1bd", &se, U(2026, 1, 30, 9, 0), "1bd", 1,
		    U(2026, 2, 2, 9, 0) },
		{ "sat +1bd", &se, U(2026, 1, 31, 9, 0), "1bd", 1,
		    U(2026, 2, 2, 9, 0) },
		{ "sun +1bd", &se, U(2026, 2, 1, 9, 0), "1bd", 1,
		    U(2026, 2, 2, 9, 0) },
		{ "mon -1bd", &se, U(2026, 2, 2, 9, 0), "1bd", -1,
		    U(2026, 1, 30, 9, 0) },
		{ "wed +5bd", &se, U(2026, 1, 28, 9, 0), "5bd", 1,
		    U(2026, 2, 4, 9, 0) },
		{ "fri 2026-07-31 +1bd", &se, U(2026, 7, 31, 8, 0), "1bd", 1,
		    U(2026, 8, 3, 8, 0) },
		{ "bd over spring", &se, U(2026, 3, 27, 9, 0), "1bd", 1,
		    U(2026, 3, 30, 8, 0) },
		{ "bd back over spring", &se, U(2026, 3, 30, 8, 0), "1bd", -1,
		    U(2026, 3, 27, 9, 0) },
		{ "bd over fall ny", &ny, U(2026, 10, 30, 14, 0), "1bd", 1,
		    U(2026, 11, 2, 15, 0) },
		{ "xmas +3bd", &sex, U(2026, 12, 24, 9, 0), "3bd", 1,
		    U(2026, 12, 30, 9, 0) },
		{ "xmas +5bd year end", &sex, U(2026, 12, 24, 9, 0), "5bd", 1,
		    U(2027, 1, 4, 9, 0) },
		{ "new year -1bd", &sex, U(2027, 1, 4, 9, 0), "1bd", -1,
		    U(2026, 12, 31, 9, 0) },
		{ "new year -2bd", &sex, U(2027, 1, 4, 9, 0), "2bd", -1,
		    U(2026, 12, 30, 9, 0) },
		{ "holiday itself +1bd", &sex, U(2026, 12, 25, 9, 0), "1bd", 1,
		    U(2026, 12, 28, 9, 0) },
		{ "no holidays +1bd", &se, U(2026, 12, 24, 9, 0), "1bd", 1,
		    U(2026, 12, 25, 9, 0) },
		{ "mon,wed,fri +1bd", &mwf, U(2026, 2, 2, 9, 0), "1bd", 1,
		    U(2026, 2, 4, 9, 0) },
		{ "mon,wed,fri +2bd", &mwf, U(2026, 2, 2, 9, 0), "2bd", 1,
		    U(2026, 2, 6, 9, 0) },
		{ "null hours +1bd", NULL, U(2026, 1, 30, 9, 0), "1bd", 1,
		    U(2026, 2, 2, 9, 0) },
		{ "null hours +1d", NULL, U(2026, 1, 31, 9, 0), "1d", 1,
		    U(2026, 2, 1, 9, 0) },
		{ "bd keeps time of day", &se, U6(2026, 1, 30, 16, 59, 7),
		    "1bd", 1, U6(2026, 2, 2, 16, 59, 7) },
		{ "zero", &se, U(2026, 1, 30, 9, 0), "0s", 1,
		    U(2026, 1, 30, 9, 0) },
	};
	struct timeutil_duration d;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		assert_int_equal(timeutil_parse_duration_ex(rows[i].dur, 1, &d,
		    NULL), 0);
		CHECK_TIME(rows[i].row, timeutil_apply(rows[i].h, rows[i].t,
		    &d, rows[i].sign), rows[i].want);
	}
	assert_int_equal(timeutil_apply(&se, 1000, NULL, 1), 1000);
}

/* Subtracting what was added gives the start back (away from gaps). */
static void
test_apply_inverse(void **state)
{
	static const char *const durs[] = { "1d", "1d2h", "3bd", "1w2d3h4m",
		"90m", "2bd5h", "25h" };
	const time_t starts[] = { U(2026, 3, 27, 9, 0), U(2026, 10, 23, 7, 0),
		U(2026, 3, 6, 14, 0), U(2026, 10, 30, 13, 0),
		U(2026, 12, 30, 10, 0) };
	const char *const zones[] = { SE, NY, "UTC" };
	struct timeutil_hours h = { NULL, 480, 1020, TIMEUTIL_WEEKDAYS, NULL,
		0 };
	struct timeutil_duration d;
	size_t i, j, k;
	time_t fwd;

	(void)state;
	for (k = 0; k < 3; k++) {
		h.zone = zones[k];
		for (i = 0; i < sizeof(durs) / sizeof(durs[0]); i++) {
			assert_int_equal(timeutil_parse_duration(durs[i], &d,
			    NULL), 0);
			for (j = 0; j < sizeof(starts) / sizeof(starts[0]);
			    j++) {
				fwd = timeutil_apply(&h, starts[j], &d, 1);
				assert_true(fwd > starts[j]);
				CHECK_TIME(durs[i], timeutil_apply(&h, fwd, &d,
				    -1), starts[j]);
			}
		}
	}
}

/* ---- working hours ---------------------------------------------------- */

static void
test_next_working(void **state)
{
	const int32_t hol[] = { DAY(2026, 12, 25), DAY(2027, 1, 1) };
	struct timeutil_hours se = { SE, 480, 1020, TIMEUTIL_WEEKDAYS, NULL,
		0 };
	struct timeutil_hours sex = { SE, 480, 1020, TIMEUTIL_WEEKDAYS, hol,
		2 };
	struct timeutil_hours ny = { NY, 480, 1020, TIMEUTIL_WEEKDAYS, NULL,
		0 };
	struct timeutil_hours early = { SE, 150, 600, TIMEUTIL_ALL_DAYS, NULL,
		0 };
	struct timeutil_hours nyearly = { NY, 150, 600, TIMEUTIL_ALL_DAYS,
		NULL, 0 };
	struct timeutil_hours wkend = { SE, 600, 840, 0x60, NULL, 0 };
	struct timeutil_hours late = { SE, 1200, 1440, TIMEUTIL_WEEKDAYS,
		NULL, 0 };
	const struct {
		const char *row;
		const struct timeutil_hours *h;
		time_t t, want;
	} rows[] = {
		{ "sat 03:00 -> mon", &se, U(2026, 1, 31, 2, 0),
		    U(2026, 2, 2, 7, 0) },
		{ "sun 23:59 -> mon", &se, U(2026, 2, 1, 22, 59),
		    U(2026, 2, 2, 7, 0) },
		{ "inside", &se, U(2026, 1, 28, 9, 0), U(2026, 1, 28, 9, 0) },
		{ "at start", &se, U(2026, 1, 28, 7, 0), U(2026, 1, 28, 7, 0) },
		{ "before start", &se, U(2026, 1, 28, 6, 59),
		    U(2026, 1, 28, 7, 0) },
		{ "midnight", &se, U(2026, 1, 27, 23, 0),
		    U(2026, 1, 28, 7, 0) },
		{ "last second", &se, U6(2026, 1, 28, 15, 59, 59),
		    U6(2026, 1, 28, 15, 59, 59) },
		{ "at end -> next morning", &se, U(2026, 1, 28, 16, 0),
		    U(2026, 1, 29, 7, 0) },
		{ "evening -> next morning", &se, U(2026, 1, 28, 20, 0),
		    U(2026, 1, 29, 7, 0) },
		{ "fri evening -> mon", &se, U(2026, 1, 30, 17, 0),
		    U(2026, 2, 2, 7, 0) },
		{ "xmas eve evening", &sex, U(2026, 12, 24, 17, 0),
		    U(2026, 12, 28, 7, 0) },
		{ "xmas day", &sex, U(2026, 12, 25, 9, 0),
		    U(2026, 12, 28, 7, 0) },
		{ "new year's eve", &sex, U(2026, 12, 31, 16, 30),
		    U(2027, 1, 4, 7, 0) },
		{ "no holiday list", &se, U(2026, 12, 24, 17, 0),
		    U(2026, 12, 25, 7, 0) },
		/* Over the switches the start stays 08:00 local. */
		{ "se fri -> mon spring", &se, U(2026, 3, 27, 17, 0),
		    U(2026, 3, 30, 6, 0) },
		{ "se sat -> mon fall", &se, U(2026, 10, 24, 10, 0),
		    U(2026, 10, 26, 7, 0) },
		{ "ny sat -> mon spring", &ny, U(2026, 3, 7, 8, 0),
		    U(2026, 3, 9, 12, 0) },
		{ "ny sat -> mon fall", &ny, U(2026, 10, 31, 16, 0),
		    U(2026, 11, 2, 13, 0) },
		/* A start of 02:30 does not exist on the spring switch day. */
		{ "start in gap se", &early, U(2026, 3, 28, 23, 0),
		    U(2026, 3, 29, 1, 0) },
		{ "start in gap ny", &nyearly, U(2026, 3, 8, 5, 0),
		    U(2026, 3, 8, 7, 0) },
		{ "start in overlap se", &early, U(2026, 10, 24, 22, 30),
		    U(2026, 10, 25, 0, 30) },
		{ "weekend only", &wkend, U(2026, 1, 28, 9, 0),
		    U(2026, 1, 31, 9, 0) },
		{ "weekend only sun after", &wkend, U(2026, 2, 1, 13, 0),
		    U(2026, 2, 7, 9, 0) },
		{ "until midnight inside", &late, U(2026, 1, 28, 22, 59),
		    U(2026, 1, 28, 22, 59) },
		{ "until midnight after", &late, U(2026, 1, 30, 23, 0),
		    U(2026, 2, 2, 19, 0) },
		{ "null hours = utc mon-fri", NULL, U(2026, 1, 31, 12, 0),
		    U(2026, 2, 2, 0, 0) },
		{ "null hours inside", NULL, U(2026, 1, 30, 23, 59),
		    U(2026, 1, 30, 23, 59) },
	};
	struct timeutil_hours always = { SE, 0, 1440, TIMEUTIL_ALL_DAYS, NULL,
		0 };
	struct timeutil_hours nyalways = { NY, 0, 1440, TIMEUTIL_ALL_DAYS,
		NULL, 0 };
	const time_t ids[] = { 0, U(2026, 3, 29, 1, 0), U(2026, 3, 29, 0, 59),
		U(2026, 10, 25, 0, 30), U(2026, 10, 25, 1, 30),
		U(2026, 3, 8, 7, 0), U(2026, 11, 1, 5, 30),
		U(2026, 1, 31, 23, 0), U(2026, 2, 1, 0, 0) };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		CHECK_TIME(rows[i].row, timeutil_next_working(rows[i].h,
		    rows[i].t), rows[i].want);
		CHECK_TIME(rows[i].row, timeutil_is_working(rows[i].h,
		    rows[i].t), rows[i].t == rows[i].want);
	}
	/* 00:00-24:00 every day is the identity, DST or not. */
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		CHECK_TIME("always se", timeutil_next_working(&always, ids[i]),
		    ids[i]);
		CHECK_TIME("always ny", timeutil_next_working(&nyalways,
		    ids[i]), ids[i]);
		assert_true(timeutil_is_working(&always, ids[i]));
	}
}

static void
test_working_seconds(void **state)
{
	const int32_t hol[] = { DAY(2026, 2, 4) };
	struct timeutil_hours se = { SE, 480, 1020, TIMEUTIL_WEEKDAYS, NULL,
		0 };
	struct timeutil_hours sex = { SE, 480, 1020, TIMEUTIL_WEEKDAYS, hol,
		1 };
	struct timeutil_hours always = { SE, 0, 1440, TIMEUTIL_ALL_DAYS, NULL,
		0 };
	struct timeutil_hours nyalways = { NY, 0, 1440, TIMEUTIL_ALL_DAYS,
		NULL, 0 };
	const struct {
		const char *row;
		const struct timeutil_hours *h;
		time_t from, to;
		int64_t want;
	} rows[] = {
		{ "week", &se, U(2026, 2, 1, 23, 0), U(2026, 2, 8, 23, 0),
		    5 * 32400 },
		{ "week with holiday", &sex, U(2026, 2, 1, 23, 0),
		    U(2026, 2, 8, 23, 0), 4 * 32400 },
		{ "inside one day", &se, U(2026, 2, 2, 9, 0),
		    U(2026, 2, 2, 11, 0), 7200 },
		{ "over night", &se, U(2026, 2, 2, 15, 0), U(2026, 2, 3, 8, 0),
		    7200 },
		{ "over weekend", &se, U(2026, 1, 30, 15, 0),
		    U(2026, 2, 2, 8, 0), 7200 },
		{ "weekend only", &se, U(2026, 1, 31, 0, 0),
		    U(2026, 2, 1, 22, 0), 0 },
		{ "empty", &se, U(2026, 2, 2, 9, 0), U(2026, 2, 2, 9, 0), 0 },
		{ "reversed", &se, U(2026, 2, 3, 9, 0), U(2026, 2, 2, 9, 0), 0 },
		{ "spring day is 23h", &always, U(2026, 3, 28, 23, 0),
		    U(2026, 3, 29, 22, 0), 23 * 3600 },
		{ "fall day is 25h", &always, U(2026, 10, 24, 22, 0),
		    U(2026, 10, 25, 23, 0), 25 * 3600 },
		{ "ny always = elapsed", &nyalways, U(2026, 3, 1, 0, 0),
		    U(2026, 3, 15, 0, 0), 14 * 86400 },
		{ "spring week", &se, U(2026, 3, 27, 0, 0),
		    U(2026, 3, 31, 0, 0), 2 * 32400 },
		{ "null hours", NULL, U(2026, 1, 30, 12, 0),
		    U(2026, 2, 4, 0, 0), 12 * 3600 + 2 * 86400 },
		{ "year", &se, U(2026, 1, 1, 0, 0), U(2027, 1, 1, 0, 0),
		    261 * 32400 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		CHECK_TIME(rows[i].row, timeutil_working_seconds(rows[i].h,
		    rows[i].from, rows[i].to), rows[i].want);
}

/* ---- formatting ------------------------------------------------------- */

static void
test_format_iso(void **state)
{
	const struct {
		const char *zone;
		time_t t;
		const char *want;
	} rows[] = {
		{ SE, U(2026, 12, 1, 8, 30), "2026-12-01T09:30:00+01:00" },
		{ SE, U(2026, 7, 1, 8, 30), "2026-07-01T10:30:00+02:00" },
		{ NY, U(2026, 12, 1, 14, 30), "2026-12-01T09:30:00-05:00" },
		{ NY, U(2026, 7, 1, 13, 30), "2026-07-01T09:30:00-04:00" },
		{ SE, U6(2026, 3, 29, 0, 59, 59), "2026-03-29T01:59:59+01:00" },
		{ SE, U(2026, 3, 29, 1, 0), "2026-03-29T03:00:00+02:00" },
		{ SE, U(2026, 10, 25, 0, 30), "2026-10-25T02:30:00+02:00" },
		{ SE, U(2026, 10, 25, 1, 30), "2026-10-25T02:30:00+01:00" },
		{ NY, U(2026, 3, 8, 7, 0), "2026-03-08T03:00:00-04:00" },
		{ NY, U(2026, 11, 1, 5, 30), "2026-11-01T01:30:00-04:00" },
		{ NY, U(2026, 11, 1, 6, 30), "2026-11-01T01:30:00-05:00" },
		{ "UTC", U6(2026, 12, 1, 8, 30, 5), "2026-12-01T08:30:05+00:00" },
		{ NULL, 0, "1970-01-01T00:00:00+00:00" },
		{ "Asia/Kolkata", U(2026, 12, 1, 8, 30),
		    "2026-12-01T14:00:00+05:30" },
		{ "America/St_Johns", U(2026, 12, 1, 12, 0),
		    "2026-12-01T08:30:00-03:30" },
		{ SE, U(2028, 2, 29, 23, 30), "2028-03-01T00:30:00+01:00" },
	};
	char buf[TIMEUTIL_ISO_MAX], small[25];
	time_t back;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		assert_int_equal(timeutil_format_iso(rows[i].t, rows[i].zone,
		    buf, sizeof(buf)), 0);
		assert_string_equal(buf, rows[i].want);
		/* The output reads back as the same instant. */
		assert_int_equal(timeutil_parse_when(buf, 0, SE, 0, NULL,
		    &back, NULL), 0);
		CHECK_TIME(buf, back, rows[i].t);
	}
	assert_int_equal(timeutil_format_iso(0, "UTC", small, sizeof(small)),
	    -1);
	assert_string_equal(small, "");
	assert_int_equal(timeutil_format_iso(0, "Mars/Olympus", buf,
	    sizeof(buf)), -1);
	assert_int_equal(timeutil_format_iso(0, "UTC", NULL, 0), -1);
}

static void
test_format_relative(void **state)
{
	const time_t now = U(2026, 3, 25, 9, 0);
	const struct {
		int64_t diff;
		const char *want;
	} rows[] = {
		{ 0, "now" },
		{ 59, "now" },
		{ -59, "now" },
		{ 60, "in 1 minute" },
		{ 150, "in 2 minutes" },
		{ -60, "1 minute ago" },
		{ -3599, "59 minutes ago" },
		{ 3600, "in 1 hour" },
		{ -3600, "1 hour ago" },
		{ 3 * 3600 + 59, "in 3 hours" },
		{ 86399, "in 23 hours" },
		{ 86400, "in 1 day" },
		{ -2 * 86400, "2 days ago" },
		{ -2 * 86400 - 3600, "2 days ago" },
		{ 13 * 86400, "in 13 days" },
		{ 14 * 86400, "in 2 weeks" },
		{ 55 * 86400, "in 7 weeks" },
		{ -21 * 86400, "3 weeks ago" },
		{ 56 * 86400, "in 1 month" },
		{ 120 * 86400, "in 4 months" },
		{ 364 * 86400, "in 12 months" },
		{ 365 * 86400, "in 1 year" },
		{ -800 * 86400, "2 years ago" },
	};
	char buf[64], small[6];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		assert_int_equal(timeutil_format_relative(
		    (time_t)(now + rows[i].diff), now, buf, sizeof(buf)), 0);
		assert_string_equal(buf, rows[i].want);
	}
	assert_int_equal(timeutil_format_relative(now + 7200, now, small,
	    sizeof(small)), -1);
	assert_string_equal(small, "");
	assert_int_equal(timeutil_format_relative(now, now, small,
	    sizeof(small)), 0);
	assert_int_equal(timeutil_format_relative(now, now, NULL, 0), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_civil_oracle),
		cmocka_unit_test(test_zone_valid),
		cmocka_unit_test(test_zone_cache),
		cmocka_unit_test(test_parse_duration_ok),
		cmocka_unit_test(test_parse_duration_bad),
		cmocka_unit_test(test_parse_duration_zero),
		cmocka_unit_test(test_format_duration),
		cmocka_unit_test(test_parse_clock),
		cmocka_unit_test(test_parse_hours),
		cmocka_unit_test(test_parse_days),
		cmocka_unit_test(test_parse_date),
		cmocka_unit_test(test_format_clock_date),
		cmocka_unit_test(test_make_local),
		cmocka_unit_test(test_local_fields),
		cmocka_unit_test(test_parse_when_stockholm),
		cmocka_unit_test(test_parse_when_dst),
		cmocka_unit_test(test_parse_when_bad),
		cmocka_unit_test(test_parse_when_errors),
		cmocka_unit_test(test_apply),
		cmocka_unit_test(test_apply_inverse),
		cmocka_unit_test(test_next_working),
		cmocka_unit_test(test_working_seconds),
		cmocka_unit_test(test_format_iso),
		cmocka_unit_test(test_format_relative),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
