#include "export.h"

#include <csv.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "archive.def"
#include "config.h"
#include "deal.h"
#include "deal_external.h"
#include "err.h"
#include "event.h"
#include "export.def"
#include "followup.h"
#include "jsonout.h"
#include "person.h"
#include "promise.h"
#include "runstate.h"
#include "store.h"

static const char SQL_ACCOUNTS[] =
    "SELECT " STORE_DEF_SELECT(EXP_ACCOUNT_DEF) "FROM accounts ORDER BY id";
/* An account's touches (contacts_account_at finds them). */
static const char SQL_CONTACTS[] =
    "SELECT id, at, owner, with_person, note, source, source_id, "
    "created_at FROM contacts WHERE account_id = ?1 ORDER BY id";
static const char SQL_TOKENS[] =
    "SELECT " STORE_DEF_SELECT(EXP_TOKEN_DEF) "FROM api_tokens ORDER BY id";
/* The outbox rows of one follow-up: what was delivered, and when, and
 * what is still to go (its UNIQUE (followup_id, ...) index finds them). */
static const char SQL_DELIVERIES[] =
    "SELECT " STORE_DEF_SELECT(EXP_DELIVERY_DEF) "FROM deliveries "
    "WHERE followup_id = ?1 ORDER BY id";

void
export_csv_row(FILE *out, const char *const *cells, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			fputc(',', out);
		if (cells[i] != NULL)
			csv_fwrite(out, cells[i], strlen(cells[i]));
	}
	fputc('\n', out);
}

/* What an export is made in: the scheduler's cursor says which events
 * nudged has not read yet. */
struct exp {
	struct store *st;
	const struct config *cfg;
	int64_t cursor;
	char *database_id;      /* the database's identity, carried along */
	char **errp;
};

struct exp_account {
	int64_t id;
	char *name;
	int64_t created_at, paused_at, paused_until;
};

STORE_DEF_ROW_TYPE(account_rows, EXP_ACCOUNT_DEF, struct exp_account,
    "account", "listing accounts");

struct exp_delivery {
	int64_t id, round, attempts, next_attempt_at, delivered_at;
	int64_t created_at, updated_at;
	char *channel, *delivery_id, *state, *last_error;
};

/* The hash, never a secret (there is none). */
struct exp_token {
	int64_t id, created_at, last_used_at;
	char *name, *scope, *hash;
};

STORE_DEF_ROW_TYPE(token_rows, EXP_TOKEN_DEF, struct exp_token, "token",
    "reading tokens");

STORE_DEF_ROW_TYPE(delivery_rows, EXP_DELIVERY_DEF, struct exp_delivery,
    "delivery", "listing deliveries");

/* An array to fill, or NULL with "out of memory". */
static json_t *
exp_array(char **errp)
{
	json_t *a = json_array();

	if (a == NULL)
		err_set(errp, "out of memory");
	return a;
}

/* o[key] = v (taken), or -1 with "out of memory". */
static int
exp_put(json_t *o, const char *key, json_t *v, char **errp)
{
	if (v != NULL && json_object_set_new(o, key, v) == 0)
		return 0;
	return err_set(errp, "out of memory");
}

/* Event data as it was written: an object as JSON, anything else (nudge
 * writes only objects) as its text, so nothing is lost. */
static int
exp_event_data(json_t *o, const char *data)
{
	json_t *d;

	if (data == NULL)
		return 0;
	d = json_loads(data, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_object(d)) {
		json_decref(d);
		d = json_string(data);
	}
	return d != NULL && json_object_set_new(o, "data", d) == 0 ? 0 : -1;
}

static json_t *
exp_event(const struct exp *x, const struct event *ev, const char *zone)
{
	json_t *o = json_object();

	return jsonout_made(o, o == NULL ||
	    jsonout_set_int(o, "id", ev->id) != 0 ||
	    jsonout_set_time(o, "at", ev->at, zone) != 0 ||
	    jsonout_set_text(o, "kind", ev->kind) != 0 ||
	    jsonout_set_str(o, "actor", ev->actor) != 0 ||
	    exp_event_data(o, ev->data) != 0 ||
	    (ev->id > x->cursor && json_object_set_new(o, "unread",
	    json_true()) != 0));
}

