#include "outbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "store.h"

#define OUTBOX_COLUMNS \
	"id, followup_id, channel, round, delivery_id, state, attempts, " \
	"next_attempt_at, last_error "

/* The delivery id is derived from the row's identity, so it is the same
 * after every retry and every restart. */
static const char SQL_ENQUEUE[] =
    "INSERT INTO deliveries (followup_id, channel, round, delivery_id, "
    "next_attempt_at, created_at, updated_at) "
    "SELECT column1, column2, column3, 'nudge-' || column1 || '-' || "
    "column3 || '-' || lower(hex(column2)), ?1, ?1, ?1 FROM (VALUES "
    STORE_ROWS3_BATCH ") WHERE column1 IS NOT NULL "
    "ON CONFLICT (followup_id, channel, round) DO NOTHING";
/*
 * Every query on a state says `state <> 'delivered'`: that is the WHERE
 * of the partial index deliveries_open (migrations/0004), and SQLite
 * only uses a partial index for a query that repeats it.
 *
 * Claiming is two statements for the whole round: the due rows are read
 * with their follow-ups, then marked.  One state at a time: each is then
 * a range of deliveries_open read in order (the index ends in the rowid,
 * so "id" needs no sort either); `state IN (...)` made SQLite sort every
 * due row.  The follow-up comes with its row: a lookup per delivery
 * (followup_get) cost more than the join, and an UPDATE ... RETURNING
 * more than the read and a marking over a batch of ids (its subquery
 * and RETURNING each fill a temporary table).  LEFT JOIN: a row whose
 * follow-up is missing is still claimed, and fails visibly.
 */
static const char SQL_CLAIM_READ[] =
    "SELECT d.id, d.followup_id, d.channel, d.round, d.delivery_id, "
    "'sending', d.attempts, d.next_attempt_at, d.last_error, "
    FOLLOWUP_COLUMNS
    "FROM deliveries d LEFT JOIN followups f ON f.id = d.followup_id "
    FOLLOWUP_JOIN_ACCOUNT
    "WHERE d.state = ?3 AND d.state <> 'delivered' "
    "AND d.next_attempt_at <= ?1 ORDER BY d.next_attempt_at, d.id LIMIT ?2";
static const char SQL_CLAIM_MARK[] =
    "UPDATE deliveries SET state = 'sending', attempts = attempts + 1, "
    "updated_at = ?1 WHERE id IN (" STORE_PARAMS_BATCH ")";
static const char SQL_DEAD[] =
    "SELECT " OUTBOX_COLUMNS "FROM deliveries WHERE state = 'dead' "
    "AND state <> 'delivered' ORDER BY updated_at DESC, id DESC LIMIT ?1";
static const char SQL_DELIVERED[] =
    "UPDATE deliveries SET state = 'delivered', delivered_at = ?1, "
    "last_error = NULL, updated_at = ?1 WHERE id IN ("
    STORE_PARAMS_BATCH ")";
static const char SQL_FAILED[] =
    "UPDATE deliveries SET state = CASE WHEN ?3 = 0 THEN 'dead' "
    "ELSE 'retry' END, last_error = ?2, next_attempt_at = CASE WHEN ?3 = 0 "
    "THEN next_attempt_at ELSE ?3 END, updated_at = ?4 WHERE id = ?1";
static const char SQL_REQUEUE[] =
    "UPDATE deliveries SET state = 'queued', updated_at = ?1 "
    "WHERE state = 'sending' AND state <> 'delivered'";
static const char SQL_NEXT[] =
    "SELECT min(next_attempt_at) FROM deliveries "
    "WHERE state IN ('queued', 'retry') AND state <> 'delivered'";
static const char SQL_COUNT[] =
    "SELECT state, count(*) FROM deliveries WHERE state <> 'delivered' "
    "GROUP BY state";
/* The rows of the other states, counted above, are subtracted. */
static const char SQL_COUNT_ALL[] = "SELECT count(*) FROM deliveries";

int
outbox_enqueue(struct store *st, const struct outbox_new *v, size_t n,
    time_t now, char **errp)
{
	sqlite3_stmt *q;
	size_t i, k;

	for (i = 0; i < n; i += k) {
		if ((q = store_stmt_batch(st, SQL_ENQUEUE, 1 + 3 * STORE_BATCH,
		    errp)) == NULL)
			return -1;
		sqlite3_bind_int64(q, 1, now);
		for (k = 0; k < STORE_BATCH && i + k < n; k++) {
			sqlite3_bind_int64(q, 2 + 3 * (int)k,
			    v[i + k].followup_id);
			store_bind_text(q, 3 + 3 * (int)k, v[i + k].channel);
			sqlite3_bind_int(q, 4 + 3 * (int)k, v[i + k].round);
		}
		if (store_exec_stmt(st, q, errp) != 0)
			return -1;
	}
	return 0;
}

/* Append the rows of q to *out (*n of them so far), with a follow-up
 * from column 9 on when `with_followup`; on error the whole list is
 * freed. */
static int
outbox_collect(struct store *st, sqlite3_stmt *q, int with_followup,
    struct outbox_item **out, size_t *n, char **errp)
{
	struct outbox_item *v = *out, *tmp;
	size_t len = *n, cap = *n;
	int rc;

