#include "account.h"

#include <stdlib.h>

#include "err.h"
#include "event.h"
#include "store.h"

static const char SQL_FIND[] = "SELECT id FROM accounts WHERE name = ?1";
static const char SQL_INSERT[] =
    "INSERT INTO accounts (name, created_at) VALUES (?1, ?2)";

static const char SQL_PAUSE[] =
    "UPDATE accounts SET paused_at = ?2, paused_until = ?3 WHERE id = ?1";

int
account_find(struct store *st, const char *name, int64_t *id, int *found,
    char **errp)
{
	sqlite3_stmt *q;

	if ((q = store_stmt(st, SQL_FIND, errp)) == NULL)
		return -1;
	store_bind_text(q, 1, name);
	return store_int(st, q, id, found, "looking up account", errp);
}

int
account_set_pause(struct store *st, int64_t id, time_t at, time_t until,
    time_t now, char **errp)
{
	json_t *data = NULL;
	int rc;

	if (store_exec(st, SQL_PAUSE, STORE_ARGS(STORE_INT(id),
	    STORE_OPT(at, at != 0), STORE_OPT(until, until != 0)), errp) != 0)
		return -1;
	if (at != 0 && until != 0 && (data = json_pack("{s:I}", "until",
	    (json_int_t)until)) == NULL)
		return err_set(errp, "out of memory");
	rc = event_append(st, now, at != 0 ? "account.paused" :
	    "account.resumed", "account", id, data, errp);
	json_decref(data);
	return rc;
}

int
account_ensure(struct store *st, const char *name, time_t now, int64_t *id,
    int *created, char **errp)
{
	int found;

	*created = 0;
	if (account_find(st, name, id, &found, errp) != 0)
		return -1;
	if (found)
		return 0;
	if (store_exec(st, SQL_INSERT, STORE_ARGS(STORE_TEXT(name),
	    STORE_INT(now)), errp) != 0)
		return -1;
	*id = sqlite3_last_insert_rowid(store_db(st));
	*created = 1;
	return event_append(st, now, "account.created", "account", *id, NULL,
	    errp);
}