/* rec["history"]: the events of the record (subject, id), oldest first. */
static int
exp_history(struct exp *x, json_t *rec, const char *subject, int64_t id,
    const char *zone)
{
	struct event *ev;
	json_t *a;
	size_t n, i;
	int rc = 0;

	if (event_list_subject(x->st, subject, id, &ev, &n, x->errp) != 0)
		return -1;
	if ((a = exp_array(x->errp)) == NULL)
		rc = -1;
	for (i = 0; i < n && rc == 0; i++)
		if (json_array_append_new(a, exp_event(x, &ev[i], zone)) != 0)
			rc = err_set(x->errp, "out of memory");
	event_list_free(ev, n);
	if (rc != 0) {
		json_decref(a);
		return -1;
	}
	return exp_put(rec, "history", a, x->errp);
}

static json_t *
exp_delivery(const struct exp_delivery *d, const char *zone)
{
	json_t *o = json_object();

	return jsonout_made(o, o == NULL ||
	    jsonout_set_int(o, "id", d->id) != 0 ||
	    jsonout_set_text(o, "channel", d->channel) != 0 ||
	    jsonout_set_int(o, "round", d->round) != 0 ||
	    jsonout_set_text(o, "delivery_id", d->delivery_id) != 0 ||
	    jsonout_set_text(o, "state", d->state) != 0 ||
	    jsonout_set_int(o, "attempts", d->attempts) != 0 ||
	    jsonout_set_time(o, "next_attempt", d->next_attempt_at,
	    zone) != 0 ||
	    jsonout_set_str(o, "last_error", d->last_error) != 0 ||
	    jsonout_set_time(o, "delivered_at", d->delivered_at, zone) != 0 ||
	    jsonout_set_time(o, "created", d->created_at, zone) != 0 ||
	    jsonout_set_time(o, "updated", d->updated_at, zone) != 0);
}

/* rec["deliveries"]: the follow-up's outbox rows. */
static int
exp_deliveries(struct exp *x, json_t *rec, int64_t id, const char *zone)
{
	struct store_rows rows = { NULL, 0, 0 };
	struct exp_delivery *v;
	sqlite3_stmt *q;
	json_t *a;
	size_t i;
	int rc = 0;

	if ((q = store_stmt(x->st, SQL_DELIVERIES, x->errp)) == NULL)
		return -1;
	sqlite3_bind_int64(q, 1, id);
	if (store_rows(x->st, q, &delivery_rows, &rows, x->errp) != 0)
		return -1;
	v = rows.v;
	if ((a = exp_array(x->errp)) == NULL)
		rc = -1;
	for (i = 0; i < rows.n && rc == 0; i++) {
		json_t *o = exp_delivery(&v[i], zone);

		/* A retry or a dismissal by a person is the delivery's own
		 * history. */
		if (o == NULL)
			rc = err_set(x->errp, "out of memory");
		else if (exp_history(x, o, "delivery", v[i].id, zone) != 0)
			rc = -1;
		if (json_array_append_new(a, o) != 0 && rc == 0)
			rc = err_set(x->errp, "out of memory");
	}
	store_rows_free(&delivery_rows, rows.v, rows.n);
	if (rc != 0) {
		json_decref(a);
		return -1;
	}
	return exp_put(rec, "deliveries", a, x->errp);
}

/*
 * A record whose fields were set (set == 0) gets its history, and for a
 * follow-up its deliveries, and goes into arr; rec is taken either way.
 */
static int
exp_finish(struct exp *x, json_t *arr, json_t *rec, int set,
    enum archive_kind k, int64_t id, const char *zone)
{
	if (rec == NULL || set != 0) {
		json_decref(rec);
		return err_set(x->errp, "out of memory");
	}
	if ((archive_subject(k) != NULL && exp_history(x, rec,
	    archive_subject(k), id, zone) != 0) ||
	    (k == ARCHIVE_FOLLOWUPS && exp_deliveries(x, rec, id,
	    zone) != 0)) {
		json_decref(rec);
		return -1;
	}
	if (json_array_append_new(arr, rec) != 0)
		return err_set(x->errp, "out of memory");
	return 0;
}

