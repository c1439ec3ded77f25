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
expect_wait(const struct config *cfg, const char *what, int attempts, long w)
{
	long got, lo = w >= 4 ? w - w / 4 + 1 : w;
	int i;

	for (i = 0; i < DRAWS; i++) {
		got = delivery_backoff(cfg, attempts);
		if (got < lo || got > w)
			fail_msg("%s: attempts %d: wait %ld, want %ld..%ld", what,
			    attempts, got, lo, w);
	}
}

/* A row: after `attempts` attempts the nominal wait is w. */
struct wait_row {
	int attempts;
	long w;
};

/* expect_wait() for each row in turn (the draws stay in that order); a
 * failure names the table. */
#define EXPECT_WAITS(cfg, rows)                                            \
	do {                                                                \
		size_t r_;                                                  \
		for (r_ = 0; r_ < sizeof(rows) / sizeof((rows)[0]); r_++)   \
			expect_wait(cfg, #rows, (rows)[r_].attempts,         \
			    (rows)[r_].w);                                  \
	} while (0)

/* A policy case: the rows under policy(backoff, max_backoff), the draws
 * seeded with seed.  test_policy runs one as a cmocka test of its own. */
struct policy_case {
	const char *name;
	int64_t backoff, max_backoff;
	unsigned seed;
	const struct wait_row *rows;
	size_t n;
};

static void
run_policy(const struct policy_case *c)
{
	struct config cfg = policy(c->backoff, c->max_backoff);
	size_t i;

	srandom(c->seed);
	for (i = 0; i < c->n; i++)
		expect_wait(&cfg, c->name, c->rows[i].attempts, c->rows[i].w);
}

#define ROWS(...) (const struct wait_row[]){ __VA_ARGS__ }, \
	sizeof((const struct wait_row[]){ __VA_ARGS__ }) / sizeof(struct wait_row)

/* Doubling stops at a cap that is not a power-of-two multiple. */
static const struct policy_case growth_and_cap = { "growth_and_cap", 7, 100,
	2, ROWS({ 1, 7 }, { 2, 14 }, { 3, 28 }, { 4, 56 },
	    { 5, 100 } /* 112 capped */, { 6, 100 }, { 100, 100 }) };

/* backoff == max_backoff: the same wait from the first attempt on. */
static const struct policy_case flat = { "flat", 600, 600, 3,
	ROWS({ 0, 600 }, { 1, 600 }, { 50, 600 }) };

/* Short waits (test_small): under 4 s nothing is taken off. */
static const struct policy_case small = { "small", 1, 3600, 4,
	ROWS({ 1, 1 }, { 2, 2 }, { 3, 4 } /* 4 - 0 */,
	    { 4, 8 } /* 7 or 8 */) };

static void
test_policy(void **state)
{
	run_policy(*state);
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
		expect_wait(u->cfg, "defaults", (int)i, want[i]);
	udb_close(u);
}

/* Short waits: under 4 s nothing is taken off; a 0 s backoff (which the
 * configuration accepts) still waits a second. */
static void
test_small(void **state)
{
	struct config zero = policy(0, 3600);
	int a;

	(void)state;
	run_policy(&small);
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
#define BIG (36600L * 86400)
	static const struct wait_row capped[] = { { 0, 30 }, { -1, 30 },
		{ INT_MIN, 30 }, { 1000000, 6 * 3600 }, { INT_MAX, 6 * 3600 } };
	static const struct wait_row widest[] = { { 1, 1 },
		{ 32, 2147483648L } /* 2^31: past 32 bits */,
		{ 33, BIG } /* 2^32 capped */, { INT_MAX, BIG } };
	static const struct wait_row biggest[] = { { INT_MAX, BIG } };
	struct config cfg = policy(30, 6 * 3600);
	struct config wide = policy(1, BIG), huge = policy(BIG, BIG);

	(void)state;
	srandom(5);
	EXPECT_WAITS(&cfg, capped);
	EXPECT_WAITS(&wide, widest);
	EXPECT_WAITS(&huge, biggest);
#undef BIG
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
		{ "test_growth_and_cap", test_policy, NULL, NULL,
		    (void *)&growth_and_cap },
		{ "test_flat", test_policy, NULL, NULL, (void *)&flat },
		cmocka_unit_test(test_small),
		cmocka_unit_test(test_extremes),
		cmocka_unit_test(test_jitter_spread),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
