#include "promise.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "err.h"
#include "event.h"
#include "event_pack.h"
#include "jsonout.h"
#include "settle.h"
#include "store.h"
#include "store_value.h"

#include "promise.def"

#define PROMISE_SELECT "SELECT " STORE_DEF_SELECT(PROMISE_DEF) \
    "FROM promises p JOIN accounts a ON a.id = p.account_id "

static const char SQL_INSERT[] =
    "INSERT INTO promises (text, owner, account_id, deal_id, promised_to, "
    "made_at, due_at, target_at, created_at, updated_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)";
static const char SQL_GET[] = PROMISE_SELECT "WHERE p.id = ?1";
static const char SQL_CANCEL_REMINDERS[] =
    "UPDATE followups SET state = 'cancelled', updated_at = ?2 "
    "WHERE promise_id = ?1 AND state = 'pending' AND rule IS NOT NULL";
static const char SQL_RENEGOTIATE[] =
    "UPDATE promises SET due_at = ?2, target_at = ?3, "
    "renegotiated = renegotiated + 1, updated_at = ?4 "
    "WHERE id = ?1 AND state = 'open'";
static const char SQL_LIST[] =
    PROMISE_SELECT "WHERE (?1 IS NULL OR p.owner = ?1) "
    "AND (?2 IS NULL OR p.state = ?2) AND (?3 = 0 OR p.due_at < ?4) "
    "ORDER BY p.due_at, p.id LIMIT ?5";
static const char SQL_LIST_OVERDUE[] =
    PROMISE_SELECT "WHERE p.state = 'open' AND p.due_at < ?4 "
    "AND (?1 IS NULL OR p.owner = ?1) AND (?2 IS NULL OR ?2 = 'open') "
    "AND ?3 = 1 ORDER BY p.due_at, p.id LIMIT ?5";
static const char SQL_COUNT_OPEN[] =
    "SELECT count(*) FROM promises WHERE owner = ?1 AND state = 'open' "
    "AND due_at >= ?2 AND due_at < ?3";

time_t
promise_target(const struct timeutil_hours *h,
    const struct promise_slack *slack, time_t made, time_t due)
{
	time_t target, latest, earliest, inside;

	target = due - (time_t)((int64_t)(due - made) * slack->percent / 100);
	latest = timeutil_apply(h, due, &slack->min, -1);
	earliest = timeutil_apply(h, due, &slack->max, -1);
	if (target > latest)
		target = latest;
	if (target < earliest)
		target = earliest;
	if (target < made)
		target = made;
	inside = timeutil_next_working(h, target);
	if (inside < due)
		target = inside;
	return target;
}

STORE_DEF_ROW_TYPE(promise_rows, PROMISE_DEF, struct promise, "promise",
    "listing promises");
STORE_DEF_CLEAR_FREE(promise_rows, struct promise, promise_clear,
    promise_list_free)

static const struct settle_kind promise_settle =
    SETTLE_KIND("promise", "promises", "state", "kept_at");

int
promise_insert(struct store *st, struct promise *p, time_t now, char **errp)
{
	int created;

	if (account_ensure(st, p->account, now, &p->account_id, &created,
	    errp) != 0)
		return -1;
	if (store_exec(st, SQL_INSERT, STORE_ARGS(STORE_TEXT(p->text),
	    STORE_TEXT(p->owner), STORE_INT(p->account_id),
	    STORE_OPT(p->deal_id, p->deal_id != 0), STORE_TEXT(p->promised_to),
	    STORE_INT(p->made_at), STORE_INT(p->due_at),
	    STORE_INT(p->target_at), STORE_INT(now)), errp) != 0)
		return -1;
	p->id = sqlite3_last_insert_rowid(store_db(st));
	p->created_at = p->updated_at = now;
	if (p->state == NULL && (p->state = strdup("open")) == NULL)
		return err_set(errp, "out of memory");
	return event_append_packed(st, now, "promise.created", "promise",
	    p->id, errp, "{s:s, s:I, s:I}", "owner", p->owner, "due_at",
	    (json_int_t)p->due_at, "target_at", (json_int_t)p->target_at);
}

int
promise_get(struct store *st, int64_t id, struct promise *p, char **errp)
{
	return store_row_by_id(st, SQL_GET, id, &promise_rows, p, errp);
}

/* An open promise's reminders go when it is settled or moved. */
static int
promise_cancel_reminders(struct store *st, int64_t id, time_t now,
    char **errp)
{
	return store_exec(st, SQL_CANCEL_REMINDERS, STORE_ARGS(STORE_INT(id),
	    STORE_INT(now)), errp);
}

int
promise_set_state(struct store *st, int64_t id, const char *state, time_t at,
    time_t now, char **errp)
{
	if (settle(st, &promise_settle, id, state, at,
	    strcmp(state, "kept") == 0, now, errp) != 0)
		return -1;
	return promise_cancel_reminders(st, id, now, errp);
}

