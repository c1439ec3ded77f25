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

static int
runstate_fill(sqlite3_stmt *q, void *row)
{
	struct runstate *rs = row;
	int oom = 0;

	rs->pid = sqlite3_column_int64(q, 0);
	rs->version = store_column_dup(q, 1, &oom);
	rs->started_at = sqlite3_column_int64(q, 2);
	rs->heartbeat_at = sqlite3_column_int64(q, 3);
	rs->event_cursor = sqlite3_column_int64(q, 4);
	return oom ? -1 : 0;
}

static void
runstate_clear_row(void *row)
{
	runstate_clear(row);
}

static const struct store_row_type runstate_row = {
	sizeof(struct runstate), runstate_fill, runstate_clear_row,
	"daemon state", NULL,
};

int
runstate_read(struct store *st, struct runstate *rs, char **errp)
{
	int rc;

	rc = store_row(st, store_stmt(st, SQL_READ, errp), &runstate_row, rs,
	    errp);
	/* The row is made by the first migration: none is an error. */
	if (rc == 0)
		return store_err(st, errp, "reading daemon state");
	return rc < 0 ? -1 : 0;
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
	return store_exec(st, SQL_STARTED, STORE_ARGS(STORE_INT(pid),
	    STORE_TEXT(version), STORE_INT(now)), errp);
}

int
runstate_heartbeat(struct store *st, time_t now, char **errp)
{
	return store_exec(st, SQL_BEAT, STORE_ARGS(STORE_INT(now)), errp);
}

int
runstate_set_cursor(struct store *st, int64_t cursor, char **errp)
{
	return store_exec(st, SQL_CURSOR, STORE_ARGS(STORE_INT(cursor)), errp);
}
