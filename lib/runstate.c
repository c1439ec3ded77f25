#include "runstate.h"

#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "store.h"

static const char SQL_READ[] =
    "SELECT pid, version, started_at, heartbeat_at, event_cursor "
    "FROM daemon WHERE id = 1";
static const char SQL_STARTED[] =
    "UPDATE daemon SET pid = ?1, version = ?2, started_at = ?3, "
    "heartbeat_at = ?3 WHERE id = 1";
static const char SQL_BEAT[] =
    "UPDATE daemon SET heartbeat_at = ?1 WHERE id = 1";
static const char SQL_CURSOR[] =
    "UPDATE daemon SET event_cursor = ?1 WHERE id = 1";

int
runstate_read(struct store *st, struct runstate *rs, char **errp)
{
	sqlite3_stmt *q;
	int rc;

	memset(rs, 0, sizeof(*rs));
	if ((q = store_stmt(st, SQL_READ, errp)) == NULL)
		return -1;
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		rs->pid = sqlite3_column_int64(q, 0);
		rs->version = store_column_strdup(q, 1);
		rs->started_at = sqlite3_column_int64(q, 2);
		rs->heartbeat_at = sqlite3_column_int64(q, 3);
		rs->event_cursor = sqlite3_column_int64(q, 4);
	}
	sqlite3_reset(q);
	if (rc != SQLITE_ROW)
		return store_err(st, errp, "reading daemon state");
	return 0;
}

void
runstate_clear(struct runstate *rs)
{
	free(rs->version);
	memset(rs, 0, sizeof(*rs));
}

int
runstate_started(struct store *st, int64_t pid, const char *version,
    time_t now, char **errp)
{
	sqlite3_stmt *q;

	if ((q = store_stmt(st, SQL_STARTED, errp)) == NULL)
		return -1;
	sqlite3_bind_int64(q, 1, pid);
	store_bind_text(q, 2, version);
	sqlite3_bind_int64(q, 3, now);
	return store_exec_stmt(st, q, errp);
}

int
runstate_heartbeat(struct store *st, time_t now, char **errp)
{
	sqlite3_stmt *q;

	if ((q = store_stmt(st, SQL_BEAT, errp)) == NULL)
		return -1;
	sqlite3_bind_int64(q, 1, now);
	return store_exec_stmt(st, q, errp);
}

int
runstate_set_cursor(struct store *st, int64_t cursor, char **errp)
{
	sqlite3_stmt *q;

	if ((q = store_stmt(st, SQL_CURSOR, errp)) == NULL)
		return -1;
	sqlite3_bind_int64(q, 1, cursor);
	return store_exec_stmt(st, q, errp);
}
