#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "migrate.h"
#include "store_ident.h"

/* Enough for every distinct statement the binaries use; a linear search
 * over this many pointers costs less than one sqlite3_step. */
#define STORE_STMT_CACHE 96

/* How long a writer waits for another writer before SQLITE_BUSY.  Writes
 * are short (one CLI command, one scheduler batch), so this only matters
 * under heavy contention, and then waiting beats failing. */
#define STORE_BUSY_TIMEOUT_MS 30000

struct store_cached {
	const char *sql;
	sqlite3_stmt *stmt;
};

/* The statement whose text parameter could not be bound (no memory),
 * until it is fetched again or a step of it (store_exec_stmt(),
 * store_rows(), store_row(), store_int()) refuses it. */
static _Thread_local sqlite3_stmt *store_bind_failed;

/* -1 with "out of memory" when q is the statement store_bind_text() could
 * not bind: run, its parameter would read as NULL (a write would store
 * it, a filter "owner = ?" or "?1 IS NULL OR ..." would match nothing or
 * everyone). */
static int
store_bind_refused(sqlite3_stmt *q, char **errp)
{
	if (q == NULL || store_bind_failed != q)
		return 0;
	store_bind_failed = NULL;
	return err_set(errp, "out of memory");
}

struct store {
	sqlite3 *db;
	char *path;
	char actor[64];         /* events' actor; "": the login name */
	struct store_cached cache[STORE_STMT_CACHE];
	int ncache;
};

