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
#include <stdlib.h>      /* free() in STORE_DEF_ROW_TYPE */
#include <string.h>      /* memset() in STORE_DEF_ROW_TYPE */

/* store_open flags */
#define STORE_DURABLE  0x01 /* synchronous=FULL: an acknowledged write is on disk */
#define STORE_READONLY 0x02 /* never create, never migrate, never write */
#define STORE_NO_MIGRATE 0x04 /* open as found (tests, `db check`) */
#define STORE_EXISTING 0x08 /* to read: never create, never migrate */

/* store_open's refusals, besides -1 (it failed): */
#define STORE_NOT_NUDGE (-2) /* not a nudge database: left as it was */
#define STORE_NONE (-3)      /* STORE_EXISTING: no database there yet */

struct store;

/*
 * Open (creating if needed) the database at path, set WAL, busy_timeout and
 * foreign keys, and migrate it to the latest schema unless told not to.
 * A database from a newer nudge is refused.  New files are created 0660 so
 * members of the nudge group can share it.  A file that is not a nudge
 * database (lib/store_ident.h) is refused before anything is written:
 * STORE_NOT_NUDGE.  With STORE_EXISTING, a missing or empty file is
 * STORE_NONE and a schema older than this binary's is refused (-1):
 * reading never makes or upgrades a database.
 */
int store_open(const char *path, unsigned flags, struct store **out,
    char **errp);
void store_close(struct store *st);

sqlite3 *store_db(struct store *st);
const char *store_path(const struct store *st);
/* Who the events written on this connection say acted (NULL or "": the
 * process's login name), such as "anna (link)" for an action link's. */
void store_set_actor(struct store *st, const char *actor);
const char *store_actor(const struct store *st);

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
 * The values of a statement's parameters ?1, ?2, ... in order, for
 * store_exec(): STORE_INT(v); STORE_TEXT(s), NULL when s is; STORE_OPT(v,
 * present), NULL unless present.  STORE_ARGS(...) is the array and its
 * length.
 */
struct store_arg {
	enum { STORE_ARG_NULL, STORE_ARG_INT, STORE_ARG_TEXT } type;
	int64_t i;
	const char *s;
};
#define STORE_INT(v) ((struct store_arg){ STORE_ARG_INT, (int64_t)(v), NULL })
#define STORE_TEXT(t) ((struct store_arg){ STORE_ARG_TEXT, 0, (t) })
#define STORE_OPT(v, present) ((struct store_arg){ \
	(present) ? STORE_ARG_INT : STORE_ARG_NULL, (int64_t)(v), NULL })
#define STORE_ARGS(...) (const struct store_arg[]){ __VA_ARGS__ }, \
	sizeof((const struct store_arg[]){ __VA_ARGS__ }) / \
	sizeof(struct store_arg)

/* store_stmt() of sql with the n values of args bound to ?1, ?2, ...
 * (STORE_ARG_NULL ones left NULL); NULL when it could not be prepared. */
sqlite3_stmt *store_stmt_args(struct store *st, const char *sql,
    const struct store_arg *args, size_t n, char **errp);

/* store_exec_stmt() of sql with the n values of args bound:
 * store_exec(st, SQL_X, STORE_ARGS(STORE_INT(id), STORE_TEXT(s)), errp). */
int store_exec(struct store *st, const char *sql,
    const struct store_arg *args, size_t n, char **errp);

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

/* Bind text; NULL binds NULL.  When the copy cannot be made (no
 * memory), the next store_exec_stmt(), store_rows(), store_row() or
 * store_int() of the statement refuses to run it: "out of memory". */
int store_bind_text(sqlite3_stmt *stmt, int idx, const char *text);

/* The same for a fill callback (below): sets *oom when a column that is
 * not NULL could not be copied, so the callback checks once at its end. */
char *store_column_dup(sqlite3_stmt *stmt, int col, int *oom);

/*
 * Reading rows into structs, the one way the model files do it.  A row
 * type says how: `fill` reads the current row of a statement into an
 * element whose fields it all sets (the element holds garbage before);
 * it returns 0, or -1 when out of memory, and then leaves the element
 * for `clear`, which frees what fill allocated (not the element).
 */
struct store_row_type {
	size_t size;                            /* of one element */
	int (*fill)(sqlite3_stmt *q, void *row);
	void (*clear)(void *row);
	const char *noun;  /* "deal": "no deal with id 7", "reading deal" */
	const char *list;  /* "listing deals": store_rows()'s error */
};

/* A growing array of elements of one row type: n of them at v, room for
 * cap.  Start it zeroed; hand v and n on to the caller as its list. */
struct store_rows {
	void *v;
	size_t n, cap;
};

/*
 * Step q to its end, appending each row to rows through t->fill; the
 * room doubles when full (16 at first).  No allocation but that growth:
 * the daemon's claiming reads its batches through this.  0, or -1 with
 * "<t->list>: <sqlite message>" or "out of memory": then every element
 * of rows, those there before too, is cleared and freed and rows is
 * zeroed.  q is reset either way; a NULL q (store_stmt() failed, its
 * error stands) returns -1.
 */
int store_rows(struct store *st, sqlite3_stmt *q,
    const struct store_row_type *t, struct store_rows *rows, char **errp);
