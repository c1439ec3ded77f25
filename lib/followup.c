#include "followup.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "event.h"
#include "event_pack.h"
#include "jsonout.h"
#include "store.h"
#include "store_value.h"

#define FOLLOWUP_FROM "FROM followups f " FOLLOWUP_JOIN_ACCOUNT

static const char SQL_INSERT[] =
    "INSERT INTO followups (owner, text, account_id, deal_id, promise_id, "
    "due_at, remind_at, rule, occurrence, created_at, updated_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10) "
    "ON CONFLICT (occurrence) DO NOTHING";
static const char SQL_SET_TEXT[] =
    "UPDATE followups SET text = ?2 WHERE id = ?1";
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
/* The items of a folded message, through followups_folded (0010). */
static const char SQL_FOLDED_ITEMS[] =
    "SELECT " FOLLOWUP_COLUMNS FOLLOWUP_FROM
    "WHERE f.folded_into = ?1 ORDER BY f.id LIMIT ?2";
static const char SQL_ALL[] =
    "SELECT " FOLLOWUP_COLUMNS FOLLOWUP_FROM "ORDER BY f.id";
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

STORE_DEF_ROW_TYPE(followup_rows, FOLLOWUP_DEF, struct followup,
    "follow-up", "listing follow-ups");
STORE_DEF_CLEAR_FREE(followup_rows, struct followup, followup_clear,
    followup_list_free)

int
followup_from_columns(sqlite3_stmt *q, int c, struct followup *f)
{
	memset(f, 0, sizeof(*f));
	/* No follow-up on the row (an outer join's NULLs): left zeroed. */
	if (sqlite3_column_int64(q, c) == 0)
		return 0;
	return followup_rows_read(q, c, f);
}

int
followup_create(struct store *st, const struct followup_new *n, time_t now,
    int64_t *id, char **errp)
{
	json_t *data;
	int rc;

	*id = 0;
	if (store_exec(st, SQL_INSERT, STORE_ARGS(STORE_TEXT(n->owner),
	    STORE_TEXT(n->text), STORE_OPT(n->account_id, n->account_id != 0),
	    STORE_OPT(n->deal_id, n->deal_id != 0),
	    STORE_OPT(n->promise_id, n->promise_id != 0), STORE_INT(n->due_at),
	    STORE_INT(n->remind_at), STORE_TEXT(n->rule),
	    STORE_TEXT(n->occurrence), STORE_INT(now)), errp) != 0)
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
followup_set_text(struct store *st, int64_t id, const char *text,
    char **errp)
{
	return store_exec(st, SQL_SET_TEXT, STORE_ARGS(STORE_INT(id),
	    STORE_TEXT(text)), errp);
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
	return store_row_by_id(st, SQL_GET, id, &followup_rows, f, errp);
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
	json_t *data;
	char kind[32];
	int rc;

	if (followup_require_open(st, id, errp) != 0 ||
	    store_exec(st, SQL_FINISH, STORE_ARGS(STORE_INT(id),
	    STORE_TEXT(state), STORE_TEXT(note),
	    STORE_OPT(now, strcmp(state, "done") == 0), STORE_INT(now)),
	    errp) != 0)
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
	if (followup_require_open(st, id, errp) != 0 ||
	    store_exec(st, SQL_SNOOZE, STORE_ARGS(STORE_INT(id),
	    STORE_INT(due_at), STORE_INT(remind_at), STORE_INT(now)),
	    errp) != 0)
		return -1;
	return event_append_packed(st, now, "followup.snoozed", "followup",
	    id, errp, "{s:I}", "due_at", (json_int_t)due_at);
}

int
followup_list(struct store *st, const struct followup_filter *f,
    struct followup **out, size_t *n, char **errp)
{
	/* A plain upper bound (not "?3 = 0 OR ...") keeps the window a range
	 * on the (state, remind_at) index.  SQL_LIST_OPEN has no ?5: the
	 * state, NULL there, binds to nothing. */
	return store_list(st, f->state != NULL ? SQL_LIST_STATE : SQL_LIST_OPEN,
	    STORE_ARGS(STORE_TEXT(f->owner), STORE_INT(f->from),
	    STORE_INT(f->to != 0 ? f->to : INT64_MAX),
	    STORE_INT(f->limit > 0 ? f->limit : -1), STORE_TEXT(f->state)),
	    &followup_rows, out, n, errp);
}

int
followup_list_due(struct store *st, time_t now, int max,
    struct followup **out, size_t *n, char **errp)
{
	return store_list(st, SQL_DUE, STORE_ARGS(STORE_INT(now),
	    STORE_INT(max)), &followup_rows, out, n, errp);
}

int
followup_list_folded(struct store *st, int64_t id, int max,
    struct followup **out, size_t *n, char **errp)
{
	return store_list(st, SQL_FOLDED_ITEMS, STORE_ARGS(STORE_INT(id),
	    STORE_INT(max)), &followup_rows, out, n, errp);
}

int
followup_list_all(struct store *st, struct followup **out, size_t *n,
    char **errp)
{
	return store_list(st, SQL_ALL, NULL, 0, &followup_rows, out, n, errp);
}

int
followup_next_remind(struct store *st, int64_t *at, int *found, char **errp)
{
	return store_int(st, store_stmt(st, SQL_NEXT, errp), at, found,
	    "finding next follow-up", errp);
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
	return store_exec(st, SQL_FOLDED, STORE_ARGS(STORE_INT(id),
	    STORE_INT(now), STORE_TEXT(occurrence)), errp);
}

int
followup_count_rule_account(struct store *st, const char *rule,
    int64_t account_id, time_t since, int64_t *n, char **errp)
{
	return store_value_int(st, SQL_COUNT_RULE_ACCOUNT,
	    STORE_ARGS(STORE_TEXT(rule), STORE_INT(account_id),
	    STORE_INT(since)), n, "counting follow-ups of a rule", errp) < 0 ?
	    -1 : 0;
}

int
followup_cancel_deal_rule(struct store *st, int64_t deal_id, const char *rule,
    time_t now, char **errp)
{
	return store_exec(st, SQL_CANCEL_DEAL_RULE,
	    STORE_ARGS(STORE_INT(deal_id), STORE_TEXT(rule), STORE_INT(now)),
	    errp);
}

int
followup_count_pending(struct store *st, int64_t *n, char **errp)
{
	return store_int(st, store_stmt(st, SQL_COUNT_PENDING, errp), n, NULL,
	    "counting follow-ups", errp);
}

int
followup_json_fill(json_t *o, const struct followup *r, const char *zone)
{
	int rc = 0;

	/* Key by key, not json_pack(): parsing its format for every
	 * reminder a daemon sends cost more than the object itself.  As
	 * json_pack() did, a required field that cannot be set fails the
	 * whole object.  One statement each (lib/followup.def's rows): the
	 * keys keep their order in the text.  Every key is set each time
	 * (null when absent), so an object filled before keeps nothing of
	 * its last record. */
	FOLLOWUP_DEF(JSONOUT_DEF_, JSONOUT_DEF_) /* lib/jsonout.h */
	return rc != 0 ? -1 : 0;
}

json_t *
followup_json(const struct followup *f, const char *zone)
{
	json_t *o;

	if ((o = json_object()) == NULL)
		return NULL;
	return jsonout_made(o, followup_json_fill(o, f, zone) != 0);
}
