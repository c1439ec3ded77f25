/*
 * A counting allocator for allocation-failure ("torture") tests, in the
 * spirit of curl's: while armed, every allocation of our code, of SQLite
 * and of jansson is counted, and the Nth one returns NULL.  Only the Nth:
 * every other allocation, before and after, succeeds, as a transient
 * ENOMEM would; the code's error path then runs in working order, and
 * its message can be checked (failing every allocation from N on mostly
 * tests that the message itself cannot be made).
 *
 * Our code (libnudge.a and the torture program) is linked with
 * -Wl,--wrap=malloc,... (the Makefile's TORTURE_WRAP), SQLite is hooked
 * with SQLITE_CONFIG_MALLOC, jansson with json_set_alloc_funcs().  Every
 * block allocated while armed is remembered until it is freed, so a test
 * can tell what a call leaked.  libc's own allocations (the buffer of an
 * open_memstream, tzset, stdio) and libconfig's are neither counted nor
 * failed; free() of them still works (everything ends in libc's malloc).
 * Single-threaded only.
 */
#ifndef NUDGE_TEST_TORTURE_H
#define NUDGE_TEST_TORTURE_H

#include <stddef.h>

/* Install the hooks: before the first sqlite3_ or json_ call.  0 or -1. */
int torture_init(void);
/* Count (and remember) allocations from now on; the nth fails (n = 0:
 * none fails). */
void torture_arm(long n);
/* Stop counting; the number of allocations counted since torture_arm(). */
long torture_disarm(void);
/* Whether the armed allocation was reached (and failed). */
int torture_hit(void);
/* Blocks allocated while armed and not freed since. */
size_t torture_live(void);
/* The ordinal (1..) of one such block, 0 when none. */
long torture_live_first(void);
/* Forget the remembered blocks (after reporting a leak). */
void torture_forget(void);

#endif
