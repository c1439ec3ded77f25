/*
 * Unit tests for lib/time_zone.c: zone names, TZ, local civil time.
 * Expected moments: see test_time.h.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_time.h"
#include "time_zone.h"

/* Offsets that are not whole hours, and a DST change of half an hour. */
#define KT "Asia/Kathmandu"
#define LH "Australia/Lord_Howe"

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
		/* Kathmandu is +05:45 all year. */
		{ "kathmandu", KT, 2026, 6, 1, 12, 0, 0, U(2026, 6, 1, 6, 15) },
		/* Lord Howe, 2026-10-04: 02:00 +10:30 becomes 02:30 +11. */
		{ "lh before gap", LH, 2026, 10, 4, 1, 59, 0,
		    U(2026, 10, 3, 15, 29) },
		{ "lh in gap", LH, 2026, 10, 4, 2, 15, 0,
		    U(2026, 10, 3, 15, 30) },
		{ "lh after gap", LH, 2026, 10, 4, 2, 30, 0,
		    U(2026, 10, 3, 15, 30) },
		/* 2026-04-05: 02:00 +11 becomes 01:30 +10:30; the earlier
		 * wins. */
		{ "lh in overlap", LH, 2026, 4, 5, 1, 45, 0,
		    U(2026, 4, 4, 14, 45) },
		{ "lh after overlap", LH, 2026, 4, 5, 2, 0, 0,
		    U(2026, 4, 4, 15, 30) },
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
		{ "kathmandu", KT, U(2026, 6, 1, 18, 20), DAY(2026, 6, 2), 5,
		    1 },
		/* In Lord Howe's overlap, the second 01:45 of 2026-04-05. */
		{ "lh overlap 2nd", LH, U(2026, 4, 4, 15, 15), DAY(2026, 4, 5),
		    105, 6 },
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

/* The limits: years 0..30000 only, and moments too far out for day
 * arithmetic read as 1970-01-01 00:00 rather than overflow. */
static void
test_make_local_range(void **state)
{
	const time_t far = (time_t)2000000000000;
	time_t t = 12345;

	(void)state;
	assert_int_equal(timeutil_make_local("UTC", -1, 1, 1, 0, 0, 0, &t),
	    -1);
	assert_int_equal(timeutil_make_local("UTC", 30001, 1, 1, 0, 0, 0, &t),
	    -1);
	assert_int_equal(timeutil_make_local("UTC", 2026, 1000001, 1, 0, 0, 0,
	    &t), -1);
	assert_int_equal(timeutil_make_local("UTC", 2026, -1000001, 1, 0, 0,
	    0, &t), -1);
	assert_int_equal(t, 12345);
	assert_int_equal(timeutil_make_local("UTC", 30000, 1, 1, 0, 0, 0, &t),
	    0);
	CHECK_TIME("year 30000", t, U(30000, 1, 1, 0, 0));
	/* Month 14 of 2026 is February 2027. */
	assert_int_equal(timeutil_make_local(SE, 2026, 14, 1, 12, 0, 0, &t),
	    0);
	CHECK_TIME("month 14", t, U(2027, 2, 1, 11, 0));
	CHECK_TIME("far day", timeutil_local_day(SE, far), 0);
	CHECK_TIME("far minute", timeutil_local_minute(SE, far), 0);
	CHECK_TIME("far back day", timeutil_local_day(NY, -far), 0);
}
/* The offset and the name people know a zone by at a moment: summer and
 * winter, a zone without DST, an unknown one (UTC). */
static void
test_zone_offset(void **state)
{
	const struct {
		const char *row, *zone;
		time_t t;
		long off;
		const char *abbr;
	} rows[] = {
		{ "se summer", SE, U(2027, 6, 5, 7, 0), 7200, "CEST" },
		{ "se winter", SE, U(2027, 1, 5, 7, 0), 3600, "CET" },
		{ "tokyo", "Asia/Tokyo", U(2027, 6, 5, 0, 0), 32400, "JST" },
		{ "kathmandu", "Asia/Kathmandu", U(2027, 6, 5, 0, 0), 20700,
		    "+0545" },
		{ "ny gap after", NY, U(2026, 3, 8, 7, 0), -14400, "EDT" },
		{ "unknown = utc", "Nowhere/Land", 0, 0, "UTC" },
	};
	char abbr[16];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		CHECK_TIME(rows[i].row, timeutil_zone_offset(rows[i].zone,
		    rows[i].t, abbr, sizeof(abbr)), rows[i].off);
		assert_string_equal(abbr, rows[i].abbr);
	}
	/* A short buffer is cut, never overrun. */
	timeutil_zone_offset(SE, U(2027, 6, 5, 7, 0), abbr, 3);
	assert_string_equal(abbr, "CE");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_civil_oracle),
		cmocka_unit_test(test_zone_valid),
		cmocka_unit_test(test_zone_cache),
		cmocka_unit_test(test_make_local),
		cmocka_unit_test(test_local_fields),
		cmocka_unit_test(test_make_local_range),
		cmocka_unit_test(test_zone_offset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
