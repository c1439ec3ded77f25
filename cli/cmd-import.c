/*
 * nudge import: an export read back into a new database (a JSON file, or
 * the directory of its CSV files), or new deals, promises or follow-ups
 * from a CSV file; all or nothing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "config.h"
#include "import.h"

/* The kind rows are in enum import_kind's order. */
enum { IM_DEALS, IM_PROMISES, IM_FOLLOWUPS, IM_ACCOUNTS, IM_TOKENS,
    IM_FORCE };
static const struct cli_opt import_opts[] = {
	[IM_DEALS] = { "deals", 0, "FILE", 1, 0,
	    "new deals from this CSV file ('-' for stdin)" },
	[IM_PROMISES] = { "promises", 0, "FILE", 1, 0,
	    "new promises from this CSV file ('-' for stdin)" },
	[IM_FOLLOWUPS] = { "followups", 0, "FILE", 1, 0,
	    "new follow-ups from this CSV file ('-' for stdin)" },
	[IM_ACCOUNTS] = { "accounts", 0, "FILE", 1, 0,
	    "accounts from an export's accounts.csv" },
	[IM_TOKENS] = { "tokens", 0, "FILE", 1, 0,
	    "the API's tokens from an export's tokens.csv" },
	[IM_FORCE] = { "force", 0, NULL, 0, 0,
	    "accept a promise whose due date is past" },
	CLI_OPT_END,
};
_Static_assert(IM_DEALS == (int)IMPORT_DEALS &&
    IM_PROMISES == (int)IMPORT_PROMISES &&
    IM_FOLLOWUPS == (int)IMPORT_FOLLOWUPS &&
    IM_ACCOUNTS == (int)IMPORT_ACCOUNTS && IM_TOKENS == (int)IMPORT_TOKENS,
    "a row per kind, in enum import_kind's order");

static int
import_print(struct cli *c, const struct import_counts *n, const char *path)
{
	if (c->json)
		return cli_print_json(json_pack("{s:I, s:I, s:I, s:I, s:I, "
		    "s:I, s:I}", "accounts", (json_int_t)n->accounts, "deals",
		    (json_int_t)n->deals, "promises", (json_int_t)n->promises,
		    "followups", (json_int_t)n->followups, "tokens",
		    (json_int_t)n->tokens, "events", (json_int_t)n->events,
		    "deliveries", (json_int_t)n->deliveries));
	printf("imported %zu accounts, %zu deals, %zu promises, %zu "
	    "follow-ups, %zu token%s (%zu events, %zu deliveries) from %s\n",
	    n->accounts, n->deals, n->promises, n->followups, n->tokens,
	    n->tokens == 1 ? "" : "s", n->events, n->deliveries, path);
	return CLI_OK;
}

/* nudge import FILE|DIR: a whole export. */
static int
import_export(struct cli *c, const char *path)
{
	struct import_counts n;
	struct stat sb;
	char *err = NULL;
	FILE *in;
	int rc;

	if (stat(path, &sb) != 0)
		return cli_failx(CLI_USAGE, "%s: %s", path, strerror(errno));
	if ((rc = cli_open_write(c)) != CLI_OK)
		return rc;
	if (S_ISDIR(sb.st_mode))
		rc = import_export_dir(c->st, c->cfg, path, c->now, &n, &err);
	else if ((in = fopen(path, "r")) == NULL)
		return cli_failx(CLI_USAGE, "%s: %s", path, strerror(errno));
	else {
		rc = import_export_json(c->st, c->cfg, in, path, c->now, &n,
		    &err);
		fclose(in);
	}
	if (rc != 0)
		return cli_fail(CLI_USAGE, err);
	cli_wake(c);
	return import_print(c, &n, path);
}

/* nudge import --KIND FILE [--force]: new records of one kind. */
static int
import_csv_file(struct cli *c, int kind, const char *path, int force)
{
	const char *name = import_opts[kind].name;
	char *err = NULL;
	size_t count;
	FILE *in;
	int rc;

	if ((rc = cli_open_write(c)) != CLI_OK)
		return rc;
	if (strcmp(path, "-") == 0)
		in = stdin;
	else if ((in = fopen(path, "r")) == NULL)
		return cli_failx(CLI_USAGE, "%s: %s", path, strerror(errno));
	rc = import_csv(c->st, c->cfg, (enum import_kind)kind, in,
	    strcmp(path, "-") == 0 ? "stdin" : path, c->now, force, &count,
	    &err);
	if (in != stdin)
		fclose(in);
	if (rc != 0)
		return cli_fail(CLI_USAGE, err);
	cli_wake(c);
	if (c->json)
		return cli_print_json(json_pack("{s:s, s:I}", "imported",
		    name, "count", (json_int_t)count));
	printf("imported %zu %s from %s\n", count, name, path);
	return CLI_OK;
}

static int
import_exec(struct cli *c, const struct cli_args *a)
{
	int kind = -1, k;

	for (k = IM_DEALS; k <= IM_TOKENS; k++)
		if (a->v[k] != NULL)
			kind = k;
	if (kind < 0 && a->n == 1 && a->v[IM_FORCE] == NULL)
		return import_export(c, a->arg[0]);
	if (kind < 0 && a->n == 1)
		return cli_usage(a, "--force is for a CSV file of new "
		    "records; an export goes only into an empty database");
	if (kind < 0 || a->n != 0)
		return cli_usage(a, "import takes an export (FILE or DIR), or "
		    "one of --deals, --promises, --followups, --accounts or "
		    "--tokens FILE ('-' for stdin)");
	return import_csv_file(c, kind, a->v[kind], a->v[IM_FORCE] != NULL);
}

const struct cli_sub cli_import_subs[] = {
	{ NULL, "FILE|DIR", 0, 1, import_exec, import_opts,
	    "an export into an empty database, or new records from "
	    "CSV", "FILE|DIR | (--deals FILE | --promises FILE | "
	    "--followups FILE | --accounts FILE | --tokens FILE) "
	    "[--force]" },
	CLI_SUB_END,
};
