/*
 * What the test_time_*.c programs share: the zones they use, an oracle
 * for expected moments, and a check that names the failing row.
 *
 * Expected moments are written as the UTC wall time of the instant, computed
 * by hand from the known offsets (Stockholm CET +1 / CEST +2, switching at
 * 01:00 UTC on 2026-03-29 and 2026-10-25; New York EST -5 / EDT -4,
 * switching at 2026-03-08 07:00 UTC and 2026-11-01 06:00 UTC), and turned
 * into epoch seconds by civil() below, which is independent of libc's time
 * functions (test_civil_oracle in test_time_zone.c checks it).  `now` is
 * always fixed.
 */
#ifndef NUDGE_TEST_TIME_H
#define NUDGE_TEST_TIME_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cmocka.h>

#define SE "Europe/Stockholm"
#define NY "America/New_York"

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian, H. Hinnant). */
static inline int64_t
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
static inline time_t
U6(int y, int mo, int d, int h, int mi, int s)
{
	return (time_t)(civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s);
}

#define U(y, mo, d, h, mi) U6(y, mo, d, h, mi, 0)
#define NROWS(a) (sizeof(a) / sizeof((a)[0]))
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

#endif