/* One touch of the current row of SQL_CONTACTS, in its owner's zone. */
static json_t *
exp_contact(const struct exp *x, sqlite3_stmt *q)
{
	const char *owner = (const char *)sqlite3_column_text(q, 2);
	const char *zone = person_zone(x->cfg, owner);
	json_t *o = json_object();

	return jsonout_made(o, o == NULL || jsonout_set_int(o, "id",
	    sqlite3_column_int64(q, 0)) != 0 ||
	    jsonout_set_time(o, "at", sqlite3_column_int64(q, 1), zone) != 0 ||
	    jsonout_set_text(o, "owner", owner) != 0 ||
	    jsonout_set_str(o, "with", (const char *)sqlite3_column_text(q,
	    3)) != 0 ||
	    jsonout_set_str(o, "note", (const char *)sqlite3_column_text(q,
	    4)) != 0 ||
	    jsonout_set_text(o, "source", (const char *)sqlite3_column_text(q,
	    5)) != 0 ||
	    jsonout_set_id(o, "source_id", sqlite3_column_int64(q, 6)) != 0 ||
	    jsonout_set_time(o, "created", sqlite3_column_int64(q, 7),
	    zone) != 0);
}

/* An object made of the current row of a statement, or NULL. */
typedef json_t *exp_row_fn(const struct exp *x, sqlite3_stmt *q);

/* Each row of sql (its ?1 bound to id) as an object of row(), appended
 * to arr. */
static int
exp_rows(struct exp *x, json_t *arr, const char *sql, int64_t id,
    exp_row_fn *row, const char *what)
{
	sqlite3_stmt *q;
	int rc;

	if ((q = store_stmt(x->st, sql, x->errp)) == NULL)
		return -1;
	sqlite3_bind_int64(q, 1, id);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		if (json_array_append_new(arr, row(x, q)) != 0) {
			rc = SQLITE_NOMEM;
			break;
		}
	sqlite3_reset(q);
	if (rc == SQLITE_DONE)
		return 0;
	return rc == SQLITE_NOMEM ? err_set(x->errp, "out of memory") :
	    store_err(x->st, x->errp, what);
}

/* rec[key]: the rows of sql about the record id. */
static int
exp_list(struct exp *x, json_t *rec, const char *key, const char *sql,
    int64_t id, exp_row_fn *row, const char *what)
{
	json_t *a;

	if ((a = exp_array(x->errp)) == NULL)
		return -1;
	if (exp_rows(x, a, sql, id, row, what) != 0) {
		json_decref(a);
		return -1;
	}
	return exp_put(rec, key, a, x->errp);
}

/* rec[key]: a deal's ids in the systems it came from (the API's source
 * and external_id). */
static int
exp_external_ids(struct exp *x, json_t *rec, const char *key, int64_t id)
{
	struct deal_external *v;
	size_t n, i;
	json_t *a;
	int bad;

	if (deal_external_of(x->st, id, &v, &n, x->errp) != 0)
		return -1;
	bad = (a = json_array()) == NULL;
	for (i = 0; i < n && !bad; i++)
		bad = json_array_append_new(a, json_pack("{s:s, s:s}",
		    "source", v[i].source, "external_id",
		    v[i].external_id)) != 0;
	deal_external_list_free(v, n);
	if (bad) {
		json_decref(a);
		return err_set(x->errp, "out of memory");
	}
	return exp_put(rec, key, a, x->errp);
}

/* A deal's value in major units ("12500.50"), null when it has none. */
static int
exp_money(json_t *o, const char *key, int has_value, int64_t minor)
{
	char value[64];

	snprintf(value, sizeof(value), "%lld.%02lld", (long long)(minor / 100),
	    (long long)(minor % 100));
	return jsonout_set_str(o, key, has_value ? value : NULL);
}

/* How a record's key is written (the "how" of lib/archive.def). */
#define EXP_int(key, v) jsonout_set_int(o, key, v)
#define EXP_text(key, v) jsonout_set_text(o, key, v)
#define EXP_str(key, v) jsonout_set_str(o, key, v)
#define EXP_id(key, v) jsonout_set_id(o, key, v)
#define EXP_time(key, v) jsonout_set_time(o, key, v, zone)
/* money is a deal's: r->has_value says whether v is set. */
#define EXP_money(key, v) exp_money(o, key, r->has_value, v)
#define EXP_later(key, v) 0
#define EXP_contacts(key, v) exp_list(x, o, key, SQL_CONTACTS, v, \
	exp_contact, "reading contacts")
#define EXP_external_ids(key, v) exp_external_ids(x, o, key, v)
#define EXP_KEY_(type, key, how, field) EXP_##how(key, r->field) != 0 ||

/* A record's writer: rec (a type) in arr as an object of the keys of def,
 * its times in the zone of owner (NULL: the configuration's). */
