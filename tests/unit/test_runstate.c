/*
 * What `nudge status` says of the daemon (lib/runstate.c): the state
 * judged from the scheduler's lock and the daemon's row, and the lock
 * itself (lib/runlock.c), taken and probed on a real file.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runlock.h"
#include "runstate.h"
#include "store.h"
#include "unit_db.h"

static int
setup(void **state)
{
	return (*state = udb_dir("runstate")) != NULL ? 0 : -1;
}

/* Each state from its row and the lock, at 10,000. */
static void
test_judge(void **state)
{
	static const struct {
		int locked;
		int64_t started, beat, stopped;
		enum runstate_state want;
		int64_t age;
	} cases[] = {
		{ 0, 0, 0, 0, RUNSTATE_NEVER, -1 },
		/* The lock is the truth: a fresh beat without it is not
		 * running (the heartbeat said alive for 3 minutes). */
		{ 0, 9000, 9990, 0, RUNSTATE_CRASHED, 10 },
		{ 0, 9000, 9990, 9995, RUNSTATE_STOPPED, 10 },
		{ 1, 9000, 9990, 0, RUNSTATE_RUNNING, 10 },
		{ 1, 9000, 10000 - RUNSTATE_STUCK_AFTER, 0, RUNSTATE_RUNNING,
		    RUNSTATE_STUCK_AFTER },
		{ 1, 9000, 10000 - RUNSTATE_STUCK_AFTER - 1, 0, RUNSTATE_STUCK,
		    RUNSTATE_STUCK_AFTER + 1 },
		/* Holding the lock before its first beat (starting, or
		 * nudged --once): running. */
		{ 1, 0, 0, 0, RUNSTATE_RUNNING, -1 },
		/* A clock behind the beat is no age. */
		{ 1, 9000, 10500, 0, RUNSTATE_RUNNING, 0 },
	};
	struct runstate_health h;
	struct runstate rs;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&rs, 0, sizeof(rs));
		rs.pid = 41;
		rs.started_at = cases[i].started;
		rs.heartbeat_at = cases[i].beat;
		rs.stopped_at = cases[i].stopped;
		runstate_judge(&rs, cases[i].locked, 42, 10000, &h);
		if (h.state != cases[i].want || h.heartbeat_age != cases[i].age)
			fail_msg("case %zu: %s, age %lld; want %s, age %lld",
			    i, runstate_state_name(h.state),
			    (long long)h.heartbeat_age,
			    runstate_state_name(cases[i].want),
			    (long long)cases[i].age);
		assert_int_equal(h.alive, cases[i].locked);
		/* The holder's pid while locked, else the last recorded. */
		assert_int_equal(h.pid, cases[i].locked ? 42 : 41);
	}
	assert_string_equal(runstate_state_name(RUNSTATE_NEVER),
	    "never started");
	assert_string_equal(runstate_state_name(RUNSTATE_CRASHED), "crashed");
}

/* Probing never makes the lock file; a held lock is seen with its pid
 * (flock locks of two opens conflict within one process too), a
 * released one at once; a second taker is refused, naming the holder. */
static void
test_lock(void **state)
{
	struct udb *u = *state;
	char *err = NULL, path[160];
	int64_t holder;
	int held, fd, fd2;

	snprintf(path, sizeof(path), "%s.lock", u->db);
	assert_int_equal(runlock_probe(u->db, &held, &holder, &err), 0);
	assert_int_equal(held, 0);
	assert_int_equal(access(path, F_OK), -1);

	assert_int_equal(runlock_take(u->db, &fd, &holder, &err), 0);
	assert_null(err);
	assert_int_equal(runlock_probe(u->db, &held, &holder, &err), 0);
	assert_int_equal(held, 1);
	assert_int_equal(holder, getpid());
	assert_int_equal(runlock_take(u->db, &fd2, &holder, &err), 1);
	assert_int_equal(fd2, -1);
	assert_int_equal(holder, getpid());

	close(fd);
	assert_int_equal(runlock_probe(u->db, &held, &holder, &err), 0);
	assert_int_equal(held, 0);
}

/* The store's lock and row together: stopped, then running while held. */
static void
test_health(void **state)
{
	struct udb *u = *state;
	struct runstate_health h;
	struct runstate rs;
	char *err = NULL;
	int64_t holder;
	int fd;

	assert_int_equal(store_open(u->db, 0, &u->st, &err), 0);
	assert_int_equal(runstate_health(u->st, 1000, &rs, &h, &err), 0);
	assert_int_equal(h.state, RUNSTATE_NEVER);
	runstate_clear(&rs);
	assert_int_equal(runlock_take(u->db, &fd, &holder, &err), 0);
	assert_int_equal(runstate_started(u->st, getpid(), "0.1.0", 1000,
	    &err), 0);
	assert_int_equal(runstate_health(u->st, 1010, &rs, &h, &err), 0);
	assert_int_equal(h.state, RUNSTATE_RUNNING);
	assert_int_equal(h.pid, getpid());
	runstate_clear(&rs);
	assert_int_equal(runstate_stopped(u->st, 1020, &err), 0);
	close(fd);
	assert_int_equal(runstate_health(u->st, 1030, &rs, &h, &err), 0);
	assert_int_equal(h.state, RUNSTATE_STOPPED);
	assert_int_equal(rs.stopped_at, 1020);
	runstate_clear(&rs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_judge),
		cmocka_unit_test_setup_teardown(test_lock, setup,
		    udb_teardown),
		cmocka_unit_test_setup_teardown(test_health, setup,
		    udb_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