static int
store_pragma(struct store *st, const char *sql, char **errp)
{
	char *msg = NULL;

	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		err_set(errp, "%s: %s: %s", st->path, sql,
		    msg != NULL ? msg : sqlite3_errmsg(st->db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/*
 * Create the file ourselves with mode 0660 before SQLite opens it: SQLite
 * would create it 0644 (minus umask) and group members could not write.
 */
static int
store_create_file(const char *path, char **errp)
{
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0660);
	if (fd < 0) {
		if (errno == EEXIST)
			return 0;
		return err_set(errp, "%s: cannot create database: %s", path,
		    strerror(errno));
	}
	close(fd);
	return 0;
}

/* STORE_EXISTING found nothing to read: say how a database is made. */
static int
store_none(const char *path, char **errp)
{
	err_set(errp, "%s: no nudge database here yet: `nudge db migrate` "
	    "makes one (so does nudged when it starts, or any command that "
	    "writes)", path);
	return STORE_NONE;
}

/*
 * Before anything is written (journal mode, migrations): a file that is
 * not nudge's is refused as it is, and STORE_EXISTING takes only a
 * database at this binary's schema.
 */
static int
store_check_ident(struct store *st, unsigned flags, char **errp)
{
	enum store_ident what;
	const char *why;
	int version;

	if (store_ident(st->db, &what, &version, &why, errp) != 0)
		return err_prefix(errp, "%s", st->path);
	if (what == STORE_IDENT_FOREIGN) {
		/* Not even the last writer's WAL goes into it on close. */
		sqlite3_db_config(st->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1,
		    NULL);
		err_set(errp, "%s is %s: nudge leaves it as it is (is -d, or "
		    "'database' in the configuration, the right file?)",
		    st->path, why);
		return STORE_NOT_NUDGE;
	}
	if (!(flags & STORE_EXISTING))
		return 0;
	if (what == STORE_IDENT_EMPTY)
		return store_none(st->path, errp);
	if (version < migrate_latest())
		return err_set(errp, "%s: schema version %d is older than "
		    "this nudge's (%d): `nudge db migrate` upgrades it (nudged "
		    "does when it starts)", st->path, version,
		    migrate_latest());
	if (version > migrate_latest())
		return err_set(errp, "%s: schema version %d is newer than "
		    "this nudge understands (%d): upgrade nudge", st->path,
		    version, migrate_latest());
	return 0;
}

int
store_open(const char *path, unsigned flags, struct store **out, char **errp)
{
	struct store *st = NULL;
	int oflags, rc, refused = -1;

	*out = NULL;
	if ((st = calloc(1, sizeof(*st))) == NULL ||
	    (st->path = strdup(path)) == NULL) {
		free(st);
		return err_set(errp, "out of memory");
	}
	if (flags & STORE_READONLY) {
		oflags = SQLITE_OPEN_READONLY;
		if (access(path, R_OK) != 0) {
			err_set(errp, "%s: cannot open database: %s", path,
			    strerror(errno));
			goto fail;
		}
	} else if (flags & STORE_EXISTING) {
		oflags = SQLITE_OPEN_READWRITE;
		if (access(path, F_OK) != 0) {
			refused = store_none(path, errp);
			goto fail;
		}
	} else {
		oflags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
		if (store_create_file(path, errp) != 0)
			goto fail;
	}
	rc = sqlite3_open_v2(path, &st->db, oflags | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		err_set(errp, "%s: cannot open database: %s", path,
		    st->db != NULL ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc));
		goto fail;
	}
	sqlite3_extended_result_codes(st->db, 1);
	/* busy_timeout first: switching to WAL itself needs a lock. */
	sqlite3_busy_timeout(st->db, STORE_BUSY_TIMEOUT_MS);
	if ((rc = store_check_ident(st, flags, errp)) != 0) {
		refused = rc;
		goto fail;
	}
	if (!(flags & STORE_READONLY) &&
	    store_pragma(st, "PRAGMA journal_mode = WAL", errp) != 0)
		goto fail;
	if (store_pragma(st, "PRAGMA foreign_keys = ON", errp) != 0)
		goto fail;
	/*
	 * In WAL mode synchronous=NORMAL can lose the last commits on power
	 * loss (never corrupts).  The CLI acknowledges writes to people, so
	 * it uses FULL: the WAL is fsynced at every commit.  The daemon's own
	 * bookkeeping (attempts, heartbeats) is redone after a crash anyway.
	 */
	if (store_pragma(st, (flags & STORE_DURABLE) ?
	    "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL",
	    errp) != 0)
		goto fail;
	if (!(flags & (STORE_READONLY | STORE_NO_MIGRATE)) &&
	    migrate_to(st->db, migrate_latest(), NULL, errp) != 0) {
		err_prefix(errp, "%s", path);
		goto fail;
	}
	*out = st;
	return 0;
fail:
	store_close(st);
	return refused;
}

void
store_close(struct store *st)
{
	int i;

	if (st == NULL)
		return;
	for (i = 0; i < st->ncache; i++)
		sqlite3_finalize(st->cache[i].stmt);
	sqlite3_close(st->db);
	free(st->path);
	free(st);
}

sqlite3 *
store_db(struct store *st)
{
	return st->db;
}

const char *
store_path(const struct store *st)
{
	return st->path;
}

void
store_set_actor(struct store *st, const char *actor)
{
	snprintf(st->actor, sizeof(st->actor), "%s", actor != NULL ? actor :
	    "");
}

const char *
store_actor(const struct store *st)
{
	return st->actor[0] != '\0' ? st->actor : NULL;
}

int
store_err(struct store *st, char **errp, const char *what)
{
	return err_set(errp, "%s: %s", what, sqlite3_errmsg(st->db));
}

/* Prepared once like any statement: the daemon begins and commits
 * thousands of transactions a second in a burst, and sqlite3_exec()
 * parsed the text every time. */
static const char SQL_BEGIN[] = "BEGIN IMMEDIATE";
static const char SQL_COMMIT[] = "COMMIT";
static const char SQL_ROLLBACK[] = "ROLLBACK";
static const char SQL_SAVEPOINT[] = "SAVEPOINT store_mark";
static const char SQL_RELEASE[] = "RELEASE store_mark";
static const char SQL_ROLLBACK_TO[] = "ROLLBACK TO store_mark";

static int
store_step_once(struct store *st, const char *sql)
{
	sqlite3_stmt *q = store_stmt(st, sql, NULL);
	int rc;

	if (q == NULL)
		return sqlite3_exec(st->db, sql, NULL, NULL, NULL);
	rc = sqlite3_step(q);
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* One of the statements above; on failure, what was being done. */
static int
store_run(struct store *st, const char *sql, const char *what,
    char **errp)
{
	if (store_step_once(st, sql) != SQLITE_OK)
		return store_err(st, errp, what);
	return 0;
}

int
store_begin(struct store *st, char **errp)
{
	return store_run(st, SQL_BEGIN, "starting transaction", errp);
}

int
store_commit(struct store *st, char **errp)
{
	if (store_step_once(st, SQL_COMMIT) != SQLITE_OK) {
		store_err(st, errp, "committing");
		store_rollback(st);
		return -1;
	}
	return 0;
}

void
store_rollback(struct store *st)
{
	if (!sqlite3_get_autocommit(st->db))
		store_step_once(st, SQL_ROLLBACK);
}

int
store_mark(struct store *st, char **errp)
{
	return store_run(st, SQL_SAVEPOINT, "setting a savepoint", errp);
}

int
store_mark_keep(struct store *st, char **errp)
{
	return store_run(st, SQL_RELEASE, "releasing a savepoint", errp);
}

int
store_mark_undo(struct store *st, char **errp)
{
	if (store_run(st, SQL_ROLLBACK_TO, "rolling back to a savepoint",
	    errp) != 0)
		return -1;
	return store_mark_keep(st, errp);
}

sqlite3_stmt *
store_stmt(struct store *st, const char *sql, char **errp)
{
	sqlite3_stmt *stmt = NULL;
	int i;

	for (i = 0; i < st->ncache; i++) {
		if (st->cache[i].sql == sql) {
			stmt = st->cache[i].stmt;
			if (store_bind_failed == stmt)
				store_bind_failed = NULL;
			sqlite3_reset(stmt);
			sqlite3_clear_bindings(stmt);
			return stmt;
		}
	}
	if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
	    &stmt, NULL) != SQLITE_OK) {
		store_err(st, errp, "preparing statement");
		return NULL;
	}
	/* A statement at the address of one that failed and is gone. */
	if (store_bind_failed == stmt)
		store_bind_failed = NULL;
	if (st->ncache < STORE_STMT_CACHE) {
		st->cache[st->ncache].sql = sql;
		st->cache[st->ncache].stmt = stmt;
		st->ncache++;
	} else {
		/* Not cacheable: would leak, so refuse loudly in development. */
		sqlite3_finalize(stmt);
		err_set(errp, "statement cache full (raise STORE_STMT_CACHE)");
		return NULL;
	}
	return stmt;
}

