#include "deal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "err.h"
#include "event.h"
#include "jsonout.h"
#include "store.h"

#define DEAL_COLUMNS \
	"d.id, d.title, d.account_id, a.name, d.owner, d.stage, " \
	"d.value_minor, d.currency, d.closes_at, d.closed_at, " \
	"d.created_at, d.updated_at "

static const char SQL_INSERT[] =
    "INSERT INTO deals (title, account_id, owner, stage, value_minor, "
    "currency, closes_at, closed_at, created_at, updated_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)";
static const char SQL_GET[] =
    "SELECT " DEAL_COLUMNS "FROM deals d JOIN accounts a ON a.id = "
    "d.account_id WHERE d.id = ?1";
static const char SQL_CLOSE[] =
    "UPDATE deals SET stage = ?2, closed_at = ?3, updated_at = ?4 "
    "WHERE id = ?1 AND stage = 'open'";
static const char SQL_LIST[] =
    "SELECT " DEAL_COLUMNS "FROM deals d JOIN accounts a ON a.id = "
    "d.account_id WHERE (?1 IS NULL OR d.owner = ?1) "
    "AND (?2 IS NULL OR d.stage = ?2) ORDER BY d.id LIMIT ?3";

static void
deal_from_row(sqlite3_stmt *q, struct deal *d)
{
	memset(d, 0, sizeof(*d));
	d->id = sqlite3_column_int64(q, 0);
	d->title = store_column_strdup(q, 1);
	d->account_id = sqlite3_column_int64(q, 2);
	d->account = store_column_strdup(q, 3);
	d->owner = store_column_strdup(q, 4);
	d->stage = store_column_strdup(q, 5);
	d->has_value = sqlite3_column_type(q, 6) != SQLITE_NULL;
	d->value_minor = sqlite3_column_int64(q, 6);
	d->currency = store_column_strdup(q, 7);
	d->closes_at = sqlite3_column_int64(q, 8);
	d->closed_at = sqlite3_column_int64(q, 9);
	d->created_at = sqlite3_column_int64(q, 10);
	d->updated_at = sqlite3_column_int64(q, 11);
}

int
deal_insert(struct store *st, struct deal *d, time_t now, char **errp)
{
	sqlite3_stmt *q;
	json_t *data;
	int created, rc;

	if (account_ensure(st, d->account, now, &d->account_id, &created,
	    errp) != 0)
		return -1;
	if ((q = store_stmt(st, SQL_INSERT, errp)) == NULL)
		return -1;
	if (d->stage == NULL && (d->stage = strdup("open")) == NULL)
		return err_set(errp, "out of memory");
	store_bind_text(q, 1, d->title);
	sqlite3_bind_int64(q, 2, d->account_id);
	store_bind_text(q, 3, d->owner);
	store_bind_text(q, 4, d->stage);
	store_bind_opt_int64(q, 5, d->value_minor, d->has_value);
	store_bind_text(q, 6, d->currency);
	store_bind_opt_int64(q, 7, d->closes_at, d->closes_at != 0);
	store_bind_opt_int64(q, 8, d->closed_at, d->closed_at != 0);
	sqlite3_bind_int64(q, 9, now);
	if (store_exec_stmt(st, q, errp) != 0)
		return -1;
	d->id = sqlite3_last_insert_rowid(store_db(st));
	d->created_at = d->updated_at = now;
	if ((data = json_pack("{s:s, s:s}", "owner", d->owner, "stage",
	    d->stage)) == NULL)
		return err_set(errp, "out of memory");
	rc = event_append(st, now, "deal.created", "deal", d->id, data, errp);
	json_decref(data);
	/* A deal imported as already won still gets its won follow-ups. */
	if (rc == 0 && strcmp(d->stage, "open") != 0)
		rc = event_append(st, d->closed_at,
		    strcmp(d->stage, "won") == 0 ? "deal.won" : "deal.lost",
		    "deal", d->id, NULL, errp);
	return rc;
}

int
deal_get(struct store *st, int64_t id, struct deal *d, char **errp)
{
	sqlite3_stmt *q;
	int rc;

	memset(d, 0, sizeof(*d));
	if ((q = store_stmt(st, SQL_GET, errp)) == NULL)
		return -1;
	sqlite3_bind_int64(q, 1, id);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		deal_from_row(q, d);
	sqlite3_reset(q);
	if (rc == SQLITE_ROW && store_column_lost(errp))
		return deal_clear(d), -1;
	if (rc == SQLITE_DONE)
		return err_set(errp, "no deal with id %lld", (long long)id);
	if (rc != SQLITE_ROW)
		return store_err(st, errp, "reading deal");
	return 0;
}

