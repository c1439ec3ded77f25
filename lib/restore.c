#include "restore.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "deal.h"
#include "deal_external.h"
#include "err.h"
#include "person.h"
#include "store.h"
#include "store_value.h"
#include "text.h"
#include "timeutil.h"
#include "token.h"

static const char SQL_COUNT_ALL[] =
    "SELECT (SELECT count(*) FROM accounts) + (SELECT count(*) FROM deals) "
    "+ (SELECT count(*) FROM promises) + (SELECT count(*) FROM followups) "
    "+ (SELECT count(*) FROM events) + (SELECT count(*) FROM deliveries) "
    "+ (SELECT count(*) FROM api_tokens)";
static const char *const SQL_COUNT_KIND[ARCHIVE_NKINDS] = {
	[ARCHIVE_ACCOUNTS] = "SELECT count(*) FROM accounts",
	[ARCHIVE_DEALS] = "SELECT count(*) FROM deals",
	[ARCHIVE_PROMISES] = "SELECT count(*) FROM promises",
	[ARCHIVE_FOLLOWUPS] = "SELECT count(*) FROM followups",
	[ARCHIVE_TOKENS] = "SELECT count(*) FROM api_tokens",
};
/* A follow-up's folded_into names a later one: checked at commit. */
static const char SQL_DEFER_FK[] = "PRAGMA defer_foreign_keys = ON";
static const char SQL_ACCOUNT_ID[] =
    "SELECT id FROM accounts WHERE name = ?1";
/* How many rows of table have col = ?1: whether an id or name is taken. */
#define SQL_HAVE(table, col) \
    "SELECT count(*) FROM " table " WHERE " col " = ?1"
static const char SQL_ACCOUNT[] =
    "INSERT INTO accounts (id, name, created_at, paused_at, paused_until) "
    "VALUES (?1, ?2, ?3, ?4, ?5)";
static const char SQL_CONTACT[] =
    "INSERT INTO contacts (id, account_id, at, owner, with_person, note, "
    "source, source_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
    "?9)";
static const char SQL_DEAL[] =
    "INSERT INTO deals (id, title, account_id, owner, stage, value_minor, "
    "currency, closes_at, closed_at, created_at, updated_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
static const char SQL_PROMISE[] =
    "INSERT INTO promises (id, text, owner, account_id, deal_id, "
    "promised_to, made_at, due_at, target_at, state, kept_at, "
    "renegotiated, created_at, updated_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";
static const char SQL_FOLLOWUP[] =
    "INSERT INTO followups (id, owner, text, account_id, deal_id, "
    "promise_id, due_at, remind_at, state, rule, occurrence, snoozes, "
    "note, done_at, created_at, updated_at, folded_into) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
    "?15, ?16, ?17)";
static const char SQL_TOKEN[] =
    "INSERT INTO api_tokens (id, name, scope, hash, created_at, "
    "last_used_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char SQL_EVENT[] =
    "INSERT INTO events (id, at, kind, subject_type, subject_id, actor, "
    "data) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char SQL_DELIVERY[] =
    "INSERT INTO deliveries (id, followup_id, channel, round, delivery_id, "
    "state, attempts, next_attempt_at, last_error, delivered_at, "
    "created_at, updated_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
static const char SQL_CURSOR[] =
    "UPDATE daemon SET event_cursor = max(event_cursor, ?1)";
static const char SQL_DATABASE_ID[] =
    "UPDATE daemon SET database_id = ?1 WHERE id = 1";

/* Event data is stored as event_append() writes it. */
#define RESTORE_JSON_FLAGS (JSON_COMPACT | JSON_SORT_KEYS)

static const char *const deal_stages[] = { "open", "won", "lost", NULL };
static const char *const promise_states[] = { "open", "kept", "broken",
	"cancelled", NULL };
static const char *const followup_states[] = { "pending", "notified",
	"done", "cancelled", NULL };
static const char *const delivery_states[] = { "queued", "sending",
	"delivered", "retry", "dead", "dismissed", NULL };

