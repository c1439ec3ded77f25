/* The pool of easy handles (daemon/transfer.c): a handle goes back to a
 * transfer for the same webhook channel as its last one still set up,
 * and is reset for anything else, after a reload included. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "transfer.h"

/* Stand-ins for two channels of a configuration: only their addresses
 * matter to the pool. */
static int channel_a, channel_b;

/* A transfer taken for ch and set up for it, as deliver_prepare does. */
static struct transfer *
take_set_up(struct transfer_pool *p, const void *ch)
{
	struct transfer *t = transfer_pool_take(p, TRANSFER_WEBHOOK, ch);

	assert_non_null(t);
	t->setup = ch;
	return t;
}

/* take_set_up(), expecting the handle configured for ch already (1) or
 * reset (0). */
#define take_expect(p, ch, want) take_expect_at(__LINE__, p, ch, want)
static struct transfer *
take_expect_at(int line, struct transfer_pool *p, const void *ch, int want)
{
	struct transfer *t = take_set_up(p, ch);

	if (t->configured != want)
		fail_msg("line %d: configured %d, want %d", line,
		    (int)t->configured, want);
	return t;
}

/* Each test has a pool of its own, emptied after it. */
static int
pool_setup(void **state)
{
	return (*state = calloc(1, sizeof(struct transfer_pool))) != NULL ?
	    0 : -1;
}

static int
pool_teardown(void **state)
{
	transfer_pool_clear(*state);
	free(*state);
	return 0;
}

static void
test_same_channel_keeps_its_options(void **state)
{
	struct transfer_pool *p = *state;
	struct transfer *t;
	CURL *easy;

	t = take_expect(p, &channel_a, 0);     /* a new handle */
	easy = t->easy;
	transfer_pool_put(p, t);
	assert_int_equal(p->n, 1);

	t = take_expect(p, &channel_a, 1);
	assert_ptr_equal(t->easy, easy);
	assert_int_equal(p->n, 0);
	transfer_pool_put(p, t);

	/* Another channel, or an email, gets the handle reset. */
	t = take_expect(p, &channel_b, 0);
	assert_ptr_equal(t->easy, easy);
	transfer_pool_put(p, t);
	t = transfer_pool_take(p, TRANSFER_EMAIL, NULL);
	assert_non_null(t);
	assert_int_equal(t->configured, 0);
	transfer_pool_put(p, t);
	/* The email left nothing set up: reset again for b. */
	t = take_expect(p, &channel_b, 0);
	transfer_pool_put(p, t);
	transfer_pool_clear(p);
	assert_int_equal(p->n, 0);
}

static void
test_finds_the_channel_below_the_top(void **state)
{
	struct transfer_pool *p = *state;
	struct transfer *a, *b;
	CURL *easy_a;

	a = take_set_up(p, &channel_a);
	b = take_set_up(p, &channel_b);
	easy_a = a->easy;
	transfer_pool_put(p, a);
	transfer_pool_put(p, b);       /* b's handle on top */
	a = take_expect(p, &channel_a, 1);
	assert_ptr_equal(a->easy, easy_a);
	b = take_expect(p, &channel_b, 1);
	transfer_pool_put(p, a);
	transfer_pool_put(p, b);
}

static void
test_reload_forgets_channels(void **state)
{
	struct transfer_pool *p = *state;
	struct transfer *kept, *flying;

	kept = take_set_up(p, &channel_a);
	flying = take_set_up(p, &channel_a);
	transfer_pool_put(p, kept);
	/* The reload frees the configuration: &channel_a may now be a
	 * channel with another URL. */
	transfer_pool_forget(p);
	kept = take_expect(p, &channel_a, 0);
	/* One in flight across the reload comes back unmarked too. */
	transfer_pool_put(p, flying);
	flying = take_expect(p, &channel_a, 0);
	/* Set up again since: kept as it is. */
	transfer_pool_put(p, flying);
	flying = take_expect(p, &channel_a, 1);
	transfer_pool_put(p, flying);
	transfer_pool_put(p, kept);
}

/* A transfer that ended gives its handle back at once (its outcome waits
 * for the database), and is freed later without giving it twice. */
static void
test_handle_back_before_the_transfer(void **state)
{
	struct transfer_pool *p = *state;
	struct transfer *t, *next;
	CURL *easy;

	t = take_set_up(p, &channel_a);
	assert_non_null(t->body = strdup("{}"));
	assert_non_null(t->channel = strdup("a"));
	easy = t->easy;
	transfer_pool_put_easy(p, t);
	assert_null(t->easy);
	assert_null(t->body);
	assert_string_equal(t->channel, "a");  /* who it went to stays */
	assert_int_equal(p->n, 1);
	/* The next transfer to the channel takes it, still set up. */
	next = take_set_up(p, &channel_a);
	assert_ptr_equal(next->easy, easy);
	assert_int_equal(next->configured, 1);
	transfer_pool_put(p, t);               /* no handle to give again */
	assert_int_equal(p->n, 0);
	transfer_pool_put(p, next);
	assert_int_equal(p->n, 1);
}

static void
test_full_pool_lets_go(void **state)
{
	struct transfer_pool *p = *state;
	struct transfer *t[TRANSFER_POOL_SIZE + 3];
	size_t i;

	for (i = 0; i < TRANSFER_POOL_SIZE + 3; i++)
		t[i] = take_set_up(p, &channel_a);
	for (i = 0; i < TRANSFER_POOL_SIZE + 3; i++)
		transfer_pool_put(p, t[i]);
	/* The three over the size were cleaned up (valgrind: no leak). */
	assert_int_equal(p->n, TRANSFER_POOL_SIZE);
	transfer_pool_put(p, NULL);
	assert_int_equal(p->n, TRANSFER_POOL_SIZE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_same_channel_keeps_its_options,
		    pool_setup, pool_teardown),
		cmocka_unit_test_setup_teardown(test_finds_the_channel_below_the_top,
		    pool_setup, pool_teardown),
		cmocka_unit_test_setup_teardown(test_reload_forgets_channels,
		    pool_setup, pool_teardown),
		cmocka_unit_test_setup_teardown(test_handle_back_before_the_transfer,
		    pool_setup, pool_teardown),
		cmocka_unit_test_setup_teardown(test_full_pool_lets_go,
		    pool_setup, pool_teardown),
	};
	int rc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	curl_global_cleanup();
	return rc;
}
