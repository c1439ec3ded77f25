/*
 * The counting allocator of torture.h.  Built into the torture program
 * only, which is linked with --wrap for each function below: a call to
 * malloc() in our code lands in __wrap_malloc(), which counts it, fails
 * it when it is the armed one, and otherwise calls libc's (__real_malloc).
 */
#include "torture.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

/* What is wrapped (the Makefile's TORTURE_WRAP, but for asprintf and
 * getrandom below): libc's function, __real_, and ours, __wrap_, are
 * declared from this one list. */
#define WRAPPED(X)                                                          \
	X(void *, malloc, (size_t n))                                       \
	X(void *, calloc, (size_t n, size_t size))                          \
	X(void *, realloc, (void *p, size_t n))                             \
	X(void *, reallocarray, (void *p, size_t n, size_t size))           \
	X(void, free, (void *p))                                            \
	X(char *, strdup, (const char *s))                                  \
	X(char *, strndup, (const char *s, size_t n))                       \
	X(int, vasprintf, (char **strp, const char *fmt, va_list ap))       \
	X(FILE *, open_memstream, (char **bufp, size_t *sizep))
#define DECLARE_REAL(type, name, params) type __real_##name params;
#define DECLARE_WRAP(type, name, params) type __wrap_##name params;
WRAPPED(DECLARE_REAL)
WRAPPED(DECLARE_WRAP)
#undef DECLARE_REAL
#undef DECLARE_WRAP

/* Without a __real_: asprintf goes through our vasprintf, getrandom
 * gives the same bytes each run. */
ssize_t __wrap_getrandom(void *buf, size_t n, unsigned int flags);
int __wrap_asprintf(char **strp, const char *fmt, ...);

static int armed;
static long counted, fail_at;
static int hit;

/* --- the blocks allocated while armed: an open-addressing set keyed by
 * address (linear probing, deletion by backward shift), in libc memory --- */

struct slot {
	void *p;
	long ordinal;
};

static struct slot *set;
static size_t set_cap, set_n;

static size_t
slot_of(const void *p)
{
	uintptr_t h = (uintptr_t)p;

	h ^= h >> 17;
	h *= (uintptr_t)0x9e3779b97f4a7c15ULL;
	return (size_t)(h >> 7) & (set_cap - 1);
}

static void set_put(void *p, long ordinal);

static void
set_grow(void)
{
	struct slot *old = set;
	size_t oldcap = set_cap, i;

	set_cap = set_cap ? set_cap * 2 : 4096;
	if ((set = __real_calloc(set_cap, sizeof(*set))) == NULL) {
		fputs("torture: out of memory for the block set\n", stderr);
		abort();
	}
	set_n = 0;
	for (i = 0; i < oldcap; i++)
		if (old[i].p != NULL)
			set_put(old[i].p, old[i].ordinal);
	__real_free(old);
}

static void
set_put(void *p, long ordinal)
{
	size_t i;

	if ((set_n + 1) * 2 > set_cap)
		set_grow();
	for (i = slot_of(p); set[i].p != NULL; i = (i + 1) & (set_cap - 1))
		if (set[i].p == p)
			break;
	if (set[i].p == NULL)
		set_n++;
	set[i].p = p;
	set[i].ordinal = ordinal;
}

/* Remove p; its ordinal, or 0 when it was not in the set. */
static long
set_take(const void *p)
{
	size_t i, j, k;
	long ordinal;

	if (set_n == 0 || p == NULL)
		return 0;
	for (i = slot_of(p); set[i].p != p; i = (i + 1) & (set_cap - 1))
		if (set[i].p == NULL)
			return 0;
	ordinal = set[i].ordinal;
	set[i].p = NULL;
	set_n--;
	/* Backward shift: move up what would no longer be found. */
	for (j = (i + 1) & (set_cap - 1); set[j].p != NULL;
	    j = (j + 1) & (set_cap - 1)) {
		k = slot_of(set[j].p);
		if ((j > i && (k <= i || k > j)) || (j < i && k <= i && k > j)) {
			set[i] = set[j];
			set[j].p = NULL;
			i = j;
		}
	}
	return ordinal;
}

/* --- counting --- */

/* Count one allocation: 0 when it is the one to fail. */
static int
count_one(void)
{
	if (!armed)
		return 1;
	if (++counted == fail_at) {
		hit = 1;
		return 0;
	}
	return 1;
}

static void *
track(void *p)
{
	if (p != NULL && armed)
		set_put(p, counted);
	return p;
}

