/*
 * Unit tests for lib/time_calendar.c: durations applied, working hours,
 * business days.  Expected moments: see test_time.h.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_time.h"
#include "time_calendar.h"
#include "time_parse.h"

/* Working time without holidays. */
#define HOURS(zone, start, end, days) { zone, start, end, days, NULL, 0 }

/* What several tests work in: Stockholm 08:00-17:00 mon-fri, and every
 * minute of every day in Stockholm and in New York. */
static const struct timeutil_hours se = HOURS(SE, 480, 1020,
    TIMEUTIL_WEEKDAYS);
static const struct timeutil_hours always = HOURS(SE, 0, 1440,
    TIMEUTIL_ALL_DAYS);
static const struct timeutil_hours nyalways = HOURS(NY, 0, 1440,
    TIMEUTIL_ALL_DAYS);

static void
test_apply(void **state)
{
	const int32_t hol[] = { DAY(2026, 12, 25), DAY(2026, 12, 26),
		DAY(2027, 1, 1) };
	struct timeutil_hours sex = { SE, 480, 1020, TIMEUTIL_WEEKDAYS, hol,
		3 };
	struct timeutil_hours ny = HOURS(NY, 540, 1020, TIMEUTIL_WEEKDAYS);
	struct timeutil_hours mwf = HOURS("UTC", 0, 1440, 0x15);
	struct timeutil_hours utc = HOURS("UTC", 0, 1440, TIMEUTIL_WEEKDAYS);
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
	struct timeutil_hours h = HOURS(NULL, 480, 1020, TIMEUTIL_WEEKDAYS);
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

/* t, and the first working instant from t: t itself when it is working. */
struct working_row {
	const char *row;
	const struct timeutil_hours *h;
	time_t t, want;
};

static void
check_working_rows(const struct working_row *rows, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		CHECK_TIME(rows[i].row, timeutil_next_working(rows[i].h,
		    rows[i].t), rows[i].want);
		CHECK_TIME(rows[i].row, timeutil_is_working(rows[i].h,
		    rows[i].t), rows[i].t == rows[i].want);
	}
}

