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

/*
 * Tests of the pool as lists of steps on a few numbered transfers: take
 * one for a channel (NULL: for an email), give one back, or reload.
 */
enum step_op { END, TAKE, PUT, FORGET };

struct step {
	enum step_op op;
	int slot;               /* the transfer taken or given back */
	const int *ch;          /* TAKE: its channel; NULL for an email */
	int want;               /* TAKE: configured already (1), reset (0) or
				   either (-1) */
	int first_handle;       /* TAKE: holds the handle the slot had first */
	int n;                  /* the handles in the pool after, or -1 */
};

#define TAKE_ANY(slot, ch) { TAKE, slot, ch, -1, 0, -1 }
#define TAKE_NEW(slot, ch) { TAKE, slot, ch, 0, 0, -1 }
#define TAKE_SET(slot, ch) { TAKE, slot, ch, 1, 0, -1 }
#define PUT_BACK(slot) { PUT, slot, NULL, -1, 0, -1 }

static const struct {
	const char *what;
	struct step steps[12];  /* up to the first END */
} scenarios[] = {
	{ "the same channel keeps its options", {
		TAKE_NEW(0, &channel_a),                /* a new handle */
		{ PUT, 0, NULL, -1, 0, 1 },
		{ TAKE, 0, &channel_a, 1, 1, 0 },
		PUT_BACK(0),
		/* Another channel, or an email, gets the handle reset. */
		{ TAKE, 0, &channel_b, 0, 1, -1 },
		PUT_BACK(0),
		TAKE_NEW(0, NULL),
		PUT_BACK(0),
		/* The email left nothing set up: reset again for b. */
		TAKE_NEW(0, &channel_b),
		PUT_BACK(0),
	} },
	{ "finds the channel below the top", {
		TAKE_ANY(0, &channel_a),
		TAKE_ANY(1, &channel_b),
		PUT_BACK(0),
		PUT_BACK(1),                    /* b's handle on top */
		{ TAKE, 0, &channel_a, 1, 1, -1 },
		TAKE_SET(1, &channel_b),
		PUT_BACK(0),
		PUT_BACK(1),
	} },
	/* 0 is kept in the pool across the reload, 1 in flight. */
	{ "a reload forgets the channels", {
		TAKE_ANY(0, &channel_a),
		TAKE_ANY(1, &channel_a),
		PUT_BACK(0),
		/* The reload frees the configuration: &channel_a may now be
		 * a channel with another URL. */
		{ FORGET, 0, NULL, -1, 0, -1 },
		TAKE_NEW(0, &channel_a),
		/* One in flight across the reload comes back unmarked too. */
		PUT_BACK(1),
		TAKE_NEW(1, &channel_a),
		/* Set up again since: kept as it is. */
		PUT_BACK(1),
		TAKE_SET(1, &channel_a),
		PUT_BACK(1),
		PUT_BACK(0),
	} },
};

/* One step of a scenario on the pool p and its transfers t. */
static void
run_step(struct transfer_pool *p, struct transfer **t, const struct step *s)
{
	if (s->op == FORGET) {
		transfer_pool_forget(p);
	} else if (s->op == PUT) {
		transfer_pool_put(p, t[s->slot]);
		t[s->slot] = NULL;
	} else if (s->ch != NULL) {
		t[s->slot] = take_set_up(p, s->ch);
	} else {
		t[s->slot] = transfer_pool_take(p, TRANSFER_EMAIL, NULL);
		assert_non_null(t[s->slot]);
	}
}

static void
test_pool_steps(void **state)
{
	struct transfer_pool *p = *state;
	struct transfer *t[4];
	CURL *first[4];
	const struct step *s;
	size_t i, k;

	for (i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++) {
		memset(first, 0, sizeof(first));
		for (k = 0; (s = &scenarios[i].steps[k])->op != END; k++) {
			run_step(p, t, s);
			if (s->op == TAKE && s->want >= 0 &&
			    t[s->slot]->configured != s->want)
				fail_msg("%s, step %zu: configured %d, want %d",
				    scenarios[i].what, k,
				    (int)t[s->slot]->configured, s->want);
			if (s->op == TAKE && first[s->slot] == NULL)
				first[s->slot] = t[s->slot]->easy;
			if (s->first_handle)
				assert_ptr_equal(t[s->slot]->easy,
				    first[s->slot]);
			if (s->n >= 0 && p->n != s->n)
				fail_msg("%s, step %zu: %d in the pool, want "
				    "%d", scenarios[i].what, k, p->n, s->n);
		}
		transfer_pool_clear(p);
		assert_int_equal(p->n, 0);
	}
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
		cmocka_unit_test_setup_teardown(test_pool_steps, pool_setup,
		    pool_teardown),
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