/* A realloc moved old to p: p is remembered when old was (or is new). */
static void *
retrack(void *old, void *p)
{
	long ordinal;

	if (p == NULL)
		return p;
	ordinal = set_take(old);
	if (ordinal != 0)
		set_put(p, ordinal);
	else if (old == NULL)
		track(p);
	return p;
}

void
torture_arm(long n)
{
	counted = 0;
	fail_at = n;
	hit = 0;
	armed = 1;
}

long
torture_disarm(void)
{
	armed = 0;
	return counted;
}

int
torture_hit(void)
{
	return hit;
}

size_t
torture_live(void)
{
	return set_n;
}

long
torture_live_first(void)
{
	long first = 0;
	size_t i;

	for (i = 0; i < set_cap; i++)
		if (set[i].p != NULL && (first == 0 || set[i].ordinal < first))
			first = set[i].ordinal;
	return first;
}

void
torture_forget(void)
{
	if (set != NULL)
		memset(set, 0, set_cap * sizeof(*set));
	set_n = 0;
}

/* --- our code (the --wrap'ed references) --- */

void *
__wrap_malloc(size_t n)
{
	return count_one() ? track(__real_malloc(n)) : NULL;
}

void *
__wrap_calloc(size_t n, size_t size)
{
	return count_one() ? track(__real_calloc(n, size)) : NULL;
}

void *
__wrap_realloc(void *p, size_t n)
{
	return count_one() ? retrack(p, __real_realloc(p, n)) : NULL;
}

/* store_rows() grows its array with it. */
void *
__wrap_reallocarray(void *p, size_t n, size_t size)
{
	return count_one() ? retrack(p, __real_reallocarray(p, n, size)) :
	    NULL;
}

void
__wrap_free(void *p)
{
	set_take(p);
	__real_free(p);
}

char *
__wrap_strdup(const char *s)
{
	return count_one() ? track(__real_strdup(s)) : NULL;
}

char *
__wrap_strndup(const char *s, size_t n)
{
	return count_one() ? track(__real_strndup(s, n)) : NULL;
}

int
__wrap_vasprintf(char **strp, const char *fmt, va_list ap)
{
	int rc;

	if (!count_one())
		return -1;
	if ((rc = __real_vasprintf(strp, fmt, ap)) >= 0)
		track(*strp);
	return rc;
}

int
__wrap_asprintf(char **strp, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = __wrap_vasprintf(strp, fmt, ap);
	va_end(ap);
	return rc;
}

/* The stream's buffer is libc's (grown inside stdio): counted here at
 * the open only, and never remembered. */
FILE *
__wrap_open_memstream(char **bufp, size_t *sizep)
{
	return count_one() ? __real_open_memstream(bufp, sizep) : NULL;
}

/* --- jansson --- */

static void *
json_malloc(size_t n)
{
	return count_one() ? track(__real_malloc(n)) : NULL;
}

static void
json_free(void *p)
{
	set_take(p);
	__real_free(p);
}

/* --- SQLite: its default allocator, counted --- */

static sqlite3_mem_methods sq_default;

static void *
sq_malloc(int n)
{
	return count_one() ? track(sq_default.xMalloc(n)) : NULL;
}

static void
sq_free(void *p)
{
	set_take(p);
	sq_default.xFree(p);
}

static void *
sq_realloc(void *p, int n)
{
	return count_one() ? retrack(p, sq_default.xRealloc(p, n)) : NULL;
}

static int
sq_size(void *p)
{
	return sq_default.xSize(p);
}

static int
sq_roundup(int n)
{
	return sq_default.xRoundup(n);
}

static int
sq_init(void *arg)
{
	(void)arg;
	return sq_default.xInit(sq_default.pAppData);
}

static void
sq_shutdown(void *arg)
{
	(void)arg;
	sq_default.xShutdown(sq_default.pAppData);
}

int
torture_init(void)
{
	static const sqlite3_mem_methods counted_methods = {
		sq_malloc, sq_free, sq_realloc, sq_size, sq_roundup, sq_init,
		sq_shutdown, NULL
	};

	if (sqlite3_config(SQLITE_CONFIG_GETMALLOC, &sq_default) !=
	    SQLITE_OK ||
	    sqlite3_config(SQLITE_CONFIG_MALLOC, &counted_methods) !=
	    SQLITE_OK)
		return -1;
	json_set_alloc_funcs(json_malloc, json_free);
	return 0;
}

/* The same "random" bytes in every armed call: a run that makes a
 * calendar token leaves the same rows as the run without a failure it is
 * compared to.  Unarmed (the template's token) they differ. */
ssize_t
__wrap_getrandom(void *buf, size_t n, unsigned int flags)
{
	(void)flags;
	memset(buf, armed ? 0xa5 : 0x5a, n);
	return (ssize_t)n;
}
