/*
 * Shared by the unit tests that need a configuration and a real SQLite
 * store (test_rules.c, test_schedule.c, test_import.c, test_delivery.c,
 * test_report.c, test_promise.c, test_store.c): a temporary directory
 * holding nudge.conf (written from text) and nudge.db, local wall times,
 * row counts and follow-up look-ups by their occurrence key.  Include
 * after <cmocka.h>.  Everything is static inline: a test file uses what
 * it needs.
 */
#ifndef NUDGE_TEST_UNIT_DB_H
#define NUDGE_TEST_UNIT_DB_H

#include <dirent.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "followup.h"
#include "promise.h"
#include "store.h"
#include "timeutil.h"

/* Run a lib call that takes `&err`; fail the test with its message. */
#ifndef SE
#define SE "Europe/Stockholm"
#define NY "America/New_York"
#endif

#define OK(call)                                                            \
	do {                                                                \
		char *err = NULL;                                           \
		if ((call) != 0)                                            \
			fail_msg("%s: %s", #call, err ? err : "(no message)"); \
	} while (0)

struct udb {
	char dir[64], conf[128], db[128];
	struct config *cfg;
	struct store *st;
};

/* The configuration several tests start from: a log channel, anna in
 * Stockholm and bo in New York, both working 08:00-17:00.  A test may
 * append to it (rules, say) by writing a string literal after it. */
#define UDB_CONF_ANNA_BO                                                    \
	"timezone = \"Europe/Stockholm\";\n"                               \
	"channels = ( { name = \"log\"; type = \"log\"; } );\n"             \
	"people = (\n"                                                      \
	"  { handle = \"anna\"; timezone = \"Europe/Stockholm\";\n"         \
	"    hours = \"08:00-17:00\"; },\n"                                 \
	"  { handle = \"bo\"; timezone = \"America/New_York\";\n"           \
	"    hours = \"08:00-17:00\"; }\n"                                  \
	");\n"

/* A new directory /tmp/nudge-test-<what>-XXXXXX into dir (n bytes); 0, or
 * -1 with dir emptied. */
static inline int
udb_tempdir(char *dir, size_t n, const char *what)
{
	snprintf(dir, n, "/tmp/nudge-test-%s-XXXXXX", what);
	if (mkdtemp(dir) != NULL)
		return 0;
	dir[0] = '\0';
	return -1;
}

/* Remove dir with all the files it holds (a database's -wal and -shm
 * files too); nothing when dir is empty. */
static inline void
udb_rmdir(const char *dir)
{
	struct dirent *e;
	DIR *d;

	if (dir[0] == '\0' || (d = opendir(dir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			unlinkat(dirfd(d), e->d_name, 0);
	closedir(d);
	rmdir(dir);
}

/* Write `text` to path and load it into *cfg (replacing one loaded). */
static inline int
udb_config(const char *path, const char *text, struct config **cfg)
{
	char *err = NULL;
	FILE *f;

	if ((f = fopen(path, "w")) == NULL)
		return -1;
	fputs(text, f);
	if (fclose(f) != 0)
		return -1;
	config_free(*cfg);
	*cfg = NULL;
	if (config_load(path, cfg, &err) != 0) {
		print_error("config_load: %s\n", err);
		free(err);
		return -1;
	}
	return 0;
}

/* Write `text` as the configuration and load it (replacing one loaded). */
static inline int
udb_load(struct udb *u, const char *text)
{
	return udb_config(u->conf, text, &u->cfg);
}

/* A new directory /tmp/nudge-test-<what>-XXXXXX and the paths of the
 * configuration and store in it, neither written nor opened yet; NULL on
 * failure. */
static inline struct udb *
udb_dir(const char *what)
{
	struct udb *u = calloc(1, sizeof(*u));

	if (u == NULL || udb_tempdir(u->dir, sizeof(u->dir), what) != 0) {
		free(u);
		return NULL;
	}
	snprintf(u->conf, sizeof(u->conf), "%s/nudge.conf", u->dir);
	snprintf(u->db, sizeof(u->db), "%s/nudge.db", u->dir);
	return u;
}

/* udb_dir() with the configuration `text` and an empty, migrated store;
 * NULL on failure. */
static inline struct udb *
udb_open(const char *what, const char *text)
{
	struct udb *u = udb_dir(what);
	char *err = NULL;

	if (u == NULL)
		return NULL;
	if (udb_load(u, text) != 0)
		goto fail;
	if (store_open(u->db, 0, &u->st, &err) != 0) {
		print_error("store_open: %s\n", err);
		free(err);
		goto fail;
	}
	return u;
fail:
	config_free(u->cfg);
	udb_rmdir(u->dir);
	free(u);
	return NULL;
}

/* Close the store and remove the directory with all it holds. */
static inline void
udb_close(struct udb *u)
{
	if (u != NULL) {
		store_close(u->st);
		config_free(u->cfg);
		udb_rmdir(u->dir);
		free(u);
	}
}

/* A cmocka teardown for a udb in *state. */
static inline int
udb_teardown(void **state)
{
	udb_close(*state);
	return 0;
}

/* One integer from a query with optional text parameter ?1 (NULL: none). */
static inline int64_t
udb_int(struct store *st, const char *sql, const char *param)
{
	sqlite3_stmt *q = NULL;
	int64_t v = -1;

	if (sqlite3_prepare_v2(store_db(st), sql, -1, &q, NULL) != SQLITE_OK)
		fail_msg("prepare %s: %s", sql, sqlite3_errmsg(store_db(st)));
	if (param != NULL)
		sqlite3_bind_text(q, 1, param, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(q) == SQLITE_ROW)
		v = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return v;
}

/* Rows in `table` (a name from the test, never from input). */
static inline int64_t
udb_count(struct store *st, const char *table)
{
	char sql[128];

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", table);
	return udb_int(st, sql, NULL);
}

/* The follow-up with occurrence key `occ` into *f (cleared by the caller
 * with followup_clear()); 0 when there is none. */
static inline int
udb_followup(struct store *st, const char *occ, struct followup *f)
{
	int64_t id = udb_int(st,
	    "SELECT id FROM followups WHERE occurrence = ?1", occ);

	memset(f, 0, sizeof(*f));
	if (id <= 0)
		return 0;
	OK(followup_get(st, id, f, &err));
	return 1;
}

/* Insert a promise of owner to Acme, inside the caller's transaction;
 * promised_to may be NULL.  Returns its id. */
static inline int64_t
udb_add_promise(struct store *st, const char *owner, const char *text,
    const char *promised_to, time_t made, time_t due, time_t target)
{
	struct promise p;

	memset(&p, 0, sizeof(p));
	p.text = (char *)text;
	p.owner = (char *)owner;
	p.account = "Acme";
	p.promised_to = (char *)promised_to;
	p.made_at = made;
	p.due_at = due;
	p.target_at = target;
	OK(promise_insert(st, &p, made, &err));
	free(p.state);
	return p.id;
}

/* A local wall time in zone. */
static inline time_t
udb_local(const char *zone, int y, int mo, int d, int h, int mi)
{
	time_t t = 0;

	if (timeutil_make_local(zone, y, mo, d, h, mi, 0, &t) != 0)
		fail_msg("no %d-%02d-%02d %02d:%02d in %s", y, mo, d, h, mi,
		    zone);
	return t;
}

/* A local wall time: year, month, day, hour, minute; all zeros: no
 * moment. */
struct udb_wall {
	int y, mo, d, h, mi;
};

/* w in zone as a moment (udb_local); 0 for no moment. */
static inline time_t
udb_wall(const char *zone, struct udb_wall w)
{
	return w.y == 0 ? 0 : udb_local(zone, w.y, w.mo, w.d, w.h, w.mi);
}

/* got == want, or fail showing both as local times in zone. */
#define udb_expect_moment(what, zone, got, want)                            \
	udb_expect_moment_at(__FILE__, __LINE__, what, zone, got, want)
static inline void
udb_expect_moment_at(const char *file, int line, const char *what,
    const char *zone, int64_t got, int64_t want)
{
	char g[TIMEUTIL_ISO_MAX], w[TIMEUTIL_ISO_MAX];

	if (got == want)
		return;
	timeutil_format_iso((time_t)got, zone, g, sizeof(g));
	timeutil_format_iso((time_t)want, zone, w, sizeof(w));
	print_error("%s:%d: %s: got %s (%lld), want %s (%lld)\n", file, line,
	    what, g, (long long)got, w, (long long)want);
	fail();
}

#endif
