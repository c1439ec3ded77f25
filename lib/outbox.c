#include "outbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "jsonout.h"
#include "store.h"

#define OUTBOX_COLUMNS \
	"id, followup_id, channel, round, delivery_id, state, attempts, " \
	"next_attempt_at, last_error, created_at, updated_at, delivered_at "
#define OUTBOX_SELECT "SELECT " OUTBOX_COLUMNS "FROM deliveries "

/* The delivery id is derived from the row's identity, so it is the same
 * after every retry and every restart, and from the database's (migration
 * 0010), so no other install makes the same: nudge-<database id>-
 * <follow-up>-<round>-<hex(channel)>, the database id's first 64 bits
 * (16 hex digits: a clash between two installs is a 1 in 2^32 chance only
 * among billions of them), so the Message-ID made of it fits a 78-column
 * header line.  It is stored on the row. */
static const char SQL_ENQUEUE[] =
    "INSERT INTO deliveries (followup_id, channel, round, delivery_id, "
    "next_attempt_at, created_at, updated_at) "
    "SELECT column1, column2, column3, 'nudge-' || (SELECT "
    "substr(database_id, 1, 16) FROM daemon WHERE id = 1) || '-' || "
    "column1 || '-' || column3 || '-' || lower(hex(column2)), ?1, ?1, ?1 "
    "FROM (VALUES "
    STORE_ROWS3_BATCH ") WHERE column1 IS NOT NULL "
    "ON CONFLICT (followup_id, channel, round) DO NOTHING";
/* The channels a claim passes over (their share of the transfers is
 * taken), as a JSON array of names; NULL passes over none. */
#define OUTBOX_NOT_SKIPPED(param) \
	"AND d.channel NOT IN (SELECT value FROM json_each(" param ")) "

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
    FOLLOWUP_COLUMNS ", d.created_at "
    "FROM deliveries d LEFT JOIN followups f ON f.id = d.followup_id "
    FOLLOWUP_JOIN_ACCOUNT
    "WHERE d.state = ?3 AND d.state <> 'delivered' "
    "AND d.next_attempt_at <= ?1 " OUTBOX_NOT_SKIPPED("?4")
    "ORDER BY d.next_attempt_at, d.id LIMIT ?2";
static const char SQL_CLAIM_MARK[] =
    "UPDATE deliveries SET state = 'sending', attempts = attempts + 1, "
    "updated_at = ?1 WHERE id IN (" STORE_PARAMS_BATCH ")";
static const char SQL_DEAD[] =
    OUTBOX_SELECT "WHERE state = 'dead' "
    "AND state <> 'delivered' ORDER BY updated_at DESC, id DESC LIMIT ?1";
static const char SQL_LIST[] =
    OUTBOX_SELECT "WHERE state <> 'delivered' ORDER BY id";
static const char SQL_LIST_STATE[] =
    OUTBOX_SELECT "WHERE state = ?1 "
    "AND state <> 'delivered' ORDER BY id";
static const char SQL_FIND[] = OUTBOX_SELECT "WHERE id = ?1";
/* The state test repeats the use-case's rule: a row being sent or
 * delivered is never sent again by a retry. */
static const char SQL_RETRY[] =
    "UPDATE deliveries SET state = 'queued', attempts = 0, "
    "next_attempt_at = ?1, last_error = NULL, updated_at = ?1 "
    "WHERE id IN (" STORE_PARAMS_BATCH ") AND (state = 'dead' OR "
    "state = 'dismissed' OR state = 'retry')";
static const char SQL_DISMISS[] =
    "UPDATE deliveries SET state = 'dismissed', updated_at = ?2 "
    "WHERE id = ?1 AND state = 'dead'";
static const char SQL_WITHDRAW[] =
    "UPDATE deliveries SET state = 'dismissed', last_error = ?2, "
    "updated_at = ?3 WHERE followup_id = ?1 AND state IN ('queued', "
    "'retry') AND state <> 'delivered'";
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
/* With channels to pass over, min() is no longer one step of the index
 * (it read every open row: a third more CPU per delivery in a burst):
 * the first row of each state in the index's order that is not passed
 * over, the earlier of the two. */
#define SQL_NEXT_STATE(state) \
    "(SELECT d.next_attempt_at FROM deliveries d WHERE d.state = '" state \
    "' AND d.state <> 'delivered' " OUTBOX_NOT_SKIPPED("?1") \
    "ORDER BY d.next_attempt_at LIMIT 1)"
static const char SQL_NEXT_SKIP[] =
    "SELECT min(coalesce(" SQL_NEXT_STATE("queued") ", "
    SQL_NEXT_STATE("retry") "), coalesce(" SQL_NEXT_STATE("retry") ", "
    SQL_NEXT_STATE("queued") "))";
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

/* A row of OUTBOX_COLUMNS; or, `claimed`, its first 9 columns and the
 * follow-up from column 9 on (others have none: all zero). */
