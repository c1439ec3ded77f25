#include "account.h"

#include <stdlib.h>

#include "err.h"
#include "event.h"
#include "store.h"

static const char SQL_FIND[] = "SELECT id FROM accounts WHERE name = ?1";
static const char SQL_INSERT[] =
    "INSERT INTO accounts (name, created_at) VALUES (?1, ?2)";

int
account_ensure(struct store *st, const char *name, time_t now, int64_t *id,
    int *created, char **errp)
{
	sqlite3_stmt *q;
	int found;

	*created = 0;
	if ((q = store_stmt(st, SQL_FIND, errp)) == NULL)
		return -1;
	store_bind_text(q, 1, name);
	if (store_int(st, q, id, &found, "looking up account", errp) != 0)
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
