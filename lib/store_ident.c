#include "store_ident.h"

#include <stddef.h>

#include "err.h"

/* Tables every nudge schema has had since migration 0001: a database
 * without application_id is nudge's only with all of them. */
static const char SQL_CORE_TABLES[] =
    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
    "('accounts', 'deals', 'promises', 'followups', 'events')";
#define STORE_CORE_TABLES 5

/* One integer from sql (a pragma or a count); SQLITE_OK or the error. */
static int
store_ident_int(sqlite3 *db, const char *sql, int *out)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if ((rc = sqlite3_prepare_v2(db, sql, -1, &q, NULL)) == SQLITE_OK) {
		rc = sqlite3_step(q);
		if (rc == SQLITE_ROW) {
			*out = sqlite3_column_int(q, 0);
			rc = SQLITE_OK;
		}
	}
	sqlite3_finalize(q);
	return rc;
}

int
store_ident(sqlite3 *db, enum store_ident *what, int *version,
    const char **why, char **errp)
{
	int app = 0, objects = 0, core = 0, rc;

	*what = STORE_IDENT_FOREIGN;
	*version = 0;
	*why = NULL;
	rc = store_ident_int(db, "PRAGMA application_id", &app);
	if (rc == SQLITE_OK)
		rc = store_ident_int(db, "PRAGMA user_version", version);
	if (rc == SQLITE_OK)
		rc = store_ident_int(db, "SELECT count(*) FROM sqlite_master",
		    &objects);
	if (rc == SQLITE_OK)
		rc = store_ident_int(db, SQL_CORE_TABLES, &core);
	if ((rc & 0xff) == SQLITE_NOTADB) {
		*why = "not a SQLite database";
		return 0;
	}
	if (rc != SQLITE_OK)
		return err_set(errp, "reading what the database is: %s",
		    sqlite3_errmsg(db));
	if (app != 0 && app != STORE_APPLICATION_ID)
		*why = "a SQLite database of another program (its "
		    "application_id is not nudge's)";
	else if (app == 0 && objects == 0 && *version == 0)
		*what = STORE_IDENT_EMPTY;
	else if (app == STORE_APPLICATION_ID ||
	    (*version > 0 && core == STORE_CORE_TABLES))
		*what = STORE_IDENT_NUDGE;
	else
		*why = "a SQLite database without nudge's tables";
	return 0;
}
