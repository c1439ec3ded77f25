/*
 * A record settled while it is open: a deal won or lost, a promise kept,
 * broken or cancelled.  Its state and the moment change once, and the
 * event "<noun>.<state>" says so.
 */
#ifndef NUDGE_SETTLE_H
#define NUDGE_SETTLE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct store;
struct store_row_type;

/* The update of a table whose column state is still 'open': ?1 id, ?2 the
 * new state, ?3 the moment (or null), ?4 now. */
#define SETTLE_SQL(table, state, moment) \
    "UPDATE " table " SET " state " = ?2, " moment " = ?3, " \
    "updated_at = ?4 WHERE id = ?1 AND " state " = 'open'"

struct settle_kind {
	const char *get;        /* the record's row, ?1 = id */
	const char *set;        /* SETTLE_SQL(...) */
	const struct store_row_type *rows;      /* noun: the event's subject */
	size_t state;           /* offset of the row's state (char *) */
};

/*
 * Record id of kind k to state as of at (the moment column null unless
 * has_at), with the event "<noun>.<state>" at at.  0, or -1 with
 * store_require_open()'s refusal ("<noun> <id> is already <state>") or a
 * store error.
 */
int settle(struct store *st, const struct settle_kind *k, int64_t id,
    const char *state, time_t at, int has_at, time_t now, char **errp);

#endif
