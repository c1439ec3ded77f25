/*
 * Unit tests for lib/time_format.c: moments, durations, clock and dates
 * as text.  Expected moments: see test_time.h.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_time.h"
#include "time_format.h"
#include "time_parse.h"

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
		{ "Asia/Kathmandu", U(2026, 6, 1, 6, 15),
		    "2026-06-01T12:00:00+05:45" },
		/* Lord Howe's overlap: one wall time, offsets 30 min apart. */
		{ "Australia/Lord_Howe", U(2026, 4, 4, 14, 45),
		    "2026-04-05T01:45:00+11:00" },
		{ "Australia/Lord_Howe", U(2026, 4, 4, 15, 15),
		    "2026-04-05T01:45:00+10:30" },
		{ "UTC", U6(9999, 12, 31, 23, 59, 59),
		    "9999-12-31T23:59:59+00:00" },
	};
	char buf[TIMEUTIL_ISO_MAX], small[25];
	time_t back;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		assert_int_equal(timeutil_format_iso(rows[i].t, rows[i].zone,
		    buf, sizeof(buf)), 0);
		assert_string_equal(buf, rows[i].want);
		/* The output reads back as the same instant, up to the
		 * last moment a person may name (still 9999 in every
		 * zone). */
		if (rows[i].t > TIMEUTIL_LAST) {
			assert_int_equal(timeutil_parse_when(buf, 0, SE, 0,
			    NULL, &back, NULL), -1);
			continue;
		}
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
		{ 40, "in 40 seconds" },
		{ 1, "in 1 second" },
		{ -59, "59 seconds ago" },
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

/* Years past 9999, a difference beyond 64 bits, and buffers just big
 * enough or a byte short. */
static void
test_format_edges(void **state)
{
	const struct timeutil_duration hm = { 5400, 0, 0 };
	const struct timeutil_duration most = { 3162240000, 36600, 26142 };
	struct timeutil_duration back;
	char buf[TIMEUTIL_ISO_MAX], exact[26];
	time_t t;

	(void)state;
	/* 25 characters and the NUL. */
	assert_int_equal(timeutil_format_iso(U(2026, 6, 1, 6, 15),
	    "Asia/Kathmandu", exact, sizeof(exact)), 0);
	assert_string_equal(exact, "2026-06-01T12:00:00+05:45");
	/* Past 9999 the year takes five digits and no longer fits 26. */
	t = U(10000, 1, 1, 0, 0);
	assert_int_equal(timeutil_format_iso(t, "UTC", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "10000-01-01T00:00:00+00:00");
	assert_int_equal(timeutil_format_iso(t, "UTC", exact, sizeof(exact)),
	    -1);
	assert_string_equal(exact, "");
	/* A difference that does not fit 64 bits is refused. */
	assert_int_equal(timeutil_format_relative((time_t)INT64_MIN, 1, buf,
	    sizeof(buf)), -1);
	assert_int_equal(timeutil_format_relative((time_t)INT64_MIN, 0, buf,
	    sizeof(buf)), -1);
	assert_int_equal(timeutil_format_duration(&hm, buf, 6), 0);
	assert_string_equal(buf, "1h30m");
	assert_int_equal(timeutil_format_duration(&hm, buf, 5), -1);
	assert_string_equal(buf, "");
	/* Every part at the parser's limit reads back the same. */
	assert_int_equal(timeutil_format_duration(&most, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "36600d878400h26142bd");
	assert_int_equal(timeutil_parse_duration(buf, &back, NULL), 0);
	assert_true(back.seconds == most.seconds && back.days == most.days &&
	    back.business_days == most.business_days);
	assert_int_equal(timeutil_format_clock(1439, buf, 6), 0);
	assert_string_equal(buf, "23:59");
	assert_int_equal(timeutil_format_date(DAY(9999, 12, 31), buf, 11), 0);
	assert_string_equal(buf, "9999-12-31");
}
int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_duration),
		cmocka_unit_test(test_format_clock_date),
		cmocka_unit_test(test_format_iso),
		cmocka_unit_test(test_format_relative),
		cmocka_unit_test(test_format_edges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
