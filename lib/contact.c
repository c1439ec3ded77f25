#include "contact.h"

#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "event.h"
#include "store.h"

static const char SQL_INSERT[] =
    "INSERT INTO contacts (account_id, at, owner, with_person, note, "
    "source, source_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
/* The latest by moment; of two at one moment, the one logged last. */
static const char SQL_LAST[] =
    "SELECT at, owner FROM contacts WHERE account_id = ?1 "
    "ORDER BY at DESC, id DESC LIMIT 1";
static const char SQL_MOMENTS[] =
    "SELECT at FROM contacts WHERE account_id = ?1 AND at > ?2 "
    "AND at <= ?3 AND source IS NOT ?4 ORDER BY at";

int
contact_insert(struct store *st, const struct contact_new *c, time_t now,
    int64_t *id, char **errp)
{
	json_t *data;
	int rc;

	*id = 0;
	if (store_exec(st, SQL_INSERT, STORE_ARGS(STORE_INT(c->account_id),
	    STORE_INT(c->at), STORE_TEXT(c->owner), STORE_TEXT(c->with),
	    STORE_TEXT(c->note), STORE_TEXT(c->source),
	    STORE_OPT(c->source_id, c->source_id != 0), STORE_INT(now)),
	    errp) != 0)
		return -1;
	*id = sqlite3_last_insert_rowid(store_db(st));
	if ((data = json_pack("{s:I, s:s, s:I, s:s}", "contact",
	    (json_int_t)*id, "owner", c->owner, "at", (json_int_t)c->at,
	    "source", c->source)) == NULL)
		return err_set(errp, "out of memory");
	rc = event_append(st, now, "contact.logged", "account", c->account_id,
	    data, errp);
	json_decref(data);
	return rc;
}

int
contact_last(struct store *st, int64_t account_id, int64_t *at, char **owner,
    char **errp)
{
	sqlite3_stmt *q;
	int rc;

	*at = 0;
	*owner = NULL;
	if ((q = store_stmt(st, SQL_LAST, errp)) == NULL)
		return -1;
	sqlite3_bind_int64(q, 1, account_id);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		*at = sqlite3_column_int64(q, 0);
		if ((*owner = strdup((const char *)sqlite3_column_text(q,
		    1))) == NULL) {
			sqlite3_reset(q);
			return err_set(errp, "out of memory");
		}
	}
	sqlite3_reset(q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_err(st, errp, "reading the last contact");
	return 0;
}

int
contact_moments(struct store *st, int64_t account_id, int64_t from,
    int64_t to, const char *but, int64_t **v, size_t *n, char **errp)
{
	sqlite3_stmt *q;
	int64_t *tmp;
	size_t cap = 0;
	int rc;

	*v = NULL;
	*n = 0;
	if ((q = store_stmt(st, SQL_MOMENTS, errp)) == NULL)
		return -1;
	sqlite3_bind_int64(q, 1, account_id);
	sqlite3_bind_int64(q, 2, from);
	sqlite3_bind_int64(q, 3, to);
	if (store_bind_text(q, 4, but) != SQLITE_OK) {
		sqlite3_reset(q);
		return err_set(errp, "out of memory");
	}
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap != 0 ? cap * 2 : 16;
			if ((tmp = realloc(*v, cap * sizeof(*tmp))) == NULL) {
				rc = SQLITE_NOMEM;
				break;
			}
			*v = tmp;
		}
		(*v)[(*n)++] = sqlite3_column_int64(q, 0);
	}
	sqlite3_reset(q);
	if (rc == SQLITE_DONE)
		return 0;
	free(*v);
	*v = NULL;
	*n = 0;
	if (rc == SQLITE_NOMEM)
		return err_set(errp, "out of memory");
	return store_err(st, errp, "reading contacts");
}
