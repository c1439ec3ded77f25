#include "followup.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "event.h"
#include "jsonout.h"
#include "store.h"

#define FOLLOWUP_FROM "FROM followups f " FOLLOWUP_JOIN_ACCOUNT

static const char SQL_INSERT[] =
    "INSERT INTO followups (owner, text, account_id, deal_id, promise_id, "
    "due_at, remind_at, rule, occurrence, created_at, updated_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10) "
    "ON CONFLICT (occurrence) DO NOTHING";
static const char SQL_GET[] =
    "SELECT " FOLLOWUP_COLUMNS FOLLOWUP_FROM "WHERE f.id = ?1";
static const char SQL_FINISH[] =
    "UPDATE followups SET state = ?2, note = coalesce(?3, note), "
    "done_at = ?4, updated_at = ?5 WHERE id = ?1 "
    "AND state IN ('pending', 'notified')";
static const char SQL_SNOOZE[] =
    "UPDATE followups SET state = 'pending', due_at = ?2, remind_at = ?3, "
    "snoozes = snoozes + 1, updated_at = ?4 WHERE id = ?1 "
    "AND state IN ('pending', 'notified')";
static const char SQL_LIST_OPEN[] =
    "SELECT " FOLLOWUP_COLUMNS FOLLOWUP_FROM
    "WHERE f.state IN ('pending', 'notified') AND (?1 IS NULL OR f.owner = ?1) "
    "AND f.remind_at >= ?2 AND f.remind_at < ?3 "
    "ORDER BY f.remind_at, f.id LIMIT ?4";
static const char SQL_LIST_STATE[] =
    "SELECT " FOLLOWUP_COLUMNS FOLLOWUP_FROM
    "WHERE f.state = ?5 AND (?1 IS NULL OR f.owner = ?1) "
    "AND f.remind_at >= ?2 AND f.remind_at < ?3 "
    "ORDER BY f.remind_at, f.id LIMIT ?4";
static const char SQL_DUE[] =
    "SELECT " FOLLOWUP_COLUMNS FOLLOWUP_FROM
    "WHERE f.state = 'pending' AND f.remind_at <= ?1 "
    "ORDER BY f.remind_at, f.id LIMIT ?2";
static const char SQL_NEXT[] =
    "SELECT min(remind_at) FROM followups WHERE state = 'pending'";
/* "+state": by rowid, not by scanning every pending follow-up through
 * followups_state_remind, which the planner otherwise picks. */
static const char SQL_NOTIFIED[] =
    "UPDATE followups SET state = 'notified', updated_at = ?1 "
    "WHERE id IN (" STORE_PARAMS_BATCH ") AND +state = 'pending'";
static const char SQL_FOLDED[] =
    "UPDATE followups SET state = 'notified', updated_at = ?2, "
    "folded_into = (SELECT id FROM followups WHERE occurrence = ?3) "
    "WHERE id = ?1 AND state = 'pending'";
static const char SQL_COUNT_RULE_ACCOUNT[] =
    "SELECT count(*) FROM followups WHERE rule = ?1 AND account_id = ?2 "
    "AND state != 'cancelled' AND remind_at >= ?3";
static const char SQL_CANCEL_DEAL_RULE[] =
    "UPDATE followups SET state = 'cancelled', updated_at = ?3 "
    "WHERE deal_id = ?1 AND rule = ?2 AND state = 'pending'";
static const char SQL_COUNT_PENDING[] =
    "SELECT count(*) FROM followups WHERE state = 'pending'";

void
followup_from_columns(sqlite3_stmt *q, int c, struct followup *f)
{
	memset(f, 0, sizeof(*f));
	if ((f->id = sqlite3_column_int64(q, c)) == 0)
		return;
	f->owner = store_column_strdup(q, c + 1);
	f->text = store_column_strdup(q, c + 2);
	f->account_id = sqlite3_column_int64(q, c + 3);
	f->account = store_column_strdup(q, c + 4);
	f->deal_id = sqlite3_column_int64(q, c + 5);
	f->promise_id = sqlite3_column_int64(q, c + 6);
	f->due_at = sqlite3_column_int64(q, c + 7);
	f->remind_at = sqlite3_column_int64(q, c + 8);
	f->state = store_column_strdup(q, c + 9);
	f->rule = store_column_strdup(q, c + 10);
	f->occurrence = store_column_strdup(q, c + 11);
	f->snoozes = sqlite3_column_int(q, c + 12);
	f->note = store_column_strdup(q, c + 13);
	f->done_at = sqlite3_column_int64(q, c + 14);
	f->created_at = sqlite3_column_int64(q, c + 15);
	f->updated_at = sqlite3_column_int64(q, c + 16);
	f->folded_into = sqlite3_column_int64(q, c + 17);
}