int
deal_close(struct store *st, int64_t id, const char *stage, time_t at,
    time_t now, char **errp)
{
	struct deal d;
	sqlite3_stmt *q;
	char kind[16];

	if (deal_get(st, id, &d, errp) != 0)
		return -1;
	if (strcmp(d.stage, "open") != 0) {
		err_set(errp, "deal %lld is already %s", (long long)id,
		    d.stage);
		deal_clear(&d);
		return -1;
	}
	deal_clear(&d);
	if ((q = store_stmt(st, SQL_CLOSE, errp)) == NULL)
		return -1;
	sqlite3_bind_int64(q, 1, id);
	store_bind_text(q, 2, stage);
	sqlite3_bind_int64(q, 3, at);
	sqlite3_bind_int64(q, 4, now);
	if (store_exec_stmt(st, q, errp) != 0)
		return -1;
	snprintf(kind, sizeof(kind), "deal.%s", stage);
	return event_append(st, at, kind, "deal", id, NULL, errp);
}

int
deal_list(struct store *st, const struct deal_filter *f, struct deal **out,
    size_t *n, char **errp)
{
	struct deal *v = NULL, *tmp;
	size_t len = 0, cap = 0;
	sqlite3_stmt *q;
	int rc;

	*out = NULL;
	*n = 0;
	if ((q = store_stmt(st, SQL_LIST, errp)) == NULL)
		return -1;
	store_bind_text(q, 1, f->owner);
	store_bind_text(q, 2, f->stage);
	sqlite3_bind_int(q, 3, f->limit > 0 ? f->limit : -1);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (len == cap) {
			cap = cap ? cap * 2 : 16;
			if ((tmp = realloc(v, cap * sizeof(*v))) == NULL) {
				sqlite3_reset(q);
				deal_list_free(v, len);
				return err_set(errp, "out of memory");
			}
			v = tmp;
		}
		deal_from_row(q, &v[len++]);
	}
	sqlite3_reset(q);
	if (rc == SQLITE_DONE && store_column_lost(errp)) {
		deal_list_free(v, len);
		return -1;
	}
	if (rc != SQLITE_DONE) {
		deal_list_free(v, len);
		return store_err(st, errp, "listing deals");
	}
	*out = v;
	*n = len;
	return 0;
}

void
deal_clear(struct deal *d)
{
	if (d == NULL)
		return;
	free(d->title);
	free(d->account);
	free(d->owner);
	free(d->stage);
	free(d->currency);
	memset(d, 0, sizeof(*d));
}

void
deal_list_free(struct deal *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		deal_clear(&v[i]);
	free(v);
}

/*
 * Amounts as people type them: digits with optional spaces or underscores
 * as thousands separators and at most two decimals after '.' or ','.
 */
int
deal_parse_value(const char *s, int64_t *minor, char **errp)
{
	const char *p = s;
	int64_t whole = 0, frac = 0;
	int digits = 0, fdigits = 0;

	for (; *p != '\0' && *p != '.' && *p != ','; p++) {
		if (*p == ' ' || *p == '_')
			continue;
		if (!isdigit((unsigned char)*p) || whole > (INT64_MAX / 100 - 9) / 10)
			goto bad;
		whole = whole * 10 + (*p - '0');
		digits++;
	}
	if (*p != '\0') {
		for (p++; *p != '\0'; p++) {
			if (!isdigit((unsigned char)*p) || ++fdigits > 2)
				goto bad;
			frac = frac * 10 + (*p - '0');
		}
		if (fdigits == 1)
			frac *= 10;
	}
	if (digits == 0)
		goto bad;
	*minor = whole * 100 + frac;
	return 0;
bad:
	return err_set(errp, "bad amount '%s' (expected a number such as "
	    "12500 or 12500.50)", s);
}

json_t *
deal_json(const struct deal *d, const char *zone)
{
	json_t *o;

	o = json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)d->id,
	    "title", d->title, "account", d->account, "owner", d->owner,
	    "stage", d->stage);
	if (o == NULL)
		return NULL;
	if (d->has_value)
		json_object_set_new(o, "value",
		    json_real((double)d->value_minor / 100.0));
	jsonout_set_str(o, "currency", d->currency);
	jsonout_set_time(o, "closes_at", d->closes_at, zone);
	jsonout_set_time(o, "closed_at", d->closed_at, zone);
	jsonout_set_time(o, "created_at", d->created_at, zone);
	jsonout_set_time(o, "updated_at", d->updated_at, zone);
	return o;
}
