/* nudge db: explicit schema migration and an integrity check. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "config.h"
#include "migrate.h"
#include "store.h"

static int
db_migrate(struct cli *c)
{
	struct store *st = NULL;
	char *err = NULL;
	const char *path;
	int from, to, rc;

	if ((rc = cli_load_config(c)) != CLI_OK)
		return rc;
	path = c->db_path != NULL ? c->db_path : c->cfg->database;
	if (store_open(path, STORE_DURABLE | STORE_NO_MIGRATE, &st,
	    &err) != 0)
		return cli_fail(CLI_FAIL, err);
	if (migrate_to(store_db(st), migrate_latest(), &from, &err) != 0 ||
	    store_schema_version(st, &to, &err) != 0) {
		store_close(st);
		return cli_fail(CLI_FAIL, err);
	}
	store_close(st);
	if (c->json)
		return cli_print_json(json_pack("{s:s, s:i, s:i}", "database",
		    path, "from", from, "to", to));
	if (from == to)
		printf("%s: schema version %d, up to date\n", path, to);
	else
		printf("%s: migrated schema from version %d to %d\n", path,
		    from, to);
	return CLI_OK;
}

static int
db_check(struct cli *c)
{
	sqlite3_stmt *q = NULL;
	char *err = NULL;
	json_t *problems;
	int rc, ok;

	if ((rc = cli_open(c)) != CLI_OK)
		return rc;
	if (sqlite3_prepare_v2(store_db(c->st), "PRAGMA integrity_check", -1,
	    &q, NULL) != SQLITE_OK) {
		store_err(c->st, &err, "integrity check");
		return cli_fail(CLI_FAIL, err);
	}
	problems = json_array();
	while (sqlite3_step(q) == SQLITE_ROW) {
		const char *line = (const char *)sqlite3_column_text(q, 0);
		if (line != NULL && strcmp(line, "ok") != 0)
			json_array_append_new(problems, json_string(line));
	}
	sqlite3_finalize(q);
	ok = json_array_size(problems) == 0;
	if (c->json) {
		cli_print_json(json_pack("{s:b, s:o}", "ok", ok, "problems",
		    problems));
	} else {
		size_t i;
		for (i = 0; i < json_array_size(problems); i++)
			printf("%s\n", json_string_value(
			    json_array_get(problems, i)));
		printf("%s: %s\n", store_path(c->st),
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

int
cmd_db(struct cli *c, int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "";

	if (strcmp(sub, "backup") == 0) {
		if (argc == 4 && strcmp(argv[3], "--json") == 0)
			c->json = 1;
		else if (argc != 3)
			return cli_usage(cli_command("db"), "db backup takes "
			    "one FILE");
		return db_backup(c, argv[2]);
	}

	if (argc == 3 && strcmp(argv[2], "--json") == 0)
		c->json = 1;
	else if (argc != 2)
		return cli_usage(cli_command("db"), "expected 'db migrate' or "
		    "'db check'");
	if (strcmp(sub, "migrate") == 0)
		return db_migrate(c);
	if (strcmp(sub, "check") == 0)
		return db_check(c);
	return cli_usage(cli_command("db"), "unknown db command '%s'", sub);
}
