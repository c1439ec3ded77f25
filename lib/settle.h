/*
 * A record settled while it is open: a deal won or lost, a promise kept,
 * broken or cancelled.  Its state and the moment change once, and the
 * event "<noun>.<state>" says so.
 */
#ifndef NUDGE_SETTLE_H
#define NUDGE_SETTLE_H

#include <stdint.h>
#include <time.h>

struct store;

struct settle_kind {
	const char *noun;       /* the event's subject, the messages' noun */
	const char *state;      /* the record's state, ?1 = id */
	const char *set;        /* the update while open: ?1 id, ?2 the new
	                         * state, ?3 the moment (or null), ?4 now */
};

/* The kind of a table whose text column state is 'open' until settled,
 * the moment of it in column moment. */
#define SETTLE_KIND(noun, table, state, moment) { noun, \
    "SELECT " state " FROM " table " WHERE id = ?1", \
    "UPDATE " table " SET " state " = ?2, " moment " = ?3, " \
    "updated_at = ?4 WHERE id = ?1 AND " state " = 'open'" }

/*
 * Record id of kind k to state as of at (the moment column null unless
 * has_at), with the event "<noun>.<state>" at at.  0, or -1 with "no
 * <noun> with id <id>", "<noun> <id> is already <state>" or a store
 * error.
 */
int settle(struct store *st, const struct settle_kind *k, int64_t id,
    const char *state, time_t at, int has_at, time_t now, char **errp);

#endif
