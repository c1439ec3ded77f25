/* The effect report's facts read from the database: each account's first
 * deal won in the period, its next deal, its second chocolate and its
 * touches over the horizon; then effect_compute() (lib/effect.c). */
#include "effect.h"

#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "contact.h"
#include "err.h"
#include "person.h"
#include "rules.h"
#include "store.h"

/* Each account's first deal won in [?1, ?2] (of owner ?3, NULL: anyone's)
 * and the account's next deal won after it, whoever won it. */
static const char SQL_CASES[] =
    "SELECT d.id, d.account_id, a.name, d.owner, d.closed_at, "
    "(SELECT min(n.closed_at) FROM deals n WHERE n.account_id = "
    "d.account_id AND n.stage = 'won' AND n.id <> d.id "
    "AND n.closed_at >= d.closed_at) "
    "FROM deals d JOIN accounts a ON a.id = d.account_id "
    "WHERE d.stage = 'won' AND d.closed_at >= ?1 AND d.closed_at <= ?2 "
    "AND (?3 IS NULL OR d.owner = ?3) AND NOT EXISTS (SELECT 1 FROM deals e "
    "WHERE e.account_id = d.account_id AND e.stage = 'won' "
    "AND e.closed_at >= ?1 AND (?3 IS NULL OR e.owner = ?3) "
    "AND (e.closed_at < d.closed_at OR (e.closed_at = d.closed_at "
    "AND e.id < d.id))) ORDER BY d.closed_at, d.id";
/* The deal's second chocolates done (?3: the rules' names as JSON); by
 * account and rule, the index followups_account_rule has. */
static const char SQL_CHOCOLATE[] =
    "SELECT rule, remind_at, done_at FROM followups "
    "WHERE account_id = ?1 AND rule IN (SELECT value FROM json_each(?3)) "
    "AND deal_id = ?2 AND state = 'done' "
    "AND occurrence NOT LIKE '%:escalated'";
struct effect_row {
	int64_t deal, account;
	char *name, *owner;
	int64_t won_at, next_at;
};

static int
effect_row_fill(sqlite3_stmt *q, void *p)
{
	struct effect_row *r = p;
	int oom = 0;

	r->deal = sqlite3_column_int64(q, 0);
	r->account = sqlite3_column_int64(q, 1);
	r->name = store_column_dup(q, 2, &oom);
	r->owner = store_column_dup(q, 3, &oom);
	r->won_at = sqlite3_column_int64(q, 4);
	r->next_at = sqlite3_column_int64(q, 5);
	return oom ? -1 : 0;
}

static void
effect_row_clear(void *p)
{
	struct effect_row *r = p;

	free(r->name);
	free(r->owner);
}

static const struct store_row_type effect_rows = {
	sizeof(struct effect_row), effect_row_fill, effect_row_clear,
	"won deal", "reading won deals",
};

/* 1 when the deal's second chocolate was done within its window. */
static int
effect_chocolate(struct store *st, const struct config *cfg,
    const struct effect_row *r, const char *names, int *got, char **errp)
{
	sqlite3_stmt *q;
	int rc;

	*got = 0;
	if ((q = store_stmt(st, SQL_CHOCOLATE, errp)) == NULL)
		return -1;
	sqlite3_bind_int64(q, 1, r->account);
	sqlite3_bind_int64(q, 2, r->deal);
	if (store_bind_text(q, 3, names) != SQLITE_OK) {
		sqlite3_reset(q);
		return err_set(errp, "out of memory");
	}
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		if (rules_chocolate_in_window(cfg, r->owner,
		    (const char *)sqlite3_column_text(q, 0),
		    sqlite3_column_int64(q, 1), sqlite3_column_int64(q, 2)))
			*got = 1;
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? 0 : store_err(st, errp,
	    "reading second chocolates");
}

/* Whether the account was kept within its cadence over the horizon after
 * the deal: *kept 1 or 0, -1 when no cadence names it. */
static int
effect_cadence(struct store *st, const struct config *cfg,
    const struct effect_row *r, int64_t horizon, int *kept, char **errp)
{
	const struct config_cadence *c = config_cadence_for(cfg, r->name);
	const struct config_person *p;
	struct timeutil_hours h;
	int64_t *touches;
	size_t n;

	*kept = -1;
	if (c == NULL)
		return 0;
	/* The owner's time, as the reminders were; UTC around the clock for
	 * one no longer configured. */
	p = config_person(cfg, c->owner != NULL ? c->owner : r->owner);
	if (p != NULL)
		person_hours(p, &h);
	/* A repeat deal is a touch too: it must not count as the touch
	 * that kept the account. */
	if (contact_moments(st, r->account, r->won_at, r->won_at + horizon,
	    "deal", &touches, &n, errp) != 0)
		return -1;
	*kept = effect_kept_within(touches, n, r->won_at, r->won_at + horizon,
	    p != NULL ? &h : NULL, &c->every);
	free(touches);
	return 0;
}

/* The cases of the rows; those too recent need no more facts. */
static int
effect_cases(struct store *st, const struct config *cfg,
    const struct effect_row *v, size_t n, time_t now, int64_t horizon,
    struct effect_case *out, char **errp)
{
	char *names;
	size_t i;
	int rc = 0;

	if ((names = rules_chocolate_names(cfg)) == NULL)
		return err_set(errp, "out of memory");
	for (i = 0; rc == 0 && i < n; i++) {
		out[i].won_at = v[i].won_at;
		out[i].next_at = v[i].next_at;
		out[i].cadence = -1;
		if (v[i].won_at > (int64_t)now - horizon)
			continue;
		rc = effect_chocolate(st, cfg, &v[i], names, &out[i].chocolate,
		    errp);
		if (rc == 0)
			rc = effect_cadence(st, cfg, &v[i], horizon,
			    &out[i].cadence, errp);
	}
	free(names);
	return rc;
}

int
effect_build(struct store *st, const struct config *cfg, const char *owner,
    time_t since, time_t now, int64_t horizon, struct effect *e,
    char **errp)
{
	struct store_rows rows = { NULL, 0, 0 };
	struct effect_case *cases;
	sqlite3_stmt *q;
	int rc;

	memset(e, 0, sizeof(*e));
	e->since = since;
	e->until = now;
	if ((q = store_stmt(st, SQL_CASES, errp)) == NULL)
		return -1;
	sqlite3_bind_int64(q, 1, since);
	sqlite3_bind_int64(q, 2, now);
	/* Unbound, the owner would read as NULL: everyone. */
	if (store_bind_text(q, 3, owner) != SQLITE_OK) {
		sqlite3_reset(q);
		return err_set(errp, "out of memory");
	}
	if (store_rows(st, q, &effect_rows, &rows, errp) != 0)
		return -1;
	if ((cases = calloc(rows.n > 0 ? rows.n : 1, sizeof(*cases))) ==
	    NULL)
		rc = err_set(errp, "out of memory");
	else
		rc = effect_cases(st, cfg, rows.v, rows.n, now, horizon,
		    cases, errp);
	if (rc == 0)
		rc = effect_compute(cases, rows.n, now, horizon, e, errp);
	free(cases);
	store_rows_free(&effect_rows, rows.v, rows.n);
	return rc;
}