static int
outbox_fill(sqlite3_stmt *q, struct outbox_item *v, int claimed)
{
	int oom = 0;

	v->id = sqlite3_column_int64(q, 0);
	v->followup_id = sqlite3_column_int64(q, 1);
	v->channel = store_column_dup(q, 2, &oom);
	v->round = sqlite3_column_int(q, 3);
	v->delivery_id = store_column_dup(q, 4, &oom);
	v->state = store_column_dup(q, 5, &oom);
	v->attempts = sqlite3_column_int(q, 6);
	v->next_attempt_at = sqlite3_column_int64(q, 7);
	v->last_error = store_column_dup(q, 8, &oom);
	v->created_at = v->updated_at = v->delivered_at = 0;
	memset(&v->followup, 0, sizeof(v->followup));
	if (claimed) {
		if (followup_from_columns(q, 9, &v->followup) != 0)
			oom = 1;
		/* After the follow-up's columns: the body's timestamp,
		 * the same at every attempt. */
		v->created_at = sqlite3_column_int64(q,
		    9 + STORE_DEF_NCOLS(FOLLOWUP_DEF));
	} else {
		v->created_at = sqlite3_column_int64(q, 9);
		v->updated_at = sqlite3_column_int64(q, 10);
		v->delivered_at = sqlite3_column_int64(q, 11);
	}
	return oom ? -1 : 0;
}

static int
outbox_fill_claimed(sqlite3_stmt *q, void *row)
{
	return outbox_fill(q, row, 1);
}

static int
outbox_fill_listed(sqlite3_stmt *q, void *row)
{
	return outbox_fill(q, row, 0);
}

static void
outbox_clear(void *row)
{
	struct outbox_item *v = row;

	free(v->channel);
	free(v->delivery_id);
	free(v->state);
	free(v->last_error);
	followup_clear(&v->followup);
}

static const struct store_row_type outbox_claimed_rows = {
	sizeof(struct outbox_item), outbox_fill_claimed, outbox_clear,
	"delivery", "reading deliveries",
};
static const struct store_row_type outbox_listed_rows = {
	sizeof(struct outbox_item), outbox_fill_listed, outbox_clear,
	"delivery", "reading deliveries",
};

/* Keep the rows keep() wants at the front of rows (none: all), clear
 * the others. */
static void
outbox_keep(struct store_rows *rows, size_t from,
    int (*keep)(void *, const struct outbox_item *), void *arg)
{
	struct outbox_item *v = rows->v;
	size_t i, k = from;

	if (keep == NULL)
		return;
	for (i = from; i < rows->n; i++) {
		if (keep(arg, &v[i]))
			v[k++] = v[i];
		else
			outbox_clear(&v[i]);
	}
	rows->n = k;
}

/* Read due rows of one state, up to max, into rows. */
static int
outbox_read_due(struct store *st, sqlite3_stmt *q, const char *state,
    int max, struct store_rows *rows,
    int (*keep)(void *, const struct outbox_item *), void *arg,
    char **errp)
{
	size_t from = rows->n;

	sqlite3_bind_int(q, 2, max);
	sqlite3_bind_text(q, 3, state, -1, SQLITE_STATIC);
	if (store_rows(st, q, &outbox_claimed_rows, rows, errp) != 0)
		return -1;
	outbox_keep(rows, from, keep, arg);
	return 0;
}

int
outbox_claim_pick(struct store *st, time_t now, int max, const char *skip,
    int (*keep)(void *arg, const struct outbox_item *it), void *arg,
    struct outbox_item **out, size_t *n, char **errp)
{
	struct store_rows rows = { NULL, 0, 0 };
	int64_t ids[STORE_BATCH];
	sqlite3_stmt *q;
	size_t i, k;

	*out = NULL;
	*n = 0;
	if ((q = store_stmt(st, SQL_CLAIM_READ, errp)) == NULL)
		return -1;
	sqlite3_bind_int64(q, 1, now);
	/* Not bound (out of memory): store_rows() refuses to run it. */
	store_bind_text(q, 4, skip);
	/* Retries first: they were due before anything still queued. */
	if (outbox_read_due(st, q, "retry", max, &rows, keep, arg, errp) != 0)
		return -1;
	if (rows.n < (size_t)max && outbox_read_due(st, q, "queued",
	    max - (int)rows.n, &rows, keep, arg, errp) != 0) {
		outbox_list_free(rows.v, rows.n);
		return -1;
	}
	for (i = 0; i < rows.n; i += k) {
		for (k = 0; k < STORE_BATCH && i + k < rows.n; k++)
			ids[k] = ((struct outbox_item *)rows.v)[i + k].id;
		if (store_exec_ids(st, SQL_CLAIM_MARK, now, ids, k,
		    errp) != 0) {
			outbox_list_free(rows.v, rows.n);
			return -1;
		}
	}
	*out = rows.v;
	*n = rows.n;
	return 0;
}

int
outbox_claim_due(struct store *st, time_t now, int max,
    struct outbox_item **out, size_t *n, char **errp)
{
	return outbox_claim_pick(st, now, max, NULL, NULL, NULL, out, n,
	    errp);
}