static void
test_next_working(void **state)
{
	const int32_t hol[] = { DAY(2026, 12, 25), DAY(2027, 1, 1) };
	struct timeutil_hours sex = { SE, 480, 1020, TIMEUTIL_WEEKDAYS, hol,
		2 };
	struct timeutil_hours ny = HOURS(NY, 480, 1020, TIMEUTIL_WEEKDAYS);
	struct timeutil_hours early = HOURS(SE, 150, 600, TIMEUTIL_ALL_DAYS);
	struct timeutil_hours nyearly = HOURS(NY, 150, 600, TIMEUTIL_ALL_DAYS);
	struct timeutil_hours wkend = HOURS(SE, 600, 840, 0x60);
	struct timeutil_hours late = HOURS(SE, 1200, 1440, TIMEUTIL_WEEKDAYS);
	const struct working_row rows[] = {
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
	const time_t ids[] = { 0, U(2026, 3, 29, 1, 0), U(2026, 3, 29, 0, 59),
		U(2026, 10, 25, 0, 30), U(2026, 10, 25, 1, 30),
		U(2026, 3, 8, 7, 0), U(2026, 11, 1, 5, 30),
		U(2026, 1, 31, 23, 0), U(2026, 2, 1, 0, 0) };
	size_t i;

	(void)state;
	check_working_rows(rows, sizeof(rows) / sizeof(rows[0]));
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
	struct timeutil_hours sex = { SE, 480, 1020, TIMEUTIL_WEEKDAYS, hol,
		1 };
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

/*
 * Working time as given is normalised: start and end outside
 * 0 <= start < end <= 1440 mean the whole day, no day bits mean mon-fri,
 * and a count of holidays without the list is no holidays.
 */
static void
test_hours_defaults(void **state)
{
	struct timeutil_hours same = HOURS(SE, 600, 600, 0);
	struct timeutil_hours neg = HOURS(SE, -60, 600, TIMEUTIL_ALL_DAYS);
	struct timeutil_hours over = HOURS(SE, 0, 1441, TIMEUTIL_ALL_DAYS);
	struct timeutil_hours nodays = HOURS(SE, 480, 1020, 0);
	struct timeutil_hours highbit = HOURS(SE, 480, 1020, 0x80);
	struct timeutil_hours nohol = { "UTC", 0, 1440, TIMEUTIL_WEEKDAYS,
		NULL, 3 };
	const struct working_row rows[] = {
		/* Saturday 13:00 in Stockholm -> Monday 00:00. */
		{ "start == end, weekend", &same, U(2026, 1, 31, 12, 0),
		    U(2026, 2, 1, 23, 0) },
		{ "start == end, night", &same, U(2026, 1, 28, 2, 0),
		    U(2026, 1, 28, 2, 0) },
		{ "negative start", &neg, U(2026, 1, 31, 22, 0),
		    U(2026, 1, 31, 22, 0) },
		/* Saturday 12:00: -01:00-10:00 would give Saturday 23:00. */
		{ "negative start, midday", &neg, U(2026, 1, 31, 11, 0),
		    U(2026, 1, 31, 11, 0) },
		{ "end past 24:00", &over, U(2026, 2, 1, 3, 0),
		    U(2026, 2, 1, 3, 0) },
		{ "no days = mon-fri", &nodays, U(2026, 1, 31, 9, 0),
		    U(2026, 2, 2, 7, 0) },
		{ "only unknown bits", &highbit, U(2026, 1, 31, 9, 0),
		    U(2026, 2, 2, 7, 0) },
		{ "count without list", &nohol, U(2026, 1, 30, 12, 0),
		    U(2026, 1, 30, 12, 0) },
	};

	(void)state;
	check_working_rows(rows, sizeof(rows) / sizeof(rows[0]));
	/* Monday 00:00 to Sunday 24:00 in Stockholm: five whole days. */
	CHECK_TIME("same, a week", timeutil_working_seconds(&same,
	    U(2026, 2, 1, 23, 0), U(2026, 2, 8, 23, 0)), 5 * 86400);
	/* Monday 00:00 to Wednesday 00:00: 00:00-24:01 would count
	 * Tuesday's first minute twice. */
	CHECK_TIME("end past 24:00, two days", timeutil_working_seconds(&over,
	    U(2026, 2, 1, 23, 0), U(2026, 2, 3, 23, 0)), 2 * 86400);
}

/* Parts beyond the parser's limits are clamped to them, not overflowed. */
static void
test_apply_clamp(void **state)
{
	struct timeutil_hours utc = HOURS("UTC", 0, 1440, TIMEUTIL_ALL_DAYS);
	const struct timeutil_duration days = { 0, INT32_MAX, 0 };
	const struct timeutil_duration secs = { INT64_MAX, 0, 0 };
	const struct timeutil_duration nsecs = { INT64_MIN, 0, 0 };
	const struct timeutil_duration bdays = { 0, 0, INT32_MAX };
	const time_t limit = (time_t)TIMEUTIL_MAX_DAYS * 86400;

	(void)state;
	CHECK_TIME("days", timeutil_apply(&utc, 0, &days, 1), limit);
	CHECK_TIME("-days", timeutil_apply(&utc, 0, &days, -1), -limit);
	CHECK_TIME("seconds", timeutil_apply(&utc, 0, &secs, 1), limit);
	CHECK_TIME("negative seconds", timeutil_apply(&utc, 0, &nsecs, 1),
	    -limit);
	CHECK_TIME("-negative seconds", timeutil_apply(&utc, 0, &nsecs, -1),
	    limit);
	/* 26142 business days, the parser's limit, all days working here. */
	CHECK_TIME("business days", timeutil_apply(&utc, 0, &bdays, 1),
	    (time_t)(TIMEUTIL_MAX_DAYS * 5 / 7) * 86400);
}
int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_apply),
		cmocka_unit_test(test_apply_inverse),
		cmocka_unit_test(test_next_working),
		cmocka_unit_test(test_working_seconds),
		cmocka_unit_test(test_hours_defaults),
		cmocka_unit_test(test_apply_clamp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
