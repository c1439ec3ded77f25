/* lib/fault.c: the storage fault's kind and the loop's backoff. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fault.h"

static void
test_classify(void **state)
{
	(void)state;
	assert_int_equal(fault_classify("committing: database or disk is "
	    "full"), FAULT_FULL);
	assert_int_equal(fault_classify("queueing deliveries: attempt to "
	    "write a readonly database"), FAULT_READONLY);
	assert_int_equal(fault_classify("reading events: disk I/O error"),
	    FAULT_IO);
	assert_int_equal(fault_classify("unable to open database file"),
	    FAULT_CANTOPEN);
	assert_int_equal(fault_classify("database is locked"), FAULT_BUSY);
	assert_int_equal(fault_classify("no follow-up with id 3"),
	    FAULT_OTHER);
	assert_int_equal(fault_classify(NULL), FAULT_OTHER);
}

/* 1, 2, 4, 8, 16 s, then 30 s however long it lasts. */
static void
test_backoff_doubles_to_a_bound(void **state)
{
	(void)state;
	assert_int_equal(fault_backoff_ms(1), 1000);
	assert_int_equal(fault_backoff_ms(2), 2000);
	assert_int_equal(fault_backoff_ms(5), 16000);
	assert_int_equal(fault_backoff_ms(6), FAULT_MAX_MS);
	assert_int_equal(fault_backoff_ms(100000), FAULT_MAX_MS);
}

/* One change of state is said once, however many attempts fail: the
 * full disk that logged 53,881 lines in 4.5 s says one. */
static void
test_one_line_per_state(void **state)
{
	struct fault_state f = { 0 };
	int64_t now = 5000;
	int said = 0, i;

	(void)state;
	assert_true(fault_may_try(&f, now));
	for (i = 0; i < 1000; i++) {
		if (!fault_may_try(&f, now)) {
			now += 100;
			continue;
		}
		said += fault_failed(&f, "committing: database or disk is "
		    "full", now);
	}
	assert_int_equal(said, 1);
	assert_int_equal(f.kind, FAULT_FULL);
	assert_int_equal(f.since_ms, 5000);
	/* 100 s of trying: 1+2+4+8+16 s, then every 30 s. */
	assert_in_range(f.failures, 6, 9);
	assert_false(fault_may_try(&f, f.retry_at_ms - 1));
	assert_true(fault_may_try(&f, f.retry_at_ms));

	/* Another kind is another state, said, and its backoff starts
	 * again; so is a different message of no known kind. */
	assert_int_equal(fault_failed(&f, "disk I/O error", now), 1);
	assert_int_equal(f.failures, 1);
	assert_true(f.retry_at_ms == now + 1000);
	assert_int_equal(fault_failed(&f, "something odd", now), 1);
	assert_int_equal(fault_failed(&f, "something odd", now), 0);
	assert_int_equal(fault_failed(&f, "something else", now), 1);

	/* Success clears it once. */
	assert_int_equal(fault_cleared(&f), 1);
	assert_int_equal(fault_cleared(&f), 0);
	assert_int_equal(f.kind, FAULT_NONE);
	assert_true(fault_may_try(&f, 0));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classify),
		cmocka_unit_test(test_backoff_doubles_to_a_bound),
		cmocka_unit_test(test_one_line_per_state),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
