/*
 * Storage faults in nudged: what kind a failure of the database is, and
 * when to try again.  A full disk, a read-only file system, an I/O error
 * or a database that cannot be opened does not clear between two turns
 * of the loop: the loop backs off (1 s, doubling, at most 30 s), says a
 * fault once when it begins or changes and once when it clears, never
 * per attempt, and shows it in STATUS= (docs/RELIABILITY.md).  Pure: no
 * clock, no log; the caller passes the time and says what it decides.
 */
#ifndef NUDGE_FAULT_H
#define NUDGE_FAULT_H

#include <stdint.h>

enum fault_kind {
	FAULT_NONE,
	FAULT_FULL,             /* disk (or quota) full */
	FAULT_READONLY,         /* read-only file or file system */
	FAULT_IO,               /* I/O error */
	FAULT_CANTOPEN,         /* the file or its directory is gone */
	FAULT_CORRUPT,          /* not a database, malformed */
	FAULT_BUSY,             /* another writer held the lock too long */
	FAULT_OTHER,
};

#define FAULT_FIRST_MS 1000
#define FAULT_MAX_MS 30000

struct fault_state {
	enum fault_kind kind;
	int failures;           /* attempts failed in a row */
	int64_t since_ms;       /* when this fault began */
	int64_t retry_at_ms;    /* no attempt before */
	char what[256];         /* the first message of this fault */
};

/* The kind of a failure from its message (SQLite's words). */
enum fault_kind fault_classify(const char *msg);
/* A word for a kind: "disk full", "read-only", ... */
const char *fault_name(enum fault_kind kind);
/* The wait after the nth failure in a row (n >= 1). */
int64_t fault_backoff_ms(int failures);
/* An attempt failed with msg at now_ms: counts it and sets the next
 * attempt.  1 when the fault began or changed kind (say so), 0 for one
 * more failure of the same. */
int fault_failed(struct fault_state *f, const char *msg, int64_t now_ms);
/* An attempt succeeded: 1 when a fault cleared (say so). */
int fault_cleared(struct fault_state *f);
/* Whether an attempt may be made at now_ms. */
int fault_may_try(const struct fault_state *f, int64_t now_ms);

#endif
