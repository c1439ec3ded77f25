#include "account.h"

#include <stdlib.h>

#include "err.h"
#include "event.h"
#include "store.h"

static const char SQL_FIND[] = "SELECT id FROM accounts WHERE name = ?1";
static const char SQL_INSERT[] =
    "INSERT INTO accounts (name, created_at) VALUES (?1, ?2)";
static const char SQL_NAME[] = "SELECT name FROM accounts WHERE id = ?1";

int
account_ensure(struct store *st, const char *name, time_t now, int64_t *id,
    int *created, char **errp)
{
	sqlite3_stmt *q;
	int rc;

	*created = 0;
	if ((q = store_stmt(st, SQL_FIND, errp)) == NULL)
		return -1;
	store_bind_text(q, 1, name);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(q, 0);
		sqlite3_reset(q);
		return 0;
	}
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return store_err(st, errp, "looking up account");
	if ((q = store_stmt(st, SQL_INSERT, errp)) == NULL)
		return -1;
	store_bind_text(q, 1, name);
	sqlite3_bind_int64(q, 2, now);
	if (store_exec_stmt(st, q, errp) != 0)
		return -1;
	*id = sqlite3_last_insert_rowid(store_db(st));
	*created = 1;
	return event_append(st, now, "account.created", "account", *id, NULL,
	    errp);
}

int
account_name(struct store *st, int64_t id, char **name, char **errp)
{
	sqlite3_stmt *q;
	int rc;

	*name = NULL;
	if ((q = store_stmt(st, SQL_NAME, errp)) == NULL)
		return -1;
	sqlite3_bind_int64(q, 1, id);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		*name = store_column_strdup(q, 0);
	sqlite3_reset(q);
	if (rc == SQLITE_ROW && store_column_lost(errp))
		return -1;
	if (rc != SQLITE_ROW)
		return err_set(errp, "no account with id %lld", (long long)id);
	return 0;
}
