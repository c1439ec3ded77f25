#include "migrate.h"

#include <stddef.h>

#include "err.h"

int
migrate_latest(void)
{
	return migrations_count;
}

int
migrate_current(sqlite3 *db, int *version, char **errp)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) !=
	    SQLITE_OK)
		return err_set(errp, "reading schema version: %s",
		    sqlite3_errmsg(db));
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		err_set(errp, "reading schema version: %s", sqlite3_errmsg(db));
		sqlite3_finalize(st);
		return -1;
	}
	*version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return 0;
}

/*
 * One step: BEGIN IMMEDIATE so a concurrent opener waits instead of racing
 * us, re-read the version inside the transaction (someone may have migrated
 * meanwhile), run the step (whose embedded text ends by setting
 * user_version), commit.
 */
static int
migrate_step(sqlite3 *db, const struct migration *m, char **errp)
{
	char *sqlerr = NULL;
	int current;

	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, &sqlerr) !=
	    SQLITE_OK)
		goto fail;
	if (migrate_current(db, &current, errp) != 0) {
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	if (current >= m->version) {
		/* Another process got here first. */
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return 0;
	}
	if (sqlite3_exec(db, m->sql, NULL, NULL, &sqlerr) != SQLITE_OK ||
	    sqlite3_exec(db, "COMMIT", NULL, NULL, &sqlerr) != SQLITE_OK)
		goto fail;
	return 0;
fail:
	err_set(errp, "applying migration %s: %s", m->name,
	    sqlerr != NULL ? sqlerr : sqlite3_errmsg(db));
	sqlite3_free(sqlerr);
	if (!sqlite3_get_autocommit(db))
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

int
migrate_to(sqlite3 *db, int target, int *from, char **errp)
{
	int current, i;

	if (migrate_current(db, &current, errp) != 0)
		return -1;
	if (from != NULL)
		*from = current;
	if (current > migrate_latest())
		return err_set(errp,
		    "database schema version %d is newer than this nudge "
		    "understands (%d): upgrade nudge, or use the database "
		    "with the version that wrote it",
		    current, migrate_latest());
	if (target > migrate_latest())
		target = migrate_latest();
	for (i = current; i < target; i++)
		if (migrate_step(db, &migrations[i], errp) != 0)
			return -1;
	return 0;
}