int
followup_create(struct store *st, const struct followup_new *n, time_t now,
    int64_t *id, char **errp)
{
	sqlite3_stmt *q;
	json_t *data;
	int rc;

	*id = 0;
	if ((q = store_stmt(st, SQL_INSERT, errp)) == NULL)
		return -1;
	store_bind_text(q, 1, n->owner);
	store_bind_text(q, 2, n->text);
	store_bind_opt_int64(q, 3, n->account_id, n->account_id != 0);
	store_bind_opt_int64(q, 4, n->deal_id, n->deal_id != 0);
	store_bind_opt_int64(q, 5, n->promise_id, n->promise_id != 0);
	sqlite3_bind_int64(q, 6, n->due_at);
	sqlite3_bind_int64(q, 7, n->remind_at);
	store_bind_text(q, 8, n->rule);
	store_bind_text(q, 9, n->occurrence);
	sqlite3_bind_int64(q, 10, now);
	if (store_exec_stmt(st, q, errp) != 0)
		return -1;
	if (sqlite3_changes(store_db(st)) == 0)
		return 0;
	*id = sqlite3_last_insert_rowid(store_db(st));
	/* Not "s:s*": a string it cannot make is left out as a NULL is. */
	if ((data = json_pack("{s:s, s:I}", "owner", n->owner, "due_at",
	    (json_int_t)n->due_at)) == NULL || (n->rule != NULL &&
	    json_object_set_new(data, "rule", json_string(n->rule)) != 0)) {
		json_decref(data);
		return err_set(errp, "out of memory");
	}
	rc = event_append(st, now, "followup.created", "followup", *id, data,
	    errp);
	json_decref(data);
	return rc;
}

int
followup_create_message(struct store *st, const char *owner,
    const char *text, const char *rule, const char *occurrence, time_t at,
    time_t now, int64_t *id, char **errp)
{
	struct followup_new f;

	memset(&f, 0, sizeof(f));
	f.owner = owner;
	f.text = text;
	f.rule = rule;
	f.occurrence = occurrence;
	f.due_at = f.remind_at = at;
	return followup_create(st, &f, now, id, errp);
}

int
followup_get(struct store *st, int64_t id, struct followup *f, char **errp)
{
	sqlite3_stmt *q;
	int rc;

	memset(f, 0, sizeof(*f));
	if ((q = store_stmt(st, SQL_GET, errp)) == NULL)
		return -1;
	sqlite3_bind_int64(q, 1, id);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		followup_from_columns(q, 0, f);
	sqlite3_reset(q);
	if (rc == SQLITE_ROW && store_column_lost(errp))
		return followup_clear(f), -1;
	if (rc == SQLITE_DONE)
		return err_set(errp, "no follow-up with id %lld",
		    (long long)id);
	if (rc != SQLITE_ROW)
		return store_err(st, errp, "reading follow-up");
	return 0;
}

/* Shared guard: a finished follow-up cannot be changed again. */
static int
followup_require_open(struct store *st, int64_t id, char **errp)
{
	struct followup f;
	int rc = 0;

	if (followup_get(st, id, &f, errp) != 0)
		return -1;
	if (strcmp(f.state, "done") == 0 || strcmp(f.state, "cancelled") == 0)
		rc = err_set(errp, "follow-up %lld is already %s",
		    (long long)id, f.state);
	followup_clear(&f);
	return rc;
}