/*
 * A model's columns written once: lib/<model>.def defines an X-macro list
 * NAME(COL, LAST) of rows COL(kind, field, "SQL expression") in SELECT
 * order, the last one LAST(...); kind is I64 (int64_t), INT (int) or
 * TEXT (char *, a copy; NULL for NULL).  STORE_DEF_SELECT(NAME) is the
 * SELECT list ("a, b, c "), and STORE_DEF_ROW_TYPE(name, NAME, type,
 * noun, list) the row type name reading it into a type, with
 * name_read(q, first, row), which reads the columns from first on.  A
 * model may give its rows more columns after these (promise.def and
 * followup.def: how each is written as JSON and its key, for
 * JSONOUT_DEF_ in lib/jsonout.h): the macros here pass them over.
 */
#define STORE_DEF_SQL_(kind, field, sql, ...) sql ", "
#define STORE_DEF_SQL_LAST_(kind, field, sql, ...) sql " "
#define STORE_DEF_SELECT(def) def(STORE_DEF_SQL_, STORE_DEF_SQL_LAST_)
/* How many columns def has: an integer constant expression. */
#define STORE_DEF_ONE_(...) 1 +
#define STORE_DEF_NCOLS(def) (def(STORE_DEF_ONE_, STORE_DEF_ONE_) 0)
#define STORE_DEF_GET_I64(q, c, oom) sqlite3_column_int64(q, c)
#define STORE_DEF_GET_INT(q, c, oom) sqlite3_column_int(q, c)
#define STORE_DEF_GET_TEXT(q, c, oom) store_column_dup(q, c, oom)
#define STORE_DEF_READ_(kind, field, sql, ...) \
	r->field = STORE_DEF_GET_##kind(q, c++, &oom);
#define STORE_DEF_FREE_I64(v)
#define STORE_DEF_FREE_INT(v)
#define STORE_DEF_FREE_TEXT(v) free(v);
#define STORE_DEF_FREE_(kind, field, sql, ...) \
	STORE_DEF_FREE_##kind(r->field)
#define STORE_DEF_ROW_TYPE(name, def, type, noun, list)                    \
	static int name##_read(sqlite3_stmt *q, int c, type *r)             \
	{                                                                    \
		int oom = 0;                                                 \
		memset(r, 0, sizeof(*r));                                    \
		def(STORE_DEF_READ_, STORE_DEF_READ_)                        \
		return oom ? -1 : 0;                                         \
	}                                                                    \
	static int name##_fill(sqlite3_stmt *q, void *row)                  \
	{                                                                    \
		return name##_read(q, 0, row);                               \
	}                                                                    \
	static void name##_clear(void *row)                                  \
	{                                                                    \
		type *r = row;                                               \
		if (r == NULL)                                               \
			return;                                              \
		def(STORE_DEF_FREE_, STORE_DEF_FREE_)                        \
		memset(r, 0, sizeof(*r));                                    \
	}                                                                    \
	static const struct store_row_type name = {                          \
		sizeof(type), name##_fill, name##_clear, noun, list,         \
	}
/* A model's public clear (frees a row's copies and zeroes it; a NULL
 * row is none) and list free (clears each of a list's n rows, frees the list),
 * of its row type rows. */
#define STORE_DEF_CLEAR_FREE(rows, type, clear, list_free)                 \
	void clear(type *row)                                                \
	{                                                                    \
		rows##_clear(row);                                           \
	}                                                                    \
	void list_free(type *v, size_t n)                                    \
	{                                                                    \
		store_rows_free(&rows, v, n);                                \
	}

/* Clear each of the n elements of v and free v (a list's _free()). */
void store_rows_free(const struct store_row_type *t, void *v, size_t n);
/*
 * The rows of sql with the n values of args bound (as store_exec()'s) as
 * a new list: its address in *(T **)out, its length in *n, the caller's
 * to free (store_rows_free()).  Both are zeroed first; -1 with
 * store_rows()'s errors leaves them so.
 */
int store_list(struct store *st, const char *sql, const struct store_arg *args,
    size_t nargs, const struct store_row_type *t, void *out, size_t *n,
    char **errp);

/*
 * Step q once: 1 with the row in *row, 0 when there is none (*row
 * zeroed), -1 with "reading <t->noun>: <sqlite message>" or "out of
 * memory" (*row cleared and zeroed).  q is reset; a NULL q returns -1.
 */
int store_row(struct store *st, sqlite3_stmt *q,
    const struct store_row_type *t, void *row, char **errp);
/* The row of sql (its only parameter ?1 = id) into *row: 0, or -1 with
 * "no <t->noun> with id <id>" when there is none, or store_row()'s
 * errors.  *row is zeroed on failure. */
int store_row_by_id(struct store *st, const char *sql, int64_t id,
    const struct store_row_type *t, void *row, char **errp);

/*
 * Step q once and read column 0 as an integer (count(*), min(...), an
 * id): 0 with *v the value, or 0 when there is no row or it is NULL,
 * and *found (unless found is NULL) 1 when there was a value; -1 with
 * "<what>: <sqlite message>" (*v, *found 0).  q is reset; a NULL q
 * returns -1.
 */
int store_int(struct store *st, sqlite3_stmt *q, int64_t *v, int *found,
    const char *what, char **errp);
/* Column 0 of sql's rows (the nargs values of args bound as
 * store_exec()'s) as integers into ids, at most max of them: 0 with *n
 * how many, or -1 with "<what>: <sqlite message>" (*n 0). */
int store_ids(struct store *st, const char *sql, const struct store_arg *args,
    size_t nargs, int64_t *ids, size_t max, size_t *n, const char *what,
    char **errp);

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