sqlite3_stmt *
store_stmt_batch(struct store *st, const char *sql, int nparams,
    char **errp)
{
	sqlite3_stmt *q;

	if ((q = store_stmt(st, sql, errp)) == NULL)
		return NULL;
	/* A batch that does not match its SQL would drop rows: binding
	 * past the last parameter fails quietly. */
	if (sqlite3_bind_parameter_count(q) != nparams) {
		err_set(errp, "batched statement has %d parameters, not %d",
		    sqlite3_bind_parameter_count(q), nparams);
		return NULL;
	}
	return q;
}

int
store_exec_ids(struct store *st, const char *sql, int64_t now,
    const int64_t *ids, size_t n, char **errp)
{
	sqlite3_stmt *q;
	size_t i, k;

	for (i = 0; i < n; i += k) {
		if ((q = store_stmt_batch(st, sql, 1 + STORE_BATCH,
		    errp)) == NULL)
			return -1;
		sqlite3_bind_int64(q, 1, now);
		for (k = 0; k < STORE_BATCH && i + k < n; k++)
			sqlite3_bind_int64(q, 2 + (int)k, ids[i + k]);
		if (store_exec_stmt(st, q, errp) != 0)
			return -1;
	}
	return 0;
}

int
store_exec_stmt(struct store *st, sqlite3_stmt *stmt, char **errp)
{
	int rc;

	if (store_bind_refused(stmt, errp) != 0)
		return -1;
	rc = sqlite3_step(stmt);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		store_err(st, errp, "writing");
		sqlite3_reset(stmt);
		return -1;
	}
	sqlite3_reset(stmt);
	return 0;
}

sqlite3_stmt *
store_stmt_args(struct store *st, const char *sql,
    const struct store_arg *args, size_t n, char **errp)
{
	sqlite3_stmt *q;
	size_t i;

	if ((q = store_stmt(st, sql, errp)) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		if (args[i].type == STORE_ARG_INT)
			sqlite3_bind_int64(q, (int)i + 1, args[i].i);
		else if (args[i].type == STORE_ARG_TEXT)
			store_bind_text(q, (int)i + 1, args[i].s);
	}
	return q;
}

int
store_exec(struct store *st, const char *sql, const struct store_arg *args,
    size_t n, char **errp)
{
	sqlite3_stmt *q;

	if ((q = store_stmt_args(st, sql, args, n, errp)) == NULL)
		return -1;
	return store_exec_stmt(st, q, errp);
}

int
store_bind_text(sqlite3_stmt *stmt, int idx, const char *text)
{
	int rc;

	if (text == NULL)
		return sqlite3_bind_null(stmt, idx);
	/* A copy that cannot be made leaves the parameter NULL, and the
	 * step would write that: store_exec_stmt() refuses to run it. */
	if ((rc = sqlite3_bind_text(stmt, idx, text, -1,
	    SQLITE_TRANSIENT)) != SQLITE_OK)
		store_bind_failed = stmt;
	return rc;
}