int
followup_finish(struct store *st, int64_t id, const char *state,
    const char *note, time_t now, char **errp)
{
	sqlite3_stmt *q;
	json_t *data;
	char kind[32];
	int rc;

	if (followup_require_open(st, id, errp) != 0)
		return -1;
	if ((q = store_stmt(st, SQL_FINISH, errp)) == NULL)
		return -1;
	sqlite3_bind_int64(q, 1, id);
	store_bind_text(q, 2, state);
	store_bind_text(q, 3, note);
	store_bind_opt_int64(q, 4, now, strcmp(state, "done") == 0);
	sqlite3_bind_int64(q, 5, now);
	if (store_exec_stmt(st, q, errp) != 0)
		return -1;
	snprintf(kind, sizeof(kind), "followup.%s", state);
	data = note != NULL ? json_pack("{s:s}", "note", note) : NULL;
	if (note != NULL && data == NULL)
		return err_set(errp, "out of memory");
	rc = event_append(st, now, kind, "followup", id, data, errp);
	json_decref(data);
	return rc;
}

int
followup_snooze(struct store *st, int64_t id, time_t due_at, time_t remind_at,
    time_t now, char **errp)
{
	sqlite3_stmt *q;
	json_t *data;
	int rc;

	if (followup_require_open(st, id, errp) != 0)
		return -1;
	if ((q = store_stmt(st, SQL_SNOOZE, errp)) == NULL)
		return -1;
	sqlite3_bind_int64(q, 1, id);
	sqlite3_bind_int64(q, 2, due_at);
	sqlite3_bind_int64(q, 3, remind_at);
	sqlite3_bind_int64(q, 4, now);
	if (store_exec_stmt(st, q, errp) != 0)
		return -1;
	if ((data = json_pack("{s:I}", "due_at", (json_int_t)due_at)) == NULL)
		return err_set(errp, "out of memory");
	rc = event_append(st, now, "followup.snoozed", "followup", id, data,
	    errp);
	json_decref(data);
	return rc;
}

static int
followup_collect(struct store *st, sqlite3_stmt *q, struct followup **out,
    size_t *n, char **errp)
{
	struct followup *v = NULL, *tmp;
	size_t len = 0, cap = 0;
	int rc;

	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (len == cap) {
			cap = cap ? cap * 2 : 16;
			if ((tmp = realloc(v, cap * sizeof(*v))) == NULL) {
				sqlite3_reset(q);
				followup_list_free(v, len);
				return err_set(errp, "out of memory");
			}
			v = tmp;
		}
		followup_from_columns(q, 0, &v[len++]);
	}
	sqlite3_reset(q);
	if (rc == SQLITE_DONE && store_column_lost(errp)) {
		followup_list_free(v, len);
		return -1;
	}
	if (rc != SQLITE_DONE) {
		followup_list_free(v, len);
		return store_err(st, errp, "listing follow-ups");
	}
	*out = v;
	*n = len;
	return 0;
}

int
followup_list(struct store *st, const struct followup_filter *f,
    struct followup **out, size_t *n, char **errp)
{
	sqlite3_stmt *q;

	*out = NULL;
	*n = 0;
	q = store_stmt(st, f->state != NULL ? SQL_LIST_STATE : SQL_LIST_OPEN,
	    errp);
	if (q == NULL)
		return -1;
	store_bind_text(q, 1, f->owner);
	sqlite3_bind_int64(q, 2, f->from);
	/* A plain upper bound (not "?3 = 0 OR ...") keeps the window a range
	 * on the (state, remind_at) index. */
	sqlite3_bind_int64(q, 3, f->to != 0 ? f->to : INT64_MAX);
	sqlite3_bind_int(q, 4, f->limit > 0 ? f->limit : -1);
	if (f->state != NULL)
		store_bind_text(q, 5, f->state);
	return followup_collect(st, q, out, n, errp);
}

int
followup_list_due(struct store *st, time_t now, int max,
    struct followup **out, size_t *n, char **errp)
{
	sqlite3_stmt *q;

	*out = NULL;
	*n = 0;
	if ((q = store_stmt(st, SQL_DUE, errp)) == NULL)
		return -1;
	sqlite3_bind_int64(q, 1, now);
	sqlite3_bind_int(q, 2, max);
	return followup_collect(st, q, out, n, errp);
}

int
followup_next_remind(struct store *st, int64_t *at, int *found, char **errp)
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
		return store_err(st, errp, "finding next follow-up");
	return 0;
}

