#include "contact.h"

#include <stdlib.h>

#include <jansson.h>

#include "err.h"
#include "event_pack.h"
#include "store.h"
#include "store_value.h"

static const char SQL_INSERT[] =
    "INSERT INTO contacts (account_id, at, owner, with_person, note, "
    "source, source_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
static const char SQL_MOMENTS[] =
    "SELECT at FROM contacts WHERE account_id = ?1 AND at > ?2 "
    "AND at <= ?3 AND source IS NOT ?4 ORDER BY at";

void
contact_of_record(struct contact_new *c, int64_t account_id, int64_t at,
    const char *owner, const char *source, int64_t source_id)
{
	*c = (struct contact_new){ .account_id = account_id, .at = at,
	    .owner = owner, .source = source, .source_id = source_id };
}

int
contact_insert(struct store *st, const struct contact_new *c, time_t now,
    int64_t *id, char **errp)
{
	if (store_insert(st, SQL_INSERT, STORE_ARGS(STORE_INT(c->account_id),
	    STORE_INT(c->at), STORE_TEXT(c->owner), STORE_TEXT(c->with),
	    STORE_TEXT(c->note), STORE_TEXT(c->source),
	    STORE_OPT(c->source_id, c->source_id != 0), STORE_INT(now)), id,
	    errp) != 0)
		return -1;
	return event_append_packed(st, now, "contact.logged", "account",
	    c->account_id, errp, "{s:I, s:s, s:I, s:s}", "contact",
	    (json_int_t)*id, "owner", c->owner, "at", (json_int_t)c->at,
	    "source", c->source);
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
