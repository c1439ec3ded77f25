/*
 * The SQLite store: one connection, its pragmas, transactions and a cache of
 * prepared statements.  Model modules (deal.c, promise.c, ...) keep their SQL
 * text next to the code that uses it and get prepared statements from here.
 * There is no global handle: a struct store * is passed in.
 */
#ifndef NUDGE_STORE_H
#define NUDGE_STORE_H

#include <jansson.h>
#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

/* store_open flags */
#define STORE_DURABLE  0x01 /* synchronous=FULL: an acknowledged write is on disk */
#define STORE_READONLY 0x02 /* never create, never migrate, never write */
#define STORE_NO_MIGRATE 0x04 /* open as found (tests, `db check`) */

struct store;

/*
 * Open (creating if needed) the database at path, set WAL, busy_timeout and
 * foreign keys, and migrate it to the latest schema unless told not to.
 * A database from a newer nudge is refused.  New files are created 0660 so
 * members of the nudge group can share it.
 */
int store_open(const char *path, unsigned flags, struct store **out,
    char **errp);
void store_close(struct store *st);

sqlite3 *store_db(struct store *st);
const char *store_path(const struct store *st);

/* BEGIN IMMEDIATE (takes the write lock up front, so no deadlock-on-upgrade
 * SQLITE_BUSY can surface mid-transaction), COMMIT, ROLLBACK. */
int store_begin(struct store *st, char **errp);
int store_commit(struct store *st, char **errp);
void store_rollback(struct store *st);
/* A savepoint inside the transaction: what was written before it is kept
 * (store_mark_keep() then commit) even when what follows is undone
 * (store_mark_undo()). */
int store_mark(struct store *st, char **errp);
int store_mark_keep(struct store *st, char **errp);
int store_mark_undo(struct store *st, char **errp);

/*
 * A prepared statement for `sql`, which must be a string with static
 * storage: it is cached by address, prepared once per connection, and
 * returned reset with bindings cleared.  The store owns it.
 */
sqlite3_stmt *store_stmt(struct store *st, const char *sql, char **errp);

/* Step a statement that returns no rows (INSERT/UPDATE/DELETE). */
int store_exec_stmt(struct store *st, sqlite3_stmt *stmt, char **errp);

/*
 * Statements over a batch of rows: one statement for up to STORE_BATCH
 * rows costs far less than a statement each (nudged's burst: 4 us per
 * delivery).  STORE_PARAMS_BATCH is that many anonymous parameters, for
 * `id IN (...)`; STORE_ROWS3_BATCH that many (?, ?, ?) rows for VALUES.
 * Parameters a batch does not need stay NULL: IN never matches NULL, and
 * a VALUES row of NULLs is filtered out by the statement.
 */
#define STORE_BATCH 64
#define STORE_P8_ "?, ?, ?, ?, ?, ?, ?, ?"
#define STORE_P64_ STORE_P8_ ", " STORE_P8_ ", " STORE_P8_ ", " \
	STORE_P8_ ", " STORE_P8_ ", " STORE_P8_ ", " STORE_P8_ ", " STORE_P8_
#define STORE_PARAMS_BATCH STORE_P64_
#define STORE_R8_ "(?, ?, ?), (?, ?, ?), (?, ?, ?), (?, ?, ?), " \
	"(?, ?, ?), (?, ?, ?), (?, ?, ?), (?, ?, ?)"
#define STORE_ROWS3_BATCH STORE_R8_ ", " STORE_R8_ ", " STORE_R8_ ", " \
	STORE_R8_ ", " STORE_R8_ ", " STORE_R8_ ", " STORE_R8_ ", " STORE_R8_

/* store_stmt() for a batched statement, which must have nparams
 * parameters (an error otherwise). */
sqlite3_stmt *store_stmt_batch(struct store *st, const char *sql,
    int nparams, char **errp);
/* Runs sql, whose ?1 is `now` followed by STORE_PARAMS_BATCH, over the
 * n ids in batches. */
int store_exec_ids(struct store *st, const char *sql, int64_t now,
    const int64_t *ids, size_t n, char **errp);

/* err_set() with the connection's current error message appended. */
int store_err(struct store *st, char **errp, const char *what);

/* Bind helpers: NULL text / negative-or-zero optional ints bind NULL. */
int store_bind_text(sqlite3_stmt *stmt, int idx, const char *text);
int store_bind_opt_int64(sqlite3_stmt *stmt, int idx, int64_t v, int present);

/* Column text copied with strdup (NULL stays NULL); caller frees. */
char *store_column_strdup(sqlite3_stmt *stmt, int col);
/* Whether a copy by store_column_strdup() failed (out of memory) since
 * the last call: then 1, with the message in *errp.  A reader calls it
 * after its rows, so that a field lost is an error, not a NULL. */
int store_column_lost(char **errp);

/*
 * Online backup to a new file at path (refused if it exists): a consistent
 * copy even while the daemon writes, taken in steps so writers are never
 * blocked for long.
 */
int store_backup(struct store *st, const char *path, char **errp);

/* Append to the JSON array `problems` the lines of PRAGMA
 * integrity_check that are not "ok", and a line for each reference to a
 * missing row (foreign_key_check). */
int store_problems(struct store *st, json_t *problems, char **errp);

/* SQLite's memory statistics take a global mutex around every
 * allocation; a process that never reads them turns them off, before
 * its first store_open() (process-wide). */
void store_skip_memstatus(void);

/* The schema version of the open database. */
int store_schema_version(struct store *st, int *version, char **errp);

#endif
