/*
 * floor_db: floor (a) of the benchmarks.  The least a fresh process must
 * do for what `nudge promise add` and `nudge agenda` do, on the same
 * database file, so that the figures for nudge can be read against it.
 *
 *   floor_db write DB   open DB, switch to WAL and synchronous=FULL (the
 *                       CLI's STORE_DURABLE setting in lib/store.c), insert
 *                       one promise row in a BEGIN IMMEDIATE transaction,
 *                       commit (the WAL is fsynced), exit.
 *   floor_db read DB [DAYS]
 *                       open DB read-only and print the open promises and
 *                       the pending or notified follow-ups due before now +
 *                       DAYS (default 7, as `nudge agenda`), in time order,
 *                       through the (state, time) indexes of migration 0001.
 *
 * No config, no checks, no events, no wake-up: just SQLite.  Exit status 0
 * on success, 1 on any SQLite error (printed).
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int
fail(sqlite3 *db, const char *what)
{
	fprintf(stderr, "floor_db: %s: %s\n", what,
	    db != NULL ? sqlite3_errmsg(db) : "cannot open");
	sqlite3_close(db);
	return 1;
}

static int
floor_write(const char *path)
{
	static const char sql[] =
	    "INSERT INTO promises (text, owner, account_id, made_at, due_at, "
	    "target_at, created_at, updated_at) "
	    "VALUES (?1, ?2, 1, ?3, ?4, ?5, ?3, ?3)";
	sqlite3 *db = NULL;
	sqlite3_stmt *q = NULL;
	sqlite3_int64 now = (sqlite3_int64)time(NULL);
	/* Far outside the agenda's window, as the benchmark's own writes. */
	sqlite3_int64 due = now + 400 * 86400;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
		return fail(db, path);
	sqlite3_busy_timeout(db, 30000);
	if (sqlite3_exec(db, "PRAGMA journal_mode = WAL", NULL, NULL,
	    NULL) != SQLITE_OK ||
	    sqlite3_exec(db, "PRAGMA synchronous = FULL", NULL, NULL,
	    NULL) != SQLITE_OK)
		return fail(db, "pragmas");
	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
	    SQLITE_OK)
		return fail(db, "begin");
	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
		return fail(db, "prepare");
	sqlite3_bind_text(q, 1, "Floor: call back about the offer", -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(q, 2, "p0", -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, now);
	sqlite3_bind_int64(q, 4, due);
	sqlite3_bind_int64(q, 5, due - 86400);
	if (sqlite3_step(q) != SQLITE_DONE) {
		sqlite3_finalize(q);
		return fail(db, "insert");
	}
	sqlite3_finalize(q);
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		return fail(db, "commit");
	if (sqlite3_close(db) != SQLITE_OK)
		return fail(db, "close");
	return 0;
}

static int
floor_print(sqlite3 *db, const char *sql, const char *kind,
    sqlite3_int64 horizon)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(q, 1, horizon);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const unsigned char *acc = sqlite3_column_text(q, 4);

		printf("%lld  %-14s #%-5lld %-10s %s%s%s\n",
		    (long long)sqlite3_column_int64(q, 1), kind,
		    (long long)sqlite3_column_int64(q, 0),
		    (const char *)sqlite3_column_text(q, 2),
		    (const char *)sqlite3_column_text(q, 3),
		    acc != NULL ? " - " : "",
		    acc != NULL ? (const char *)acc : "");
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int
floor_read(const char *path, long days)
{
	static const char promises[] =
	    "SELECT p.id, p.due_at, p.owner, p.text, a.name FROM promises p "
	    "JOIN accounts a ON a.id = p.account_id "
	    "WHERE p.state = 'open' AND p.due_at < ?1 "
	    "ORDER BY p.due_at, p.id";
	static const char followups[] =
	    "SELECT f.id, f.remind_at, f.owner, f.text, a.name "
	    "FROM followups f LEFT JOIN accounts a ON a.id = f.account_id "
	    "WHERE f.state = 'pending' AND f.remind_at < ?1 "
	    "UNION ALL "
	    "SELECT f.id, f.remind_at, f.owner, f.text, a.name "
	    "FROM followups f LEFT JOIN accounts a ON a.id = f.account_id "
	    "WHERE f.state = 'notified' AND f.remind_at < ?1 "
	    "ORDER BY 2, 1";
	sqlite3 *db = NULL;
	sqlite3_int64 horizon = (sqlite3_int64)time(NULL) + days * 86400;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
		return fail(db, path);
	sqlite3_busy_timeout(db, 30000);
	if (floor_print(db, followups, "followup", horizon) != 0 ||
	    floor_print(db, promises, "promise.due", horizon) != 0)
		return fail(db, "select");
	sqlite3_close(db);
	return fflush(stdout) == 0 ? 0 : 1;
}

int
main(int argc, char **argv)
{
	char *end;
	long days = 7;

	if (argc >= 3 && strcmp(argv[1], "write") == 0 && argc == 3)
		return floor_write(argv[2]);
	if (argc >= 3 && strcmp(argv[1], "read") == 0 && argc <= 4) {
		if (argc == 4) {
			days = strtol(argv[3], &end, 10);
			if (*end != '\0' || days < 1 || days > 3660) {
				fprintf(stderr, "floor_db: bad DAYS '%s'\n",
				    argv[3]);
				return 2;
			}
		}
		return floor_read(argv[2], days);
	}
	fprintf(stderr, "usage: floor_db write DB | floor_db read DB [DAYS]\n");
	return 2;
}
