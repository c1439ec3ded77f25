/*
 * Unit tests for lib/time_parse.c: what people type.  Expected moments:
 * see test_time.h.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_time.h"
#include "time_parse.h"

/*
 * A refusal: -1, and a message that names the input and, where given,
 * the hints at what is accepted.  Frees the message.
 */
static void
check_refused(const char *in, int rc, char *err, const char *hint,
    const char *hint2)
{
	CHECK_TIME(in, rc, -1);
	assert_non_null(err);
	assert_non_null(strstr(err, in));
	if (hint != NULL)
		assert_non_null(strstr(err, hint));
	if (hint2 != NULL)
		assert_non_null(strstr(err, hint2));
	free(err);
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
	int rc;

	(void)state;
	for (i = 0; i < NROWS(rows); i++) {
		err = NULL;
		rc = timeutil_parse_duration(rows[i], &d, &err);
		check_refused(rows[i], rc, err, "bd", NULL);
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

/* ---- clock, hours, days, dates ---------------------------------------- */

/*
 * Clock, days and dates read one text into one number: a row is the text
 * and the number, or -1 where the text is refused.
 */
struct parse_row {
	const char *in;
	long long want;
};

typedef int (*parse_fn)(const char *in, long long *got, char **errp);

static int
parse_clock(const char *in, long long *got, char **errp)
{
	int m = -2;
	int rc = timeutil_parse_clock(in, &m, errp);

	*got = m;
	return rc;
}

static int
parse_days(const char *in, long long *got, char **errp)
{
	unsigned d = 0;
	int rc = timeutil_parse_days(in, &d, errp);

	*got = d;
	return rc;
}

static int
parse_date(const char *in, long long *got, char **errp)
{
	int32_t d = 0;
	int rc = timeutil_parse_date(in, &d, errp);

	*got = d;
	return rc;
}

static void
check_parse_rows(parse_fn parse, const struct parse_row *rows, size_t n)
{
	long long got;
	char *err;
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		err = NULL;
		rc = parse(rows[i].in, &got, &err);
		if (rows[i].want < 0) {
			check_refused(rows[i].in, rc, err, NULL, NULL);
			continue;
		}
		CHECK_TIME(rows[i].in, rc, 0);
		CHECK_TIME(rows[i].in, got, rows[i].want);
		assert_null(err);
	}
}

static void
test_parse_clock(void **state)
{
	static const struct parse_row rows[] = {
		{ "00:00", 0 }, { "0:00", 0 }, { "9:30", 570 }, { "09:30", 570 },
		{ "23:59", 1439 }, { " 12:00 ", 720 }, { "12:05", 725 },
		{ "24:00", -1 }, { "24:01", -1 }, { "12:60", -1 },
		{ "25:00", -1 }, { "", -1 }, { "12", -1 }, { "12:5", -1 },
		{ "123:00", -1 }, { "12:00:00", -1 }, { "12:00x", -1 },
		{ "-1:00", -1 }, { "12h00", -1 }, { "a:bc", -1 }, { "9.30", -1 },
		{ "12 :00", -1 },
	};

	(void)state;
	check_parse_rows(parse_clock, rows, NROWS(rows));
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
	int a, b, rc;

	(void)state;
	for (i = 0; i < NROWS(rows); i++) {
		err = NULL;
		rc = timeutil_parse_hours(rows[i].in, &a, &b, &err);
		if (rows[i].start < 0) {
			check_refused(rows[i].in, rc, err, NULL, NULL);
			continue;
		}
		CHECK_TIME(rows[i].in, rc, 0);
		CHECK_TIME(rows[i].in, a, rows[i].start);
		CHECK_TIME(rows[i].in, b, rows[i].end);
		assert_null(err);
	}
}

static void
test_parse_days(void **state)
{
	static const struct parse_row rows[] = {
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
	(void)state;
	assert_int_equal(TIMEUTIL_MONDAY | TIMEUTIL_TUESDAY |
	    TIMEUTIL_WEDNESDAY | TIMEUTIL_THURSDAY | TIMEUTIL_FRIDAY,
	    TIMEUTIL_WEEKDAYS);
	assert_int_equal(TIMEUTIL_WEEKDAYS | TIMEUTIL_SATURDAY |
	    TIMEUTIL_SUNDAY, TIMEUTIL_ALL_DAYS);
	check_parse_rows(parse_days, rows, NROWS(rows));
}

static void
test_parse_date(void **state)
{
	const struct parse_row rows[] = {
		{ "2026-12-24", 20811 },
		{ "1970-01-01", 0 },
		{ "2028-02-29", DAY(2028, 2, 29) },
		{ "2000-02-29", DAY(2000, 2, 29) },
		{ "2026-01-31", DAY(2026, 1, 31) },
		{ "2026-12-31", DAY(2026, 12, 31) },
		{ " 2027-01-01 ", DAY(2027, 1, 1) },
		{ "9999-12-31", DAY(9999, 12, 31) },
		{ "2026-02-29", -1 },
		{ "2100-02-29", -1 },
		{ "2026-13-01", -1 },
		{ "2026-00-10", -1 },
		{ "2026-04-31", -1 },
		{ "2026-12-32", -1 },
		{ "2026-12-00", -1 },
		{ "1969-12-31", -1 },
		{ "2026-1-5", -1 },
		{ "26-12-24", -1 },
		{ "2026/12/24", -1 },
		{ "2026-12-24x", -1 },
		{ "2026-12-245", -1 },
		{ "2026-12-24T10:00", -1 },
		{ "20261224", -1 },
		{ "", -1 },
	};

	(void)state;
	check_parse_rows(parse_date, rows, NROWS(rows));
}

/* ---- parse_when ------------------------------------------------------- */

/* Where and when a text is read: zone, now, default time of day, hours. */
struct when_at {
	const char *zone;
	time_t now;
	int default_min;
	const struct timeutil_hours *hours;
};

/* A text and the moment it means. */
struct when_row {
	const char *in;
	time_t want;
};

static void
check_when_rows(const struct when_at *at, const struct when_row *rows,
    size_t n)
{
	char *err;
	time_t t;
	size_t i;

	for (i = 0; i < n; i++) {
		err = NULL;
		t = 12345;
		if (timeutil_parse_when(rows[i].in, at->now, at->zone,
		    at->default_min, at->hours, &t, &err) != 0) {
			print_error("'%s' in %s: %s\n", rows[i].in,
			    at->zone != NULL ? at->zone : "(null)", err);
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
	const struct when_at at = { SE, now, 540, NULL };
	const struct when_at at_midnight = { SE, now, 0, NULL };
	const struct when_at at_holiday = { SE, now, 540, &h };
	const struct when_row rows[] = {
		{ "now", now },
		{ "  NOW ", now },
		{ "2026-12-01", U(2026, 12, 1, 8, 0) },
		{ "2026-07-01", U(2026, 7, 1, 7, 0) },
		{ "2026-12-01T09:30", U(2026, 12, 1, 8, 30) },
		{ "2026-12-01t09:30", U(2026, 12, 1, 8, 30) },
		{ "2026-12-01 09:30", U(2026, 12, 1, 8, 30) },
		{ "2026-12-01 9:30", U(2026, 12, 1, 8, 30) },
		{ "2026-12-01 at 9:30", U(2026, 12, 1, 8, 30) },
		{ "2026-12-01T09:30:15", U6(2026, 12, 1, 8, 30, 15) },
		{ "2026-12-01T09:30Z", U(2026, 12, 1, 9, 30) },
		{ "2026-12-01T09:30:00z", U(2026, 12, 1, 9, 30) },
		{ "2026-12-01T09:30+01:00", U(2026, 12, 1, 8, 30) },
		{ "2026-12-01T09:30-0500", U(2026, 12, 1, 14, 30) },
		{ "2026-12-01T09:30+05", U(2026, 12, 1, 4, 30) },
		{ "2026-12-01T09:30:00+05:30", U(2026, 12, 1, 4, 0) },
		{ "2026-12-01 09:30+00:00", U(2026, 12, 1, 9, 30) },
		{ "2026-07-01T12:00", U(2026, 7, 1, 10, 0) },
		{ "2028-02-29", U(2028, 2, 29, 8, 0) },
		{ "today", U(2026, 3, 25, 8, 0) },
		{ "today 17:00", U(2026, 3, 25, 16, 0) },
		{ "tomorrow", U(2026, 3, 26, 8, 0) },
		{ "Tomorrow 9:30", U(2026, 3, 26, 8, 30) },
		{ "tomorrow at 9:30", U(2026, 3, 26, 8, 30) },
		{ "9:30 tomorrow", U(2026, 3, 26, 8, 30) },
		{ "fri", U(2026, 3, 27, 8, 0) },
		{ "Friday", U(2026, 3, 27, 8, 0) },
		{ "friday 17:00", U(2026, 3, 27, 16, 0) },
		{ "  FRI  17:00 ", U(2026, 3, 27, 16, 0) },
		{ "fri at 17:00", U(2026, 3, 27, 16, 0) },
		{ "17:00 fri", U(2026, 3, 27, 16, 0) },
		{ "thu", U(2026, 3, 26, 8, 0) },
		{ "tues", U(2026, 3, 31, 7, 0) },
		{ "mon", U(2026, 3, 30, 7, 0) },
		/* Today's weekday: only if the moment is still ahead. */
		{ "wed", U(2026, 4, 1, 7, 0) },
		{ "wed 11:00", U(2026, 3, 25, 10, 0) },
		{ "Wednesday 10:00", U(2026, 4, 1, 8, 0) },
		{ "wed 10:01", U(2026, 3, 25, 9, 1) },
		/* Sunday the 29th: 02:00-03:00 does not exist. */
		{ "sun 1:59", U(2026, 3, 29, 0, 59) },
		{ "sun 2:00", U(2026, 3, 29, 1, 0) },
		{ "sun 2:30", U(2026, 3, 29, 1, 0) },
		{ "sun 03:00", U(2026, 3, 29, 1, 0) },
		{ "sun", U(2026, 3, 29, 7, 0) },
		{ "2026-03-29 02:30", U(2026, 3, 29, 1, 0) },
		{ "11:00", U(2026, 3, 25, 10, 0) },
		{ "10:00:01", U6(2026, 3, 25, 9, 0, 1) },
		{ "10:00", U(2026, 3, 26, 9, 0) },
		{ "09:00", U(2026, 3, 26, 8, 0) },
		{ "0:00", U(2026, 3, 25, 23, 0) },
		/* Relative. */
		{ "+2h", now + 7200 },
		{ "in 2 hours", now + 7200 },
		{ "+90m", now + 5400 },
		{ "in 90 minutes", now + 5400 },
		{ "+1h30m", now + 5400 },
		{ "+30s", now + 30 },
		{ "+3d", U(2026, 3, 28, 9, 0) },
		{ "in 3 days", U(2026, 3, 28, 9, 0) },
		{ "IN 3 DAYS", U(2026, 3, 28, 9, 0) },
		/* Civil days keep 10:00 across the switch: 5 days = 119h. */
		{ "+5d", U(2026, 3, 30, 8, 0) },
		{ "+120h", U(2026, 3, 30, 9, 0) },
		{ "+1w", U(2026, 4, 1, 8, 0) },
		{ "+ 1w", U(2026, 4, 1, 8, 0) },
		{ "+3bd", U(2026, 3, 30, 8, 0) },
		{ "in 3 business days", U(2026, 3, 30, 8, 0) },
	};
	const struct when_row midnight[] = {
		{ "2026-12-01", U(2026, 11, 30, 23, 0) },
	};
	const struct when_row holiday[] = {
		{ "+3bd", U(2026, 3, 31, 8, 0) },
		{ "in 3 business days", U(2026, 3, 31, 8, 0) },
		{ "+2bd", U(2026, 3, 27, 9, 0) },
	};

	(void)state;
	check_when_rows(&at, rows, NROWS(rows));
	check_when_rows(&at_midnight, midnight, NROWS(midnight));
	/* With a holiday on Monday the 30th. */
	check_when_rows(&at_holiday, holiday, NROWS(holiday));
}

static void
test_parse_when_dst(void **state)
{
	/* Saturday 2026-10-24 12:00 CEST; DST ends Sunday 03:00 -> 02:00. */
	const struct when_at se_fall = { SE, U(2026, 10, 24, 10, 0), 540,
		NULL };
	/* Saturday 2026-03-07 12:00 EST; DST starts Sunday 02:00 -> 03:00. */
	const struct when_at ny_spring = { NY, U(2026, 3, 7, 17, 0), 540,
		NULL };
	/* Saturday 2026-10-31 12:00 EDT; DST ends Sunday 02:00 -> 01:00. */
	const struct when_at ny_fall = { NY, U(2026, 10, 31, 16, 0), 540,
		NULL };
	const struct when_row se_fall_rows[] = {
		{ "sun 02:30", U(2026, 10, 25, 0, 30) },
		{ "tomorrow 02:30", U(2026, 10, 25, 0, 30) },
		{ "sun 01:59", U(2026, 10, 24, 23, 59) },
		{ "sun 03:00", U(2026, 10, 25, 2, 0) },
		{ "tomorrow 12:00", U(2026, 10, 25, 11, 0) },
		{ "+1d", U(2026, 10, 25, 11, 0) },
		{ "+24h", U(2026, 10, 25, 10, 0) },
		{ "+1bd", U(2026, 10, 26, 11, 0) },
		{ "2026-10-25T02:30+01:00", U(2026, 10, 25, 1, 30) },
	};
	const struct when_row ny_spring_rows[] = {
		{ "sun 2:30", U(2026, 3, 8, 7, 0) },
		{ "sun 1:30", U(2026, 3, 8, 6, 30) },
		{ "2026-03-08 02:00", U(2026, 3, 8, 7, 0) },
		{ "2026-03-08", U(2026, 3, 8, 13, 0) },
		{ "tomorrow 12:00", U(2026, 3, 8, 16, 0) },
		{ "+1d", U(2026, 3, 8, 16, 0) },
		{ "in 1 day", U(2026, 3, 8, 16, 0) },
		{ "+24h", U(2026, 3, 8, 17, 0) },
		{ "mon", U(2026, 3, 9, 13, 0) },
		{ "+1bd", U(2026, 3, 9, 16, 0) },
		{ "11:00", U(2026, 3, 8, 15, 0) },
		{ "13:00", U(2026, 3, 7, 18, 0) },
	};
	const struct when_row ny_fall_rows[] = {
		{ "sun 1:30", U(2026, 11, 1, 5, 30) },
		{ "sun 2:00", U(2026, 11, 1, 7, 0) },
		{ "tomorrow 12:00", U(2026, 11, 1, 17, 0) },
		{ "+1d", U(2026, 11, 1, 17, 0) },
		{ "+24h", U(2026, 11, 1, 16, 0) },
		{ "2026-11-01T01:30-05:00", U(2026, 11, 1, 6, 30) },
		{ "2026-11-01T01:30-04:00", U(2026, 11, 1, 5, 30) },
		{ "mon", U(2026, 11, 2, 14, 0) },
	};

	(void)state;
	check_when_rows(&se_fall, se_fall_rows, NROWS(se_fall_rows));
	check_when_rows(&ny_spring, ny_spring_rows, NROWS(ny_spring_rows));
	check_when_rows(&ny_fall, ny_fall_rows, NROWS(ny_fall_rows));
}

/* UTC and no zone, a month end, leap days and a year end. */
static void
test_parse_when_utc(void **state)
{
	/* Saturday 2026-01-31 12:00 UTC, a month end. */
	const struct when_at utc = { "UTC", U(2026, 1, 31, 12, 0), 0, NULL };
	const struct when_at no_zone = { NULL, U(2026, 1, 31, 12, 0), 60,
		NULL };
	const struct when_at leap = { "UTC", U(2028, 2, 28, 12, 0), 0, NULL };
	const struct when_at no_leap = { "UTC", U(2026, 2, 28, 12, 0), 0,
		NULL };
	const struct when_at year_end = { "UTC", U(2026, 12, 31, 12, 0), 0,
		NULL };
	const struct when_row utc_rows[] = {
		{ "today", U(2026, 1, 31, 0, 0) },
		{ "+1d", U(2026, 2, 1, 12, 0) },
		{ "+1bd", U(2026, 2, 2, 12, 0) },
		{ "tomorrow", U(2026, 2, 1, 0, 0) },
	};
	const struct when_row no_zone_rows[] = {
		{ "tomorrow", U(2026, 2, 1, 1, 0) },
		{ "2026-02-01T00:00:00Z", U(2026, 2, 1, 0, 0) },
	};
	const struct when_row leap_rows[] = {
		{ "+1d", U(2028, 2, 29, 12, 0) },
		{ "tomorrow 8:00", U(2028, 2, 29, 8, 0) },
	};
	const struct when_row no_leap_rows[] = {
		{ "+1d", U(2026, 3, 1, 12, 0) },
	};
	const struct when_row year_end_rows[] = {
		{ "tomorrow", U(2027, 1, 1, 0, 0) },
		{ "+1bd", U(2027, 1, 1, 12, 0) },
	};

	(void)state;
	check_when_rows(&utc, utc_rows, NROWS(utc_rows));
	check_when_rows(&no_zone, no_zone_rows, NROWS(no_zone_rows));
	check_when_rows(&leap, leap_rows, NROWS(leap_rows));
	check_when_rows(&no_leap, no_leap_rows, NROWS(no_leap_rows));
	check_when_rows(&year_end, year_end_rows, NROWS(year_end_rows));
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
	int rc;

	(void)state;
	for (i = 0; i < NROWS(rows); i++) {
		err = NULL;
		t = 12345;
		rc = timeutil_parse_when(rows[i], U(2026, 3, 25, 9, 0), SE, 540,
		    NULL, &t, &err);
		CHECK_TIME(rows[i], t, 12345);
		check_refused(rows[i], rc, err, "tomorrow", "+3bd");
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_duration_ok),
		cmocka_unit_test(test_parse_duration_bad),
		cmocka_unit_test(test_parse_duration_zero),
		cmocka_unit_test(test_parse_clock),
		cmocka_unit_test(test_parse_hours),
		cmocka_unit_test(test_parse_days),
		cmocka_unit_test(test_parse_date),
		cmocka_unit_test(test_parse_when_stockholm),
		cmocka_unit_test(test_parse_when_dst),
		cmocka_unit_test(test_parse_when_utc),
		cmocka_unit_test(test_parse_when_bad),
		cmocka_unit_test(test_parse_when_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