int
promise_renegotiate(struct store *st, int64_t id, time_t due_at,
    time_t target_at, const char *note, time_t now, char **errp)
{
	struct promise p;
	json_t *data;
	int rc;

	if (promise_get(st, id, &p, errp) != 0)
		return -1;
	rc = -1;
	if (strcmp(p.state, "open") != 0)
		err_set(errp, "promise %lld is already %s", (long long)id,
		    p.state);
	else if (p.due_at <= now)
		/* Moving a date after it has passed is missing it. */
		err_set(errp, "promise %lld was due before now: it can only be "
		    "kept (late) or broken, not renegotiated", (long long)id);
	else if (due_at <= now)
		err_set(errp, "the new due date is in the past");
	else
		rc = 0;
	if (rc != 0) {
		promise_clear(&p);
		return -1;
	}
	/* The old dates' reminders go; the scheduler makes the new ones from
	 * the promise.renegotiated event. */
	if (store_exec(st, SQL_RENEGOTIATE, STORE_ARGS(STORE_INT(id),
	    STORE_INT(due_at), STORE_INT(target_at), STORE_INT(now)),
	    errp) != 0 || promise_cancel_reminders(st, id, now, errp) != 0)
		goto fail;
	/* Not "s:s*": a string it cannot make is left out as a NULL is. */
	if ((data = json_pack("{s:I, s:I, s:I, s:I}", "from_due",
	    (json_int_t)p.due_at, "from_target", (json_int_t)p.target_at,
	    "due", (json_int_t)due_at, "target", (json_int_t)target_at)) ==
	    NULL || (note != NULL && json_object_set_new(data, "note",
	    json_string(note)) != 0)) {
		json_decref(data);
		err_set(errp, "out of memory");
		goto fail;
	}
	rc = event_append(st, now, "promise.renegotiated", "promise", id, data,
	    errp);
	json_decref(data);
	promise_clear(&p);
	return rc;
fail:
	promise_clear(&p);
	return -1;
}

int
promise_describe_gap(const struct timeutil_hours *h, time_t target,
    time_t due, char *buf, size_t len)
{
	struct timeutil_duration bd;
	int64_t ws, mins;
	int n;

	/* Business days when the target sits at the same working time that
	 * many days before: how people plan ("2 business days before"). */
	memset(&bd, 0, sizeof(bd));
	for (n = 1; n <= 30; n++) {
		bd.business_days = n;
		if (timeutil_apply(h, due, &bd, -1) == target)
			return snprintf(buf, len, "%d business day%s", n,
			    n == 1 ? "" : "s") < (int)len ? 0 : -1;
	}
	ws = timeutil_working_seconds(h, target, due);
	/* Under a minute is not "0 working minutes": say what it is, or
	 * nothing when no working time lies between. */
	if (ws <= 0)
		return -1;
	if (ws < 60)
		return snprintf(buf, len, "%lld working second%s",
		    (long long)ws, ws == 1 ? "" : "s") < (int)len ? 0 : -1;
	mins = (ws + 30) / 60;
	if (mins >= 60 && mins % 60 == 0)
		n = snprintf(buf, len, "%lld working hour%s",
		    (long long)(mins / 60), mins == 60 ? "" : "s");
	else if (mins >= 60)
		n = snprintf(buf, len, "%lldh%02lldm of working time",
		    (long long)(mins / 60), (long long)(mins % 60));
	else
		n = snprintf(buf, len, "%lld working minute%s",
		    (long long)mins, mins == 1 ? "" : "s");
	return n >= 0 && (size_t)n < len ? 0 : -1;
}

int
promise_list(struct store *st, const struct promise_filter *f,
    struct promise **out, size_t *n, char **errp)
{
	/* The state "overdue" (a front end's choice of open, overdue,
	 * kept) is the overdue filter: open, which that statement says. */
	int by_state = f->state != NULL && strcmp(f->state, "overdue") == 0;
	int overdue = f->overdue || by_state;

	/* Overdue has its own statement so it can use the (state, due_at)
	 * index with a constant state. */
	return store_list(st, overdue ? SQL_LIST_OVERDUE : SQL_LIST,
	    STORE_ARGS(STORE_TEXT(f->owner), STORE_TEXT(by_state ? NULL :
	    f->state), STORE_INT(overdue), STORE_INT(f->now),
	    STORE_INT(f->limit > 0 ? f->limit : -1)), &promise_rows, out, n,
	    errp);
}

int
promise_count_open(struct store *st, const char *owner, time_t from,
    time_t to, int64_t *count, char **errp)
{
	return store_value_int(st, SQL_COUNT_OPEN,
	    STORE_ARGS(STORE_TEXT(owner), STORE_INT(from), STORE_INT(to)),
	    count, "counting promises", errp) < 0 ? -1 : 0;
}

enum promise_kept
promise_kept_how(const struct promise *p)
{
	if (p->kept_at <= p->target_at)
		return PROMISE_KEPT_EARLY;
	return p->kept_at <= p->due_at ? PROMISE_KEPT_ON_TIME :
	    PROMISE_KEPT_LATE;
}

json_t *
promise_json(const struct promise *r, const char *zone)
{
	json_t *o;
	int rc = 0;

	if ((o = json_object()) == NULL)
		return NULL;
	PROMISE_DEF(JSONOUT_DEF_, JSONOUT_DEF_) /* lib/jsonout.h */
	return jsonout_made(o, rc != 0);
}