int
followup_mark_notified(struct store *st, const int64_t *ids, size_t n,
    time_t now, char **errp)
{
	return store_exec_ids(st, SQL_NOTIFIED, now, ids, n, errp);
}

int
followup_mark_folded(struct store *st, int64_t id, const char *occurrence,
    time_t now, char **errp)
{
	sqlite3_stmt *q;

	if ((q = store_stmt(st, SQL_FOLDED, errp)) == NULL)
		return -1;
	sqlite3_bind_int64(q, 1, id);
	sqlite3_bind_int64(q, 2, now);
	store_bind_text(q, 3, occurrence);
	return store_exec_stmt(st, q, errp);
}

int
followup_count_rule_account(struct store *st, const char *rule,
    int64_t account_id, time_t since, int64_t *n, char **errp)
{
	sqlite3_stmt *q;
	int rc;

	if ((q = store_stmt(st, SQL_COUNT_RULE_ACCOUNT, errp)) == NULL)
		return -1;
	store_bind_text(q, 1, rule);
	sqlite3_bind_int64(q, 2, account_id);
	sqlite3_bind_int64(q, 3, since);
	rc = sqlite3_step(q);
	*n = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
	sqlite3_reset(q);
	if (rc != SQLITE_ROW)
		return store_err(st, errp, "counting follow-ups of a rule");
	return 0;
}

int
followup_cancel_deal_rule(struct store *st, int64_t deal_id, const char *rule,
    time_t now, char **errp)
{
	sqlite3_stmt *q;

	if ((q = store_stmt(st, SQL_CANCEL_DEAL_RULE, errp)) == NULL)
		return -1;
	sqlite3_bind_int64(q, 1, deal_id);
	store_bind_text(q, 2, rule);
	sqlite3_bind_int64(q, 3, now);
	return store_exec_stmt(st, q, errp);
}

int
followup_count_pending(struct store *st, int64_t *n, char **errp)
{
	sqlite3_stmt *q;
	int rc;

	if ((q = store_stmt(st, SQL_COUNT_PENDING, errp)) == NULL)
		return -1;
	rc = sqlite3_step(q);
	*n = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
	sqlite3_reset(q);
	if (rc != SQLITE_ROW)
		return store_err(st, errp, "counting follow-ups");
	return 0;
}

void
followup_clear(struct followup *f)
{
	if (f == NULL)
		return;
	free(f->owner);
	free(f->text);
	free(f->account);
	free(f->state);
	free(f->rule);
	free(f->occurrence);
	free(f->note);
	memset(f, 0, sizeof(*f));
}

void
followup_list_free(struct followup *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		followup_clear(&v[i]);
	free(v);
}

int
followup_json_fill(json_t *o, const struct followup *f, const char *zone)
{
	int rc;

	/* Key by key, not json_pack(): parsing its format for every
	 * reminder a daemon sends cost more than the object itself.  As
	 * json_pack() did, a required field that cannot be set fails the
	 * whole object.  One statement each: the keys keep this order in
	 * the text.  Every key is set each time (null when absent), so an
	 * object filled before keeps nothing of its last record. */
	rc = jsonout_set_int(o, "id", f->id);
	rc |= jsonout_set_text(o, "owner", f->owner);
	rc |= jsonout_set_text(o, "text", f->text);
	rc |= jsonout_set_text(o, "state", f->state);
	rc |= jsonout_set_int(o, "snoozes", f->snoozes);
	jsonout_set_str(o, "account", f->account);
	jsonout_set_id(o, "deal", f->deal_id);
	jsonout_set_id(o, "promise", f->promise_id);
	jsonout_set_str(o, "rule", f->rule);
	jsonout_set_str(o, "note", f->note);
	jsonout_set_id(o, "folded_into", f->folded_into);
	jsonout_set_time(o, "due_at", f->due_at, zone);
	jsonout_set_time(o, "remind_at", f->remind_at, zone);
	jsonout_set_time(o, "done_at", f->done_at, zone);
	jsonout_set_time(o, "created_at", f->created_at, zone);
	return rc != 0 ? -1 : 0;
}

json_t *
followup_json(const struct followup *f, const char *zone)
{
	json_t *o;

	if ((o = json_object()) == NULL)
		return NULL;
	if (followup_json_fill(o, f, zone) != 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}