int
outbox_list_dead(struct store *st, int max, struct outbox_item **out,
    size_t *n, char **errp)
{
	struct store_rows rows = { NULL, 0, 0 };
	sqlite3_stmt *q;

	*out = NULL;
	*n = 0;
	if ((q = store_stmt(st, SQL_DEAD, errp)) == NULL)
		return -1;
	sqlite3_bind_int(q, 1, max);
	if (store_rows(st, q, &outbox_listed_rows, &rows, errp) != 0)
		return -1;
	*out = rows.v;
	*n = rows.n;
	return 0;
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
	return store_exec(st, SQL_FAILED, STORE_ARGS(STORE_INT(id),
	    STORE_TEXT(error), STORE_INT(next_at), STORE_INT(now)), errp);
}

int
outbox_requeue_sending(struct store *st, time_t now, int *n, char **errp)
{
	if (store_exec(st, SQL_REQUEUE, STORE_ARGS(STORE_INT(now)), errp) != 0)
		return -1;
	*n = sqlite3_changes(store_db(st));
	return 0;
}

int
outbox_next_attempt(struct store *st, const char *skip, int64_t *at,
    int *found, char **errp)
{
	sqlite3_stmt *q = store_stmt(st, skip != NULL ? SQL_NEXT_SKIP :
	    SQL_NEXT, errp);

	if (q != NULL && skip != NULL)
		store_bind_text(q, 1, skip);
	return store_int(st, q, at, found, "finding next delivery", errp);
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
		else if (strcmp(state, "dismissed") == 0)
			c->dismissed += n;
	}
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return store_err(st, errp, "counting deliveries");
	if (!with_delivered)
		return 0;
	if (store_int(st, store_stmt(st, SQL_COUNT_ALL, errp), &n, NULL,
	    "counting deliveries", errp) != 0)
		return -1;
	c->delivered = n - open;
	return 0;
}

int
outbox_list(struct store *st, const char *state, struct outbox_item **out,
    size_t *n, char **errp)
{
	struct store_rows rows = { NULL, 0, 0 };
	sqlite3_stmt *q;

	*out = NULL;
	*n = 0;
	/* Two statements: `?1 IS NULL OR state = ?1` would never search
	 * the index for one state. */
	if ((q = store_stmt(st, state != NULL ? SQL_LIST_STATE : SQL_LIST,
	    errp)) == NULL)
		return -1;
	if (state != NULL)
		store_bind_text(q, 1, state);
	if (store_rows(st, q, &outbox_listed_rows, &rows, errp) != 0)
		return -1;
	*out = rows.v;
	*n = rows.n;
	return 0;
}

int
outbox_find(struct store *st, int64_t id, struct outbox_item *out,
    char **errp)
{
	sqlite3_stmt *q;

	memset(out, 0, sizeof(*out));
	if ((q = store_stmt(st, SQL_FIND, errp)) == NULL)
		return -1;
	sqlite3_bind_int64(q, 1, id);
	return store_row(st, q, &outbox_listed_rows, out, errp);
}

void
outbox_item_clear(struct outbox_item *it)
{
	outbox_clear(it);
	memset(it, 0, sizeof(*it));
}

int
outbox_retry(struct store *st, const int64_t *ids, size_t n, time_t now,
    char **errp)
{
	return store_exec_ids(st, SQL_RETRY, now, ids, n, errp);
}

int
outbox_dismiss(struct store *st, int64_t id, time_t now, char **errp)
{
	return store_exec(st, SQL_DISMISS, STORE_ARGS(STORE_INT(id),
	    STORE_INT(now)), errp);
}

int
outbox_withdraw(struct store *st, int64_t followup_id, const char *why,
    time_t now, char **errp)
{
	return store_exec(st, SQL_WITHDRAW, STORE_ARGS(STORE_INT(followup_id),
	    STORE_TEXT(why), STORE_INT(now)), errp);
}

json_t *
outbox_json(const struct outbox_item *it, const char *zone)
{
	/* Only a row still to be tried has a next attempt. */
	int waiting = strcmp(it->state, "queued") == 0 ||
	    strcmp(it->state, "retry") == 0;
	json_t *o;
	int rc;

	if ((o = json_object()) == NULL)
		return NULL;
	rc = jsonout_set_int(o, "id", it->id);
	rc |= jsonout_set_text(o, "delivery_id", it->delivery_id);
	rc |= jsonout_set_int(o, "followup", it->followup_id);
	rc |= jsonout_set_text(o, "channel", it->channel);
	rc |= jsonout_set_int(o, "round", it->round);
	rc |= jsonout_set_text(o, "state", it->state);
	rc |= jsonout_set_int(o, "attempts", it->attempts);
	rc |= jsonout_set_time(o, "next_attempt_at", waiting ?
	    it->next_attempt_at : 0, zone);
	jsonout_set_str(o, "last_error", it->last_error);
	rc |= jsonout_set_time(o, "created_at", it->created_at, zone);
	rc |= jsonout_set_time(o, "updated_at", it->updated_at, zone);
	rc |= jsonout_set_time(o, "delivered_at", it->delivered_at, zone);
	return jsonout_made(o, rc != 0);
}

void
outbox_list_free(struct outbox_item *v, size_t n)
{
	/* Either row type: they clear alike. */
	store_rows_free(&outbox_listed_rows, v, n);
}
