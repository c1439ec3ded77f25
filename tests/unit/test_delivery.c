/*
 * Unit tests for delivery_backoff() (lib/delivery.h): the wait before
 * the next delivery attempt, a pure function of the configuration's
 * delivery policy and the attempts made.  Exponential from `backoff`,
 * capped at `max_backoff`, less up to 25 % jitter (the wait w becomes a
 * number in (0.75 w, w]); never below one second.
 *
 * The jitter comes from random(): each test seeds it with srandom(), and
 * every assertion holds for any draw, so no test depends on the seed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "unit_db.h"

#include "config.h"
#include "delivery.h"

/* Draws of each wait checked against its range. */
#define DRAWS 200

static struct config
policy(int64_t backoff, int64_t max_backoff)
{
	struct config cfg;

	memset(&cfg, 0, sizeof(cfg));
	cfg.delivery.attempts = 8;
	cfg.delivery.backoff.seconds = backoff;
	cfg.delivery.max_backoff.seconds = max_backoff;
	return cfg;
}

/* Every draw of delivery_backoff(cfg, attempts) lies in the jitter range
 * of the nominal wait: (w - w/4, w] from 4 s on, exactly w below. */
static void
expect_wait(const struct config *cfg, int attempts, long w)
{
	long got, lo = w >= 4 ? w - w / 4 + 1 : w;
	int i;

	for (i = 0; i < DRAWS; i++) {
		got = delivery_backoff(cfg, attempts);
		if (got < lo || got > w)
			fail_msg("attempts %d: wait %ld, want %ld..%ld", attempts,
			    got, lo, w);
	}
}

/* The defaults (30s doubling up to 6h), as a configuration that does not
 * mention them loads them. */
static void
test_defaults(void **state)
{
	static const long want[] = { 30, 30, 60, 120, 240, 480, 960, 1920,
		3840, 7680, 15360, 21600, 21600, 21600 };
	struct udb *u;
	size_t i;

	(void)state;
	u = udb_open("backoff", "channels = ( { name = \"log\"; "
	    "type = \"log\"; } );\n");
	assert_non_null(u);
	assert_int_equal(u->cfg->delivery.backoff.seconds, 30);
	assert_int_equal(u->cfg->delivery.max_backoff.seconds, 6 * 3600);
	srandom(1);
	/* want[0] is attempts 0: the first wait, as attempts 1. */
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		expect_wait(u->cfg, (int)i, want[i]);
	udb_close(u);
}

/* Doubling stops at a cap that is not a power-of-two multiple. */
static void
test_growth_and_cap(void **state)
{
	struct config cfg = policy(7, 100);

	(void)state;
	srandom(2);
	expect_wait(&cfg, 1, 7);
	expect_wait(&cfg, 2, 14);
	expect_wait(&cfg, 3, 28);
	expect_wait(&cfg, 4, 56);
	expect_wait(&cfg, 5, 100);      /* 112 capped */
	expect_wait(&cfg, 6, 100);
	expect_wait(&cfg, 100, 100);
}

/* backoff == max_backoff: the same wait from the first attempt on. */
static void
test_flat(void **state)
{
	struct config cfg = policy(600, 600);

	(void)state;
	srandom(3);
	expect_wait(&cfg, 0, 600);
	expect_wait(&cfg, 1, 600);
	expect_wait(&cfg, 50, 600);
}

/* Short waits: under 4 s nothing is taken off; a 0 s backoff (which the
 * configuration accepts) still waits a second. */
static void
test_small(void **state)
{
	struct config one = policy(1, 3600), zero = policy(0, 3600);
	int a;

	(void)state;
	srandom(4);
	expect_wait(&one, 1, 1);
	expect_wait(&one, 2, 2);
	expect_wait(&one, 3, 4);        /* 4 - 0 */
	expect_wait(&one, 4, 8);        /* 7 or 8 */
	for (a = 0; a <= 100; a++)
		assert_int_equal(delivery_backoff(&zero, a), 1);
	zero.delivery.max_backoff.seconds = 0;
	assert_int_equal(delivery_backoff(&zero, 5), 1);
}

/* Attempts 0, negative and huge: no overflow, no endless doubling; the
 * widest durations the configuration takes (36600 days) stay exact. */
static void
test_extremes(void **state)
{
	struct config cfg = policy(30, 6 * 3600);
	long big = 36600L * 86400;
	struct config wide = policy(1, big), huge = policy(big, big);

	(void)state;
	srandom(5);
	expect_wait(&cfg, 0, 30);
	expect_wait(&cfg, -1, 30);
	expect_wait(&cfg, INT_MIN, 30);
	expect_wait(&cfg, 1000000, 6 * 3600);
	expect_wait(&cfg, INT_MAX, 6 * 3600);
	expect_wait(&wide, 1, 1);
	expect_wait(&wide, 32, 2147483648L);    /* 2^31: past 32 bits */
	expect_wait(&wide, 33, big);            /* 2^32 capped */
	expect_wait(&wide, INT_MAX, big);
	expect_wait(&huge, INT_MAX, big);
}

/* The jitter is spread over its range, not a constant: at the cap many
 * different waits come out, from near 75 % to near 100 %. */
static void
test_jitter_spread(void **state)
{
	struct config cfg = policy(30, 21600);
	long got, lo = LONG_MAX, hi = 0;
	int i, distinct = 0;
	static unsigned char seen[21601];

	(void)state;
	srandom(6);
	memset(seen, 0, sizeof(seen));
	for (i = 0; i < 5000; i++) {
		got = delivery_backoff(&cfg, 20);
		assert_true(got > 21600 - 21600 / 4 && got <= 21600);
		if (!seen[got]++)
			distinct++;
		if (got < lo)
			lo = got;
		if (got > hi)
			hi = got;
	}
	assert_true(distinct > 1000);
	assert_true(lo < 21600 * 78 / 100);
	assert_true(hi > 21600 * 97 / 100);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_growth_and_cap),
		cmocka_unit_test(test_flat),
		cmocka_unit_test(test_small),
		cmocka_unit_test(test_extremes),
		cmocka_unit_test(test_jitter_spread),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
