/* nudge db: explicit schema migration and an integrity check. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "config.h"
#include "migrate.h"
#include "store.h"

/* What a db command does with the database as found: 0, or -1 with
 * *errp. */
typedef int db_step(struct store *st, void *out, char **errp);

/* The configured database (or -d) opened as found, not migrated, for
 * step and closed after it; with must_exist, a missing file is an error
 * instead of a new database.  Exit status. */
static int
db_as_found(struct cli *c, int must_exist, db_step *step, void *out,
    const char **path)
{
	struct store *st = NULL;
	char *err = NULL;
	int rc;

	if ((rc = cli_load_config(c)) != CLI_OK)
		return rc;
	*path = c->db_path != NULL ? c->db_path : c->cfg->database;
	if (must_exist && access(*path, F_OK) != 0) {
		if (asprintf(&err, "%s: no nudge database here yet (%s): "
		    "`nudge db migrate` makes one", *path,
		    strerror(errno)) < 0)
			err = NULL;
		return cli_fail(CLI_FAIL, err);
	}
	if ((rc = store_open(*path, STORE_DURABLE | STORE_NO_MIGRATE, &st,
	    &err)) != 0)
		return cli_fail(rc == STORE_NOT_NUDGE ? CLI_USAGE : CLI_FAIL,
		    err);
	rc = step(st, out, &err);
	store_close(st);
	return rc == 0 ? CLI_OK : cli_fail(CLI_FAIL, err);
}

/* The schema version before and after a migration. */
struct db_versions {
	int from, to;
};

static int
db_migrate_step(struct store *st, void *out, char **errp)
{
	struct db_versions *v = out;

	if (migrate_to(store_db(st), migrate_latest(), &v->from, errp) != 0)
		return -1;
	return store_schema_version(st, &v->to, errp);
}

static int
db_migrate(struct cli *c, const struct cli_args *a)
{
	struct db_versions v;
	const char *path;
	int rc;

	(void)a;
	if ((rc = db_as_found(c, 0, db_migrate_step, &v, &path)) != CLI_OK)
		return rc;
	if (c->json)
		return cli_print_json(json_pack("{s:s, s:i, s:i}", "database",
		    path, "from", v.from, "to", v.to));
	if (v.from == v.to)
		printf("%s: schema version %d, up to date\n", path, v.to);
	else
		printf("%s: migrated schema from version %d to %d\n", path,
		    v.from, v.to);
	return CLI_OK;
}

/* The problems found, into the JSON array *out made for them. */
static int
db_check_step(struct store *st, void *out, char **errp)
{
	json_t **problems = out;

	if ((*problems = json_array()) != NULL &&
	    store_problems(st, *problems, errp) == 0)
		return 0;
	json_decref(*problems);
	if (*errp == NULL)
		*errp = strdup("out of memory");
	return -1;
}

/* The database as found: a check does not migrate it first (a migration
 * refused for a broken reference sends people here). */
static int
db_check(struct cli *c, const struct cli_args *a)
{
	const char *path;
	json_t *problems;
	size_t i;
	int rc, ok;

	(void)a;
	if ((rc = db_as_found(c, 1, db_check_step, &problems, &path)) !=
	    CLI_OK)
		return rc;
	ok = json_array_size(problems) == 0;
	if (c->json) {
		cli_print_json(json_pack("{s:b, s:o}", "ok", ok, "problems",
		    problems));
	} else {
		for (i = 0; i < json_array_size(problems); i++)
			printf("%s\n", json_string_value(
			    json_array_get(problems, i)));
		printf("%s: %s\n", path,
		    ok ? "integrity OK" : "integrity check FAILED");
		json_decref(problems);
	}
	return ok ? CLI_OK : CLI_FAIL;
}

static int
db_backup(struct cli *c, const char *path)
{
	char *err = NULL;
	int rc;

	if ((rc = cli_open(c)) != CLI_OK)
		return rc;
	if (store_backup(c->st, path, &err) != 0)
		return cli_fail(CLI_FAIL, err);
	if (c->json)
		return cli_print_json(json_pack("{s:s, s:s}", "database",
		    store_path(c->st), "backup", path));
	printf("%s: backed up to %s\n", store_path(c->st), path);
	return CLI_OK;
}

static int
db_backup_exec(struct cli *c, const struct cli_args *a)
{
	if (a->arg[0][0] == '\0')
		return cli_usage(a, "db backup: FILE is empty");
	return db_backup(c, a->arg[0]);
}

const struct cli_sub cli_db_subs[] = {
	{ "migrate", NULL, 0, 0, db_migrate, NULL,
	    "apply schema migrations (they also apply by themselves)", NULL },
	{ "check", NULL, 0, 0, db_check, NULL,
	    "integrity and foreign key check of the database as found",
	    NULL },
	{ "backup", "FILE", 1, 1, db_backup_exec, NULL,
	    "copy the database, safe while nudged runs (never overwrites)",
	    NULL },
	CLI_SUB_END,
};