static int
rs_bad(struct restore *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
rs_bad(struct restore *r, const char *fmt, ...)
{
	va_list ap;
	char *msg = NULL;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (n < 0)
		return err_set(r->errp, "out of memory");
	err_set(r->errp, "%s: %s", r->where, msg);
	free(msg);
	return -1;
}

/* rs_bad() with a message of the model's, which it frees. */
static int
rs_err(struct restore *r, char *err)
{
	rs_bad(r, "%s", err);
	free(err);
	return -1;
}

/* rec[key] as text; NULL when it is null or missing, which only an
 * optional key may be. */
static int
rs_text(struct restore *r, const json_t *rec, const char *key, int required,
    const char **out)
{
	const json_t *v = json_object_get(rec, key);

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return required ? rs_bad(r, "%s is missing", key) : 0;
	if (!json_is_string(v) || json_string_length(v) == 0)
		return rs_bad(r, "%s must be a non-empty string", key);
	*out = json_string_value(v);
	return 0;
}

/* rec[key] as an integer >= min; 0 when null or missing (optional). */
static int
rs_int(struct restore *r, const json_t *rec, const char *key, int required,
    int64_t min, int64_t *out)
{
	const json_t *v = json_object_get(rec, key);

	*out = 0;
	if (v == NULL || json_is_null(v))
		return required ? rs_bad(r, "%s is missing", key) : 0;
	if (!json_is_integer(v) || json_integer_value(v) < min)
		return rs_bad(r, "%s must be a whole number of at least %lld",
		    key, (long long)min);
	*out = json_integer_value(v);
	return 0;
}

/* rec[key], an ISO 8601 time with its offset; 0 when null or missing. */
static int
rs_time(struct restore *r, const json_t *rec, const char *key, int required,
    int64_t *out)
{
	const char *s;
	char *err = NULL;
	time_t t;

	*out = 0;
	if (rs_text(r, rec, key, required, &s) != 0)
		return -1;
	if (s == NULL)
		return 0;
	if (timeutil_parse_when(s, r->now, "UTC", 0, NULL, &t, &err) != 0) {
		rs_bad(r, "%s: %s", key, err);
		free(err);
		return -1;
	}
	*out = t;
	return 0;
}

/* rec[key], one of allowed. */
static int
rs_state(struct restore *r, const json_t *rec, const char *key,
    const char *const *allowed, const char **out)
{
	size_t i;

	if (rs_text(r, rec, key, 1, out) != 0)
		return -1;
	for (i = 0; allowed[i] != NULL; i++)
		if (strcmp(*out, allowed[i]) == 0)
			return 0;
	return rs_bad(r, "%s '%s' is not one of %s, %s, %s%s%s", key, *out,
	    allowed[0], allowed[1], allowed[2], allowed[3] != NULL ? ", " : "",
	    allowed[3] != NULL ? allowed[3] : "");
}

static int
rs_owner(struct restore *r, const json_t *rec, const char **owner)
{
	char *err = NULL;

	if (rs_text(r, rec, "owner", 1, owner) != 0)
		return -1;
	if (person_find(r->cfg, *owner, &err) == NULL)
		return rs_err(r, err);
	return 0;
}

/* The id of the account called rec["account"] (0 for none when
 * optional), which an earlier record of the export made. */
static int
rs_account(struct restore *r, const json_t *rec, int required, int64_t *id)
{
	const char *name;
	int found;

	*id = 0;
	if (rs_text(r, rec, "account", required, &name) != 0)
		return -1;
	if (name == NULL)
		return 0;
	if ((found = store_value_int(r->st, SQL_ACCOUNT_ID,
	    STORE_ARGS(STORE_TEXT(name)), id, "reading accounts",
	    r->errp)) < 0)
		return -1;
	if (!found)
		return rs_bad(r, "account '%s' is not in the database (an "
		    "export's accounts are imported first: accounts.csv "
		    "before the other kinds)", name);
	return 0;
}

/* rec[key], the id of a row sql finds (0 for none). */
static int
rs_ref(struct restore *r, const json_t *rec, const char *key,
    const char *sql, int64_t *id)
{
	int64_t n;

	if (rs_int(r, rec, key, 0, 1, id) != 0)
		return -1;
	if (*id == 0)
		return 0;
	if (store_value_int(r->st, sql, STORE_ARGS(STORE_INT(*id)), &n,
	    "reading references", r->errp) < 0)
		return -1;
	if (n == 0)
		return rs_bad(r, "%s %lld is not in the database (deals come "
		    "before promises, both before follow-ups)", key,
		    (long long)*id);
	return 0;
}

/* The count sql finds for the text a. */
static int
rs_count(struct restore *r, const char *sql, const char *a, int64_t *n)
{
	return store_value_int(r->st, sql, STORE_ARGS(STORE_TEXT(a)), n,
	    "reading the database", r->errp) < 0 ? -1 : 0;
}

/* Event data as event_append() writes it: an object as compact JSON with
 * sorted keys, text as it is. */
static int
rs_event_data(struct restore *r, const json_t *ev, char **text)
{
	const json_t *d = json_object_get(ev, "data");

	*text = NULL;
	if (d == NULL || json_is_null(d))
		return 0;
	if (json_is_string(d))
		*text = strdup(json_string_value(d));
	else if (json_is_object(d))
		*text = json_dumps(d, RESTORE_JSON_FLAGS);
	else
		return rs_bad(r, "an event's data must be an object");
	return *text != NULL ? 0 : err_set(r->errp, "out of memory");
}

/* One event of the history of the record (subject, id). */
static int
rs_event(struct restore *r, const char *subject, int64_t id,
    const json_t *ev)
{
	const char *kind, *actor;
	const json_t *unread = json_object_get(ev, "unread");
	int64_t eid, at, n;
	char *data;
	int rc;

	if (!json_is_object(ev))
		return rs_bad(r, "history holds something not an event");
	if (rs_int(r, ev, "id", 1, 1, &eid) != 0 ||
	    rs_time(r, ev, "at", 1, &at) != 0 ||
	    rs_text(r, ev, "kind", 1, &kind) != 0 ||
	    rs_text(r, ev, "actor", 0, &actor) != 0)
		return -1;
	if (store_value_int(r->st, SQL_HAVE("events", "id"),
	    STORE_ARGS(STORE_INT(eid)), &n, "reading events", r->errp) < 0)
		return -1;
	if (n != 0)
		return rs_bad(r, "event %lld is in the database already (an "
		    "export is imported once, into a new database)",
		    (long long)eid);
	if (rs_event_data(r, ev, &data) != 0)
		return -1;
	rc = store_exec(r->st, SQL_EVENT, STORE_ARGS(STORE_INT(eid),
	    STORE_INT(at), STORE_TEXT(kind), STORE_TEXT(subject),
	    STORE_INT(id), STORE_TEXT(actor), STORE_TEXT(data)), r->errp);
	free(data);
	if (rc != 0)
		return -1;
	/* Events nudged had read are read; one it had not is left for it,
	 * so the rules it would have run still run. */
	if (!json_is_true(unread) && eid > r->cursor)
		r->cursor = eid;
	r->counts->events++;
	return 0;
}

static int
rs_history(struct restore *r, const char *subject, int64_t id,
    const json_t *rec)
{
	const json_t *h = json_object_get(rec, "history"), *ev;
	size_t i;

	if (h == NULL || json_is_null(h))
		return 0;
	if (!json_is_array(h))
		return rs_bad(r, "history must be a list of events");
	json_array_foreach(h, i, ev)
		if (rs_event(r, subject, id, ev) != 0)
			return -1;
	return 0;
}

/* One element of a record's list (its touches, its deliveries...),
 * restored as the record id's. */
typedef int rs_item_fn(struct restore *r, int64_t id, const json_t *item);

/* rec[key], each element through one(); none (absent or null) in an
 * export made before the list was. */
static int
rs_list(struct restore *r, const json_t *rec, const char *key, int64_t id,
    rs_item_fn *one)
{
	const json_t *list = json_object_get(rec, key), *item;
	size_t i;

	if (list == NULL || json_is_null(list))
		return 0;
	if (!json_is_array(list))
		return rs_bad(r, "%s must be a list", key);
	json_array_foreach(list, i, item)
		if (one(r, id, item) != 0)
			return -1;
	return 0;
}

static int
rs_delivery(struct restore *r, int64_t followup, const json_t *d)
{
	const char *channel, *delivery_id, *state, *error;
	int64_t id, round, attempts, next, delivered, created, updated;

	if (!json_is_object(d))
		return rs_bad(r, "deliveries holds something not a delivery");
	if (rs_int(r, d, "id", 1, 1, &id) != 0 ||
	    rs_text(r, d, "channel", 1, &channel) != 0 ||
	    rs_int(r, d, "round", 1, 0, &round) != 0 ||
	    rs_text(r, d, "delivery_id", 1, &delivery_id) != 0 ||
	    rs_state(r, d, "state", delivery_states, &state) != 0 ||
	    rs_int(r, d, "attempts", 1, 0, &attempts) != 0 ||
	    rs_time(r, d, "next_attempt", 0, &next) != 0 ||
	    rs_text(r, d, "last_error", 0, &error) != 0 ||
	    rs_time(r, d, "delivered_at", 0, &delivered) != 0 ||
	    rs_time(r, d, "created", 1, &created) != 0 ||
	    rs_time(r, d, "updated", 1, &updated) != 0)
		return -1;
	if (store_exec(r->st, SQL_DELIVERY, STORE_ARGS(STORE_INT(id),
	    STORE_INT(followup), STORE_TEXT(channel), STORE_INT(round),
	    STORE_TEXT(delivery_id), STORE_TEXT(state), STORE_INT(attempts),
	    STORE_INT(next), STORE_TEXT(error),
	    STORE_OPT(delivered, delivered != 0), STORE_INT(created),
	    STORE_INT(updated)), r->errp) != 0)
		return err_prefix(r->errp, "%s", r->where);
	r->counts->deliveries++;
	return rs_history(r, "delivery", id, d);
}

/* One touch of the account. */
static int
rs_contact(struct restore *r, int64_t account, const json_t *c)
{
	static const char *const sources[] = { "contact", "followup",
		"promise", "deal", NULL };
	const char *owner, *with, *note, *source;
	int64_t id, at, source_id, created;

	if (!json_is_object(c))
		return rs_bad(r, "contacts: each is an object");
	if (rs_int(r, c, "id", 1, 1, &id) != 0 ||
	    rs_time(r, c, "at", 1, &at) != 0 ||
	    rs_text(r, c, "owner", 1, &owner) != 0 ||
	    rs_text(r, c, "with", 0, &with) != 0 ||
	    rs_text(r, c, "note", 0, &note) != 0 ||
	    rs_state(r, c, "source", sources, &source) != 0 ||
	    rs_int(r, c, "source_id", 0, 1, &source_id) != 0 ||
	    rs_time(r, c, "created", 1, &created) != 0)
		return -1;
	if (store_exec(r->st, SQL_CONTACT, STORE_ARGS(STORE_INT(id),
	    STORE_INT(account), STORE_INT(at), STORE_TEXT(owner),
	    STORE_TEXT(with), STORE_TEXT(note), STORE_TEXT(source),
	    STORE_OPT(source_id, source_id != 0), STORE_INT(created)),
	    r->errp) != 0)
		return err_prefix(r->errp, "%s", r->where);
	return 0;
}

static int
rs_account_rec(struct restore *r, const json_t *rec, int64_t *id)
{
	const char *name;
	int64_t created, paused_at, paused_until;

	if (rs_int(r, rec, "id", 1, 1, id) != 0 ||
	    rs_text(r, rec, "name", 1, &name) != 0 ||
	    rs_time(r, rec, "created", 1, &created) != 0 ||
	    rs_time(r, rec, "paused_at", 0, &paused_at) != 0 ||
	    rs_time(r, rec, "paused_until", 0, &paused_until) != 0)
		return -1;
	if (store_exec(r->st, SQL_ACCOUNT, STORE_ARGS(STORE_INT(*id),
	    STORE_TEXT(name), STORE_INT(created), STORE_OPT(paused_at,
	    paused_at != 0), STORE_OPT(paused_until, paused_until != 0)),
	    r->errp) != 0)
		return err_prefix(r->errp, "%s", r->where);
	if (rs_list(r, rec, "contacts", *id, rs_contact) != 0)
		return -1;
	r->counts->accounts++;
	return 0;
}

/* One of a deal's ids elsewhere: a (source, external_id) names one deal,
 * so the same "won" sent again after the restore is still that deal. */
static int
rs_external_id(struct restore *r, int64_t deal, const json_t *e)
{
	const char *source, *ext;
	char *err = NULL;
	int64_t other;
	int found;

	if (!json_is_object(e))
		return rs_bad(r, "external_ids: each is an object");
	if (rs_text(r, e, "source", 1, &source) != 0 ||
	    rs_text(r, e, "external_id", 1, &ext) != 0)
		return -1;
	if (text_check(source, NAME_MAX_BYTES, "source", &err) != 0 ||
	    text_check(ext, NAME_MAX_BYTES, "external_id", &err) != 0)
		return rs_err(r, err);
	if ((found = deal_external_find(r->st, source, ext, &other,
	    r->errp)) < 0)
		return -1;
	if (found)
		return rs_bad(r, "external id '%s' of source '%s' is deal "
		    "%lld's already (one deal per source and external id)",
		    ext, source, (long long)other);
	if (deal_external_add(r->st, source, ext, deal, r->errp) != 0)
		return err_prefix(r->errp, "%s", r->where);
	return 0;
}

static int
rs_deal(struct restore *r, const json_t *rec, int64_t *id)
{
	const char *title, *owner, *value, *currency, *stage;
	int64_t account, closes, closed, created, updated, minor = 0;
	char *err = NULL;

	if (rs_int(r, rec, "id", 1, 1, id) != 0 ||
	    rs_text(r, rec, "title", 1, &title) != 0 ||
	    rs_account(r, rec, 1, &account) != 0 ||
	    rs_owner(r, rec, &owner) != 0 ||
	    rs_text(r, rec, "value", 0, &value) != 0 ||
	    rs_text(r, rec, "currency", 0, &currency) != 0 ||
	    rs_time(r, rec, "closes", 0, &closes) != 0 ||
	    rs_time(r, rec, "closed_at", 0, &closed) != 0 ||
	    rs_state(r, rec, "stage", deal_stages, &stage) != 0 ||
	    rs_time(r, rec, "created", 1, &created) != 0 ||
	    rs_time(r, rec, "updated", 1, &updated) != 0)
		return -1;
	if (value != NULL && deal_parse_value(value, &minor, &err) != 0)
		return rs_err(r, err);
	if (store_exec(r->st, SQL_DEAL, STORE_ARGS(STORE_INT(*id),
	    STORE_TEXT(title), STORE_INT(account), STORE_TEXT(owner),
	    STORE_TEXT(stage), STORE_OPT(minor, value != NULL),
	    STORE_TEXT(currency), STORE_OPT(closes, closes != 0),
	    STORE_OPT(closed, closed != 0), STORE_INT(created),
	    STORE_INT(updated)), r->errp) != 0)
		return err_prefix(r->errp, "%s", r->where);
	r->counts->deals++;
	return rs_list(r, rec, "external_ids", *id, rs_external_id);
}

static int
rs_promise(struct restore *r, const json_t *rec, int64_t *id)
{
	const char *owner, *text, *to, *state;
	int64_t account, deal, made, due, target, kept, reneg, created,
	    updated;

	if (rs_int(r, rec, "id", 1, 1, id) != 0 ||
	    rs_owner(r, rec, &owner) != 0 ||
	    rs_account(r, rec, 1, &account) != 0 ||
	    rs_text(r, rec, "text", 1, &text) != 0 ||
	    rs_time(r, rec, "due", 1, &due) != 0 ||
	    rs_text(r, rec, "to", 0, &to) != 0 ||
	    rs_ref(r, rec, "deal", SQL_HAVE("deals", "id"), &deal) != 0 ||
	    rs_time(r, rec, "made", 1, &made) != 0 ||
	    rs_time(r, rec, "target", 1, &target) != 0 ||
	    rs_state(r, rec, "state", promise_states, &state) != 0 ||
	    rs_time(r, rec, "kept_at", 0, &kept) != 0 ||
	    rs_int(r, rec, "renegotiated", 1, 0, &reneg) != 0 ||
	    rs_time(r, rec, "created", 1, &created) != 0 ||
	    rs_time(r, rec, "updated", 1, &updated) != 0)
		return -1;
	if (store_exec(r->st, SQL_PROMISE, STORE_ARGS(STORE_INT(*id),
	    STORE_TEXT(text), STORE_TEXT(owner), STORE_INT(account),
	    STORE_OPT(deal, deal != 0), STORE_TEXT(to), STORE_INT(made),
	    STORE_INT(due), STORE_INT(target), STORE_TEXT(state),
	    STORE_OPT(kept, kept != 0), STORE_INT(reneg), STORE_INT(created),
	    STORE_INT(updated)), r->errp) != 0)
		return err_prefix(r->errp, "%s", r->where);
	r->counts->promises++;
	return 0;
}

/* The columns of a follow-up, read before it is written. */
struct rs_followup {
	const char *owner, *text, *state, *rule, *occurrence, *note;
	int64_t account, deal, promise, due, remind, snoozes, done;
	int64_t created, updated, folded;
};

static int
rs_followup(struct restore *r, const json_t *rec, int64_t *id)
{
	struct rs_followup f;

	if (rs_int(r, rec, "id", 1, 1, id) != 0 ||
	    rs_owner(r, rec, &f.owner) != 0 ||
	    rs_account(r, rec, 0, &f.account) != 0 ||
	    rs_text(r, rec, "text", 1, &f.text) != 0 ||
	    rs_time(r, rec, "at", 1, &f.due) != 0 ||
	    rs_time(r, rec, "remind_at", 1, &f.remind) != 0 ||
	    rs_state(r, rec, "state", followup_states, &f.state) != 0 ||
	    rs_ref(r, rec, "deal", SQL_HAVE("deals", "id"), &f.deal) != 0 ||
	    rs_ref(r, rec, "promise", SQL_HAVE("promises", "id"),
	    &f.promise) != 0 ||
	    rs_text(r, rec, "rule", 0, &f.rule) != 0 ||
	    rs_text(r, rec, "occurrence", 0, &f.occurrence) != 0 ||
	    rs_int(r, rec, "snoozes", 1, 0, &f.snoozes) != 0 ||
	    rs_text(r, rec, "note", 0, &f.note) != 0 ||
	    rs_time(r, rec, "done_at", 0, &f.done) != 0 ||
	    rs_time(r, rec, "created", 1, &f.created) != 0 ||
	    rs_time(r, rec, "updated", 1, &f.updated) != 0 ||
	    rs_int(r, rec, "folded_into", 0, 1, &f.folded) != 0)
		return -1;
	if (store_exec(r->st, SQL_FOLLOWUP, STORE_ARGS(STORE_INT(*id),
	    STORE_TEXT(f.owner), STORE_TEXT(f.text),
	    STORE_OPT(f.account, f.account != 0),
	    STORE_OPT(f.deal, f.deal != 0),
	    STORE_OPT(f.promise, f.promise != 0), STORE_INT(f.due),
	    STORE_INT(f.remind), STORE_TEXT(f.state), STORE_TEXT(f.rule),
	    STORE_TEXT(f.occurrence), STORE_INT(f.snoozes),
	    STORE_TEXT(f.note), STORE_OPT(f.done, f.done != 0),
	    STORE_INT(f.created), STORE_INT(f.updated),
	    STORE_OPT(f.folded, f.folded != 0)), r->errp) != 0)
		return err_prefix(r->errp, "%s", r->where);
	r->counts->followups++;
	return rs_list(r, rec, "deliveries", *id, rs_delivery);
}

/* The token's hash as SHA-256 writes it: what the API compares a
 * bearer token's hash with, so any other spelling would lock it out. */
static int
rs_hash(struct restore *r, const json_t *rec, const char **hash)
{
	if (rs_text(r, rec, "hash", 1, hash) != 0)
		return -1;
	if (strlen(*hash) != TOKEN_HASH_LEN ||
	    strspn(*hash, "0123456789abcdef") != TOKEN_HASH_LEN)
		return rs_bad(r, "hash must be %d lower-case hex digits (the "
		    "token's SHA-256, as nudge export writes it)",
		    TOKEN_HASH_LEN);
	return 0;
}

static int
rs_token(struct restore *r, const json_t *rec, int64_t *id)
{
	const char *name, *scope, *hash;
	int64_t created, used, n;
	char *err = NULL;

	if (rs_int(r, rec, "id", 1, 1, id) != 0 ||
	    rs_text(r, rec, "name", 1, &name) != 0)
		return -1;
	if (token_name_check(name, &err) != 0)
		return rs_err(r, err);
	if (rs_text(r, rec, "scope", 1, &scope) != 0)
		return -1;
	if (!token_scope_ok(scope))
		return rs_bad(r, "scope '%s' is not one of read, write", scope);
	if (rs_hash(r, rec, &hash) != 0 ||
	    rs_time(r, rec, "created", 1, &created) != 0 ||
	    rs_time(r, rec, "last_used", 0, &used) != 0)
		return -1;
	if (rs_count(r, SQL_HAVE("api_tokens", "name"), name, &n) != 0)
		return -1;
	if (n != 0)
		return rs_bad(r, "a token named '%s' is there already", name);
	if (rs_count(r, SQL_HAVE("api_tokens", "hash"), hash, &n) != 0)
		return -1;
	if (n != 0)
		return rs_bad(r, "token '%s' has the hash of another token",
		    name);
	if (store_exec(r->st, SQL_TOKEN, STORE_ARGS(STORE_INT(*id),
	    STORE_TEXT(name), STORE_TEXT(scope), STORE_TEXT(hash),
	    STORE_INT(created), STORE_OPT(used, used != 0)), r->errp) != 0)
		return err_prefix(r->errp, "%s", r->where);
	r->counts->tokens++;
	return 0;
}

int
restore_record(struct restore *r, enum archive_kind k, const json_t *rec)
{
	static int (*const write[ARCHIVE_NKINDS])(struct restore *,
	    const json_t *, int64_t *) = {
		[ARCHIVE_ACCOUNTS] = rs_account_rec,
		[ARCHIVE_DEALS] = rs_deal,
		[ARCHIVE_PROMISES] = rs_promise,
		[ARCHIVE_FOLLOWUPS] = rs_followup,
		[ARCHIVE_TOKENS] = rs_token,
	};
	int64_t id;

	if (!json_is_object(rec))
		return rs_bad(r, "not a record (an object)");
	if (write[k](r, rec, &id) != 0)
		return -1;
	if (archive_subject(k) == NULL)
		return 0;
	return rs_history(r, archive_subject(k), id, rec);
}

int
restore_start(struct restore *r, unsigned kinds, int whole,
    const char *name)
{
	int64_t n = 0, c;
	int k;

	r->cursor = 0;
	if (whole && store_value_int(r->st, SQL_COUNT_ALL, NULL, 0, &n,
	    "counting records", r->errp) < 0)
		return -1;
	for (k = 0; !whole && k < ARCHIVE_NKINDS; k++) {
		if ((kinds & ARCHIVE_KIND(k)) == 0)
			continue;
		if (store_value_int(r->st, SQL_COUNT_KIND[k], NULL, 0, &c,
		    "counting records", r->errp) < 0)
			return -1;
		n += c;
	}
	if (n != 0)
		return err_set(r->errp, "%s is an export (ids, states, "
		    "history): it restores a database and goes only into one "
		    "without %s, and %s holds %lld rows; import it into a new "
		    "database (nudge -d NEW.db import ...), or add records "
		    "without ids with import --deals/--promises/--followups",
		    name, whole ? "any records" : "records of its kind",
		    store_path(r->st), (long long)n);
	return store_exec(r->st, SQL_DEFER_FK, NULL, 0, r->errp);
}

int
restore_database_id(struct restore *r, const json_t *id, const char *name)
{
	const char *s = json_string_value(id);

	if (s == NULL || strlen(s) != ARCHIVE_DATABASE_ID_LEN ||
	    strspn(s, "0123456789abcdef") != ARCHIVE_DATABASE_ID_LEN)
		return err_set(r->errp, "%s: %s must be %d lower-case hex "
		    "digits (what nudge export writes)", name,
		    ARCHIVE_DATABASE_ID, ARCHIVE_DATABASE_ID_LEN);
	memcpy(r->database_id, s, ARCHIVE_DATABASE_ID_LEN + 1);
	return 0;
}

int
restore_end(struct restore *r)
{
	if (store_exec(r->st, SQL_CURSOR, STORE_ARGS(STORE_INT(r->cursor)),
	    r->errp) != 0)
		return -1;
	if (r->database_id[0] == '\0')
		return 0;
	return store_exec(r->st, SQL_DATABASE_ID,
	    STORE_ARGS(STORE_TEXT(r->database_id)), r->errp);
}
