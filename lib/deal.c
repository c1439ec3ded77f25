#include "deal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "err.h"
#include "event.h"
#include "event_pack.h"
#include "jsonout.h"
#include "settle.h"
#include "store.h"

#include "deal.def"

#define DEAL_COLUMNS STORE_DEF_SELECT(DEAL_DEF)

static const char SQL_INSERT[] =
    "INSERT INTO deals (title, account_id, owner, stage, value_minor, "
    "currency, closes_at, closed_at, created_at, updated_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)";
static const char SQL_GET[] =
    "SELECT " DEAL_COLUMNS "FROM deals d JOIN accounts a ON a.id = "
    "d.account_id WHERE d.id = ?1";
static const char SQL_LIST[] =
    "SELECT " DEAL_COLUMNS "FROM deals d JOIN accounts a ON a.id = "
    "d.account_id WHERE (?1 IS NULL OR d.owner = ?1) "
    "AND (?2 IS NULL OR d.stage = ?2) ORDER BY d.id LIMIT ?3";

STORE_DEF_ROW_TYPE(deal_rows, DEAL_DEF, struct deal, "deal",
    "listing deals");
STORE_DEF_CLEAR_FREE(deal_rows, struct deal, deal_clear, deal_list_free)

static const struct settle_kind deal_settle =
    SETTLE_KIND("deal", "deals", "stage", "closed_at");

int
deal_insert(struct store *st, struct deal *d, time_t now, char **errp)
{
	int created, rc;

	if (account_ensure(st, d->account, now, &d->account_id, &created,
	    errp) != 0)
		return -1;
	if (d->stage == NULL && (d->stage = strdup("open")) == NULL)
		return err_set(errp, "out of memory");
	if (store_exec(st, SQL_INSERT, STORE_ARGS(STORE_TEXT(d->title),
	    STORE_INT(d->account_id), STORE_TEXT(d->owner),
	    STORE_TEXT(d->stage), STORE_OPT(d->value_minor, d->has_value),
	    STORE_TEXT(d->currency), STORE_OPT(d->closes_at, d->closes_at != 0),
	    STORE_OPT(d->closed_at, d->closed_at != 0), STORE_INT(now)),
	    errp) != 0)
		return -1;
	d->id = sqlite3_last_insert_rowid(store_db(st));
	d->created_at = d->updated_at = now;
	rc = event_append_packed(st, now, "deal.created", "deal", d->id, errp,
	    "{s:s, s:s}", "owner", d->owner, "stage", d->stage);
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
	return store_row_by_id(st, SQL_GET, id, &deal_rows, d, errp);
}

int
deal_close(struct store *st, int64_t id, const char *stage, time_t at,
    time_t now, char **errp)
{
	return settle(st, &deal_settle, id, stage, at, 1, now, errp);
}

int
deal_list(struct store *st, const struct deal_filter *f, struct deal **out,
    size_t *n, char **errp)
{
	return store_list(st, SQL_LIST, STORE_ARGS(STORE_TEXT(f->owner),
	    STORE_TEXT(f->stage), STORE_INT(f->limit > 0 ? f->limit : -1)),
	    &deal_rows, out, n, errp);
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
