#include "migrate.h"

#include <stddef.h>
#include <stdlib.h>

#include "err.h"
#include "random_hex.h"

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

/* The first row of PRAGMA foreign_key_check, as a message; 0 when there
 * is none. */
static int
migrate_check_references(sqlite3 *db, const struct migration *m,
    char **errp)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(db, "PRAGMA foreign_key_check", -1, &st,
	    NULL) != SQLITE_OK)
		return err_set(errp, "applying migration %s: %s", m->name,
		    sqlite3_errmsg(db));
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		err_set(errp, "applying migration %s: %s row %lld refers to a "
		    "missing %s row (`nudge db check` lists them all)", m->name,
		    (const char *)sqlite3_column_text(st, 0),
		    (long long)sqlite3_column_int64(st, 1),
		    (const char *)sqlite3_column_text(st, 2));
	else if (rc != SQLITE_DONE)
		err_set(errp, "applying migration %s: %s", m->name,
		    sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/*
 * One step: BEGIN IMMEDIATE so a concurrent opener waits instead of racing
 * us, re-read the version inside the transaction (someone may have migrated
 * meanwhile), run the step (whose embedded text ends by setting
 * user_version), check that every reference still finds its row, commit.
 * The caller has foreign keys off: a step that rebuilds a table others
 * refer to (0007) drops the old one first, which foreign keys would refuse.
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
	if (sqlite3_exec(db, m->sql, NULL, NULL, &sqlerr) != SQLITE_OK)
		goto fail;
	if (migrate_check_references(db, m, errp) != 0) {
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, &sqlerr) != SQLITE_OK)
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

/*
 * nudge_random_id(): 128 bits from getrandom() as 32 lower-case hex
 * digits, for a database's identity (migration 0010; lib/random_hex.h).
 */
static void
migrate_random_id(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	char hex[2 * 16 + 1], *err = NULL;

	(void)argc;
	(void)argv;
	if (random_hex(hex, 16, &err) != 0) {
		sqlite3_result_error(ctx, err != NULL ? err : "getrandom() failed",
		    -1);
		free(err);
		return;
	}
	sqlite3_result_text(ctx, hex, -1, SQLITE_TRANSIENT);
}

static int
migrate_foreign_keys(sqlite3 *db, int *on, char **errp)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(db, "PRAGMA foreign_keys", -1, &st, NULL) !=
	    SQLITE_OK || sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return err_set(errp, "reading foreign_keys: %s",
		    sqlite3_errmsg(db));
	}
	*on = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return 0;
}

int
migrate_to(sqlite3 *db, int target, int *from, char **errp)
{
	int current, i, fk = 0, rc = 0;

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
	if (current >= target)
		return 0;
	if (sqlite3_create_function(db, "nudge_random_id", 0, SQLITE_UTF8,
	    NULL, migrate_random_id, NULL, NULL) != SQLITE_OK)
		return err_set(errp, "registering nudge_random_id(): %s",
		    sqlite3_errmsg(db));
	/* SQLite's way to rebuild a table: foreign keys off around the
	 * steps (the pragma is a no-op inside a transaction), each step
	 * checks them itself, and the connection's setting comes back. */
	if (migrate_foreign_keys(db, &fk, errp) != 0)
		return -1;
	if (sqlite3_exec(db, "PRAGMA foreign_keys = OFF", NULL, NULL, NULL) !=
	    SQLITE_OK)
		return err_set(errp, "turning foreign keys off for a "
		    "migration: %s", sqlite3_errmsg(db));
	for (i = current; i < target && rc == 0; i++)
		rc = migrate_step(db, &migrations[i], errp);
	if (fk && sqlite3_exec(db, "PRAGMA foreign_keys = ON", NULL, NULL,
	    NULL) != SQLITE_OK && rc == 0)
		return err_set(errp, "turning foreign keys back on: %s",
		    sqlite3_errmsg(db));
	return rc;
}