char *
store_column_dup(sqlite3_stmt *stmt, int col, int *oom)
{
	const unsigned char *t = sqlite3_column_text(stmt, col);
	char *s;

	/* SQLite's own copy of a number as text can fail too. */
	if (t == NULL) {
		if (sqlite3_column_type(stmt, col) != SQLITE_NULL)
			*oom = 1;
		return NULL;
	}
	if ((s = strdup((const char *)t)) == NULL)
		*oom = 1;
	return s;
}

void
store_rows_free(const struct store_row_type *t, void *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		t->clear((char *)v + i * t->size);
	free(v);
}

static void
store_rows_clear(const struct store_row_type *t, struct store_rows *rows)
{
	store_rows_free(t, rows->v, rows->n);
	memset(rows, 0, sizeof(*rows));
}

int
store_rows(struct store *st, sqlite3_stmt *q, const struct store_row_type *t,
    struct store_rows *rows, char **errp)
{
	void *more;
	size_t cap;
	int rc;

	if (q == NULL || store_bind_refused(q, errp) != 0) {
		store_rows_clear(t, rows);
		return -1;
	}
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (rows->n == rows->cap) {
			cap = rows->cap != 0 ? rows->cap * 2 : 16;
			if ((more = reallocarray(rows->v, cap, t->size)) ==
			    NULL)
				goto oom;
			rows->v = more;
			rows->cap = cap;
		}
		/* Counted before it is filled: a half-filled one is cleared
		 * with the rest. */
		if (t->fill(q, (char *)rows->v + rows->n++ * t->size) != 0)
			goto oom;
	}
	sqlite3_reset(q);
	if (rc != SQLITE_DONE) {
		store_err(st, errp, t->list);
		store_rows_clear(t, rows);
		return -1;
	}
	return 0;
oom:
	sqlite3_reset(q);
	store_rows_clear(t, rows);
	return err_set(errp, "out of memory");
}

int
store_list(struct store *st, const char *sql, const struct store_arg *args,
    size_t nargs, const struct store_row_type *t, void *out, size_t *n,
    char **errp)
{
	struct store_rows rows = { NULL, 0, 0 };
	sqlite3_stmt *q;

	/* out is a T **: a pointer's bytes copied, not written through a
	 * void ** (which T ** is not). */
	memcpy(out, &rows.v, sizeof(rows.v));
	*n = 0;
	if ((q = store_stmt_args(st, sql, args, nargs, errp)) == NULL ||
	    store_rows(st, q, t, &rows, errp) != 0)
		return -1;
	memcpy(out, &rows.v, sizeof(rows.v));
	*n = rows.n;
	return 0;
}

int
store_row(struct store *st, sqlite3_stmt *q, const struct store_row_type *t,
    void *row, char **errp)
{
	int rc, filled = 0;

	memset(row, 0, t->size);
	if (q == NULL || store_bind_refused(q, errp) != 0)
		return -1;
	if ((rc = sqlite3_step(q)) == SQLITE_ROW &&
	    (filled = t->fill(q, row)) != 0) {
		t->clear(row);
		memset(row, 0, t->size);
	}
	sqlite3_reset(q);
	if (filled != 0)
		return err_set(errp, "out of memory");
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return err_set(errp, "reading %s: %s", t->noun,
		    sqlite3_errmsg(st->db));
	return 1;
}

int
store_row_by_id(struct store *st, const char *sql, int64_t id,
    const struct store_row_type *t, void *row, char **errp)
{
	sqlite3_stmt *q;
	int rc;

	memset(row, 0, t->size);
	if ((q = store_stmt(st, sql, errp)) == NULL)
		return -1;
	sqlite3_bind_int64(q, 1, id);
	if ((rc = store_row(st, q, t, row, errp)) == 0)
		return err_set(errp, "no %s with id %lld", t->noun,
		    (long long)id);
	return rc < 0 ? -1 : 0;
}

int
store_int(struct store *st, sqlite3_stmt *q, int64_t *v, int *found,
    const char *what, char **errp)
{
	int rc, there = 0;

	*v = 0;
	if (found != NULL)
		*found = 0;
	if (q == NULL || store_bind_refused(q, errp) != 0)
		return -1;
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL) {
		*v = sqlite3_column_int64(q, 0);
		there = 1;
	}
	sqlite3_reset(q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		*v = 0;
		return store_err(st, errp, what);
	}
	if (found != NULL)
		*found = there;
	return 0;
}