	*out = NULL;
	*n = 0;

	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (len == cap) {
			cap = cap ? cap * 2 : 16;
			if ((tmp = realloc(v, cap * sizeof(*v))) == NULL) {
				sqlite3_reset(q);
				outbox_list_free(v, len);
				return err_set(errp, "out of memory");
			}
			v = tmp;
		}
		v[len].id = sqlite3_column_int64(q, 0);
		v[len].followup_id = sqlite3_column_int64(q, 1);
		v[len].channel = store_column_strdup(q, 2);
		v[len].round = sqlite3_column_int(q, 3);
		v[len].delivery_id = store_column_strdup(q, 4);
		v[len].state = store_column_strdup(q, 5);
		v[len].attempts = sqlite3_column_int(q, 6);
		v[len].next_attempt_at = sqlite3_column_int64(q, 7);
		v[len].last_error = store_column_strdup(q, 8);
		if (with_followup)
			followup_from_columns(q, 9, &v[len].followup);
		else
			memset(&v[len].followup, 0, sizeof(v[len].followup));
		len++;
	}
	sqlite3_reset(q);
	if (rc == SQLITE_DONE && store_column_lost(errp)) {
		outbox_list_free(v, len);
		return -1;
	}
	if (rc != SQLITE_DONE) {
		outbox_list_free(v, len);
		return store_err(st, errp, "reading deliveries");
	}
	*out = v;
	*n = len;
	return 0;
}

int
outbox_claim_due(struct store *st, time_t now, int max,
    struct outbox_item **out, size_t *n, char **errp)
{
	int64_t ids[STORE_BATCH];
	sqlite3_stmt *q;
	size_t i, k;

	*out = NULL;
	*n = 0;
	if ((q = store_stmt(st, SQL_CLAIM_READ, errp)) == NULL)
		return -1;
	/* Retries first: they were due before anything still queued. */
	sqlite3_bind_int64(q, 1, now);
	sqlite3_bind_int(q, 2, max);
	sqlite3_bind_text(q, 3, "retry", -1, SQLITE_STATIC);
	if (outbox_collect(st, q, 1, out, n, errp) != 0)
		return -1;
	if (*n < (size_t)max) {
		sqlite3_bind_int(q, 2, max - (int)*n);
		sqlite3_bind_text(q, 3, "queued", -1, SQLITE_STATIC);
		if (outbox_collect(st, q, 1, out, n, errp) != 0)
			return -1;
	}
	for (i = 0; i < *n; i += k) {
		for (k = 0; k < STORE_BATCH && i + k < *n; k++)
			ids[k] = (*out)[i + k].id;
		if (store_exec_ids(st, SQL_CLAIM_MARK, now, ids, k,
		    errp) != 0) {
			outbox_list_free(*out, *n);
			*out = NULL;
			*n = 0;
			return -1;
		}
	}
	return 0;
}

int
outbox_list_dead(struct store *st, int max, struct outbox_item **out,
    size_t *n, char **errp)
{
	sqlite3_stmt *q;

	*out = NULL;
	*n = 0;
	if ((q = store_stmt(st, SQL_DEAD, errp)) == NULL)
		return -1;
	sqlite3_bind_int(q, 1, max);
	return outbox_collect(st, q, 0, out, n, errp);
}

int
outbox_mark_delivered(struct store *st, const int64_t *ids, size_t n,
    time_t now, char **errp)
{
	return store_exec_ids(st, SQL_DELIVERED, now, ids, n, errp);
}

int
outbox_mark_failed(struct store *st, int64_t id, const char *error,
    time_t next_at, time_t now, char **errp)
{
	sqlite3_stmt *q;

	if ((q = store_stmt(st, SQL_FAILED, errp)) == NULL)
		return -1;
	sqlite3_bind_int64(q, 1, id);
	store_bind_text(q, 2, error);
	sqlite3_bind_int64(q, 3, next_at);
	sqlite3_bind_int64(q, 4, now);
	return store_exec_stmt(st, q, errp);
}

int
outbox_requeue_sending(struct store *st, time_t now, int *n, char **errp)
{
	sqlite3_stmt *q;

	if ((q = store_stmt(st, SQL_REQUEUE, errp)) == NULL)
		return -1;
	sqlite3_bind_int64(q, 1, now);
	if (store_exec_stmt(st, q, errp) != 0)
		return -1;
	*n = sqlite3_changes(store_db(st));
	return 0;
}

int
outbox_next_attempt(struct store *st, int64_t *at, int *found, char **errp)
{
	sqlite3_stmt *q;
	int rc;

	*found = 0;
	if ((q = store_stmt(st, SQL_NEXT, errp)) == NULL)
		return -1;
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL) {
		*at = sqlite3_column_int64(q, 0);
		*found = 1;
	}
	sqlite3_reset(q);
	if (rc != SQLITE_ROW)
		return store_err(st, errp, "finding next delivery");
	return 0;
}

int
outbox_count(struct store *st, int with_delivered, struct outbox_counts *c,
    char **errp)
{
	sqlite3_stmt *q;
	const char *state;
	int64_t n, open = 0;
	int rc;

	memset(c, 0, sizeof(*c));
	if ((q = store_stmt(st, SQL_COUNT, errp)) == NULL)
		return -1;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		state = (const char *)sqlite3_column_text(q, 0);
		n = sqlite3_column_int64(q, 1);
		open += n;
		if (strcmp(state, "queued") == 0 || strcmp(state, "sending") == 0)
			c->queued += n;
		else if (strcmp(state, "retry") == 0)
			c->failing += n;
		else if (strcmp(state, "dead") == 0)
			c->dead += n;
	}
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return store_err(st, errp, "counting deliveries");
	if (!with_delivered)
		return 0;
	if ((q = store_stmt(st, SQL_COUNT_ALL, errp)) == NULL)
		return -1;
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		c->delivered = sqlite3_column_int64(q, 0) - open;
	sqlite3_reset(q);
	if (rc != SQLITE_ROW)
		return store_err(st, errp, "counting deliveries");
	return 0;
}

void
outbox_list_free(struct outbox_item *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].channel);
		free(v[i].delivery_id);
		free(v[i].state);
		free(v[i].last_error);
		followup_clear(&v[i].followup);
	}
	free(v);
}