typedef int exp_record_fn(struct exp *x, json_t *arr, const void *rec);
#define EXP_RECORD(name, def, type, kind, owner)                        \
	static int name(struct exp *x, json_t *arr, const void *rec)      \
	{                                                                  \
		const type *r = rec;                                       \
		const char *zone = person_zone(x->cfg, owner);             \
		json_t *o = json_object();                                 \
									   \
		return exp_finish(x, arr, o, o == NULL || def(EXP_KEY_) 0, \
		    kind, r->id, zone);                                    \
	}

/* Accounts and tokens have no owner: their times are in the
 * configuration's zone, as `nudge token list` shows them. */
EXP_RECORD(exp_account, ARCHIVE_ACCOUNT_DEF, struct exp_account,
    ARCHIVE_ACCOUNTS, NULL)
EXP_RECORD(exp_deal, ARCHIVE_DEAL_DEF, struct deal, ARCHIVE_DEALS, r->owner)
EXP_RECORD(exp_promise, ARCHIVE_PROMISE_DEF, struct promise,
    ARCHIVE_PROMISES, r->owner)
EXP_RECORD(exp_followup, ARCHIVE_FOLLOWUP_DEF, struct followup,
    ARCHIVE_FOLLOWUPS, r->owner)
EXP_RECORD(exp_token, ARCHIVE_TOKEN_DEF, struct exp_token, ARCHIVE_TOKENS,
    NULL)

static const struct {
	exp_record_fn *record;
	size_t size;            /* of an element of the kind's list */
} exp_kinds[ARCHIVE_NKINDS] = {
	[ARCHIVE_ACCOUNTS] = { exp_account, sizeof(struct exp_account) },
	[ARCHIVE_DEALS] = { exp_deal, sizeof(struct deal) },
	[ARCHIVE_PROMISES] = { exp_promise, sizeof(struct promise) },
	[ARCHIVE_FOLLOWUPS] = { exp_followup, sizeof(struct followup) },
	[ARCHIVE_TOKENS] = { exp_token, sizeof(struct exp_token) },
};

static int
exp_promise_cmp(const void *a, const void *b)
{
	int64_t x = ((const struct promise *)a)->id;
	int64_t y = ((const struct promise *)b)->id;

	return (x > y) - (x < y);
}

/* The records of kind k in id order: a list of its kind's struct in
 * *(T **)out, *n long, for exp_free(). */
static int
exp_read(struct exp *x, enum archive_kind k, void *out, size_t *n)
{
	struct deal_filter df = { 0 };
	struct promise_filter pf = { 0 };
	struct promise *pv;

	switch (k) {
	case ARCHIVE_ACCOUNTS:
		return store_list(x->st, SQL_ACCOUNTS, NULL, 0, &account_rows,
		    out, n, x->errp);
	case ARCHIVE_DEALS:
		return deal_list(x->st, &df, out, n, x->errp);
	case ARCHIVE_PROMISES:
		if (promise_list(x->st, &pf, &pv, n, x->errp) != 0)
			return -1;
		/* The list is in due order, an export in id order. */
		if (*n > 1)
			qsort(pv, *n, sizeof(*pv), exp_promise_cmp);
		memcpy(out, &pv, sizeof(pv));   /* as store_list() does */
		return 0;
	case ARCHIVE_FOLLOWUPS:
		return followup_list_all(x->st, out, n, x->errp);
	default:
		return store_list(x->st, SQL_TOKENS, NULL, 0, &token_rows, out,
		    n, x->errp);
	}
}

static void
exp_free(enum archive_kind k, void *v, size_t n)
{
	if (k == ARCHIVE_ACCOUNTS)
		store_rows_free(&account_rows, v, n);
	else if (k == ARCHIVE_DEALS)
		deal_list_free(v, n);
	else if (k == ARCHIVE_PROMISES)
		promise_list_free(v, n);
	else if (k == ARCHIVE_FOLLOWUPS)
		followup_list_free(v, n);
	else
		store_rows_free(&token_rows, v, n);
}

/* Each record of kind k into arr. */
static int
exp_records(struct exp *x, enum archive_kind k, json_t *arr)
{
	void *v;
	size_t n, i;
	int rc = 0;

	if (exp_read(x, k, &v, &n) != 0)
		return -1;
	for (i = 0; i < n && rc == 0; i++)
		rc = exp_kinds[k].record(x, arr, (const char *)v +
		    i * exp_kinds[k].size);
	exp_free(k, v, n);
	return rc;
}