int
store_ids(struct store *st, const char *sql, const struct store_arg *args,
    size_t nargs, int64_t *ids, size_t max, size_t *n, const char *what,
    char **errp)
{
	sqlite3_stmt *q;
	int rc = SQLITE_DONE;

	*n = 0;
	if ((q = store_stmt_args(st, sql, args, nargs, errp)) == NULL ||
	    store_bind_refused(q, errp) != 0)
		return -1;
	while (*n < max && (rc = sqlite3_step(q)) == SQLITE_ROW)
		ids[(*n)++] = sqlite3_column_int64(q, 0);
	sqlite3_reset(q);
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return 0;
	*n = 0;
	return store_err(st, errp, what);
}

int
store_schema_version(struct store *st, int *version, char **errp)
{
	return migrate_current(st->db, version, errp);
}

/* Pages copied per step, and the pause between steps while another
 * connection holds the lock. */
#define STORE_BACKUP_PAGES 1024
#define STORE_BACKUP_PAUSE_MS 20

/* A failed backup leaves nothing behind: the file and the rollback
 * journal SQLite may have left beside it. */
static void
store_backup_remove(const char *path)
{
	char journal[PATH_MAX];

	unlink(path);
	if (snprintf(journal, sizeof(journal), "%s-journal", path) <
	    (int)sizeof(journal))
		unlink(journal);
}

int
store_backup(struct store *st, const char *path, char **errp)
{
	sqlite3 *dst = NULL;
	sqlite3_backup *b;
	int fd, rc;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
	if (fd < 0)
		return err_set(errp, "%s: %s", path, errno == EEXIST ?
		    "already exists (a backup never overwrites)" :
		    strerror(errno));
	close(fd);
	if (sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK) {
		err_set(errp, "%s: %s", path, sqlite3_errmsg(dst));
		goto fail;
	}
	if ((b = sqlite3_backup_init(dst, "main", st->db, "main")) == NULL) {
		err_set(errp, "%s: %s", path, sqlite3_errmsg(dst));
		goto fail;
	}
	do {
		rc = sqlite3_backup_step(b, STORE_BACKUP_PAGES);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(STORE_BACKUP_PAUSE_MS);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		err_set(errp, "%s: backup failed: %s", path, sqlite3_errstr(rc));
		goto fail;
	}
	/* A self-contained file: no -wal beside it. */
	if (sqlite3_exec(dst, "PRAGMA journal_mode = DELETE", NULL, NULL,
	    NULL) != SQLITE_OK) {
		err_set(errp, "%s: %s", path, sqlite3_errmsg(dst));
		goto fail;
	}
	sqlite3_close(dst);
	return 0;
fail:
	sqlite3_close(dst);
	store_backup_remove(path);
	return -1;
}

/* Append the lines of PRAGMA integrity_check that are not "ok", and a
 * line for each reference to a missing row (foreign_key_check). */
int
store_problems(struct store *st, json_t *problems, char **errp)
{
	sqlite3_stmt *q = NULL;
	char *line;
	int rc;

	if (sqlite3_prepare_v2(store_db(st), "PRAGMA integrity_check", -1,
	    &q, NULL) != SQLITE_OK)
		return store_err(st, errp, "integrity check");
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *text = (const char *)sqlite3_column_text(q, 0);
		if (text != NULL && strcmp(text, "ok") != 0 &&
		    json_array_append_new(problems, json_string(text)) != 0)
			break;
	}
	sqlite3_finalize(q);
	if (rc == SQLITE_ROW)
		return err_set(errp, "out of memory");
	if (rc != SQLITE_DONE)
		return store_err(st, errp, "integrity check");
	if (sqlite3_prepare_v2(store_db(st), "PRAGMA foreign_key_check", -1,
	    &q, NULL) != SQLITE_OK)
		return store_err(st, errp, "foreign key check");
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (asprintf(&line, "%s row %lld refers to a missing %s row",
		    (const char *)sqlite3_column_text(q, 0),
		    (long long)sqlite3_column_int64(q, 1),
		    (const char *)sqlite3_column_text(q, 2)) < 0)
			break;
		if (json_array_append_new(problems, json_string(line)) != 0) {
			free(line);
			break;
		}
		free(line);
	}
	sqlite3_finalize(q);
	/* A line that could not be made leaves the loop on a row. */
	if (rc == SQLITE_ROW)
		return err_set(errp, "out of memory");
	if (rc != SQLITE_DONE)
		return store_err(st, errp, "foreign key check");
	return 0;
}

void
store_skip_memstatus(void)
{
	(void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