/* The records of kind k as a new array in *out. */
static int
exp_kind(struct exp *x, enum archive_kind k, json_t **out)
{
	if ((*out = exp_array(x->errp)) == NULL)
		return -1;
	if (exp_records(x, k, *out) != 0) {
		json_decref(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

static int
exp_init(struct exp *x, struct store *st, const struct config *cfg,
    char **errp)
{
	struct runstate rs;

	x->st = st;
	x->cfg = cfg;
	x->errp = errp;
	if (runstate_read(st, &rs, errp) != 0)
		return -1;
	x->cursor = rs.event_cursor;
	x->database_id = rs.database_id;
	rs.database_id = NULL;
	runstate_clear(&rs);
	return 0;
}

int
export_json(struct store *st, const struct config *cfg, unsigned kinds,
    json_t **out, char **errp)
{
	struct exp x;
	json_t *a;
	int k;

	if ((*out = json_object()) == NULL)
		return err_set(errp, "out of memory");
	x.database_id = NULL;
	if (exp_init(&x, st, cfg, errp) != 0 ||
	    exp_put(*out, ARCHIVE_MARK, json_integer(ARCHIVE_VERSION),
	    errp) != 0)
		goto fail;
	/* A restore from it goes on as the same database (lib/restore.c). */
	if (x.database_id != NULL && exp_put(*out, ARCHIVE_DATABASE_ID,
	    json_string(x.database_id), errp) != 0)
		goto fail;
	for (k = 0; k < ARCHIVE_NKINDS; k++)
		if ((kinds & ARCHIVE_KIND(k)) != 0 && (exp_kind(&x, k,
		    &a) != 0 || exp_put(*out, archive_kind_name(k), a,
		    errp) != 0))
			goto fail;
	free(x.database_id);
	return 0;
fail:
	free(x.database_id);
	json_decref(*out);
	*out = NULL;
	return -1;
}

/* The n records of arr as CSV rows under the kind's header. */
static int
exp_csv_rows(enum archive_kind k, const json_t *arr, FILE *out, char **errp)
{
	const struct archive_col *cols = archive_columns(k);
	const char *head[ARCHIVE_MAX_COLS];
	char *cells[ARCHIVE_MAX_COLS];
	size_t n, c, i;
	int rc = 0;

	for (n = 0; cols[n].name != NULL; n++)
		head[n] = cols[n].name;
	export_csv_row(out, head, n);
	for (i = 0; i < json_array_size(arr) && rc == 0; i++) {
		for (c = 0; c < n; c++)
			if (archive_cell(json_array_get(arr, i), &cols[c],
			    &cells[c]) != 0)
				rc = err_set(errp, "out of memory");
		if (rc == 0)
			export_csv_row(out, (const char *const *)cells, n);
		for (c = 0; c < n; c++)
			free(cells[c]);
	}
	return rc;
}

int
export_csv(struct store *st, const struct config *cfg, enum archive_kind k,
    FILE *out, char **errp)
{
	struct exp x;
	json_t *arr;
	int rc;

	x.database_id = NULL;
	rc = exp_init(&x, st, cfg, errp);
	free(x.database_id);    /* a kind's CSV file has no place for it */
	if (rc != 0 || exp_kind(&x, k, &arr) != 0)
		return -1;
	rc = exp_csv_rows(k, arr, out, errp);
	json_decref(arr);
	if (rc == 0 && (fflush(out) != 0 || ferror(out)))
		return err_set(errp, "writing %s: %s", archive_kind_name(k),
		    strerror(errno));
	return rc;
}

int
export_csv_dir(struct store *st, const struct config *cfg, unsigned kinds,
    const char *dir, char **errp)
{
	char *path;
	FILE *f;
	int k, rc;

	if (mkdir(dir, 0777) != 0 && errno != EEXIST)
		return err_set(errp, "%s: %s", dir, strerror(errno));
	for (k = 0; k < ARCHIVE_NKINDS; k++) {
		if ((kinds & ARCHIVE_KIND(k)) == 0)
			continue;
		if (asprintf(&path, "%s/%s.csv", dir,
		    archive_kind_name(k)) < 0)
			return err_set(errp, "out of memory");
		if ((f = fopen(path, "w")) == NULL) {
			err_set(errp, "%s: %s", path, strerror(errno));
			free(path);
			return -1;
		}
		rc = export_csv(st, cfg, k, f, errp);
		if (fclose(f) != 0 && rc == 0)
			rc = err_set(errp, "%s: %s", path, strerror(errno));
		free(path);
		if (rc != 0)
			return -1;
	}
	return 0;
}
