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

static int
import_print(struct cli *c, const struct import_counts *n, const char *path)
{
	if (c->json)
		return cli_print_json(json_pack("{s:I, s:I, s:I, s:I, s:I, "
		    "s:I}", "accounts", (json_int_t)n->accounts, "deals",
		    (json_int_t)n->deals, "promises", (json_int_t)n->promises,
		    "followups", (json_int_t)n->followups, "events",
		    (json_int_t)n->events, "deliveries",
		    (json_int_t)n->deliveries));
	printf("imported %zu accounts, %zu deals, %zu promises, %zu "
	    "follow-ups (%zu events, %zu deliveries) from %s\n", n->accounts,
	    n->deals, n->promises, n->followups, n->events, n->deliveries,
	    path);
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

int
cmd_import(struct cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "accounts", required_argument, NULL, 'A' },
		{ "deals", required_argument, NULL, 'D' },
		{ "promises", required_argument, NULL, 'P' },
		{ "followups", required_argument, NULL, 'F' },
		{ "force", no_argument, NULL, 'f' },
		CLI_COMMON_LONGOPTS_END
	};
	static const char *const names[] = { [IMPORT_DEALS] = "deals",
		[IMPORT_PROMISES] = "promises",
		[IMPORT_FOLLOWUPS] = "followups",
		[IMPORT_ACCOUNTS] = "accounts" };
	const char *path = NULL;
	enum import_kind kind = IMPORT_PROMISES;
	char *err = NULL;
	size_t count;
	FILE *in;
	int ch, rc, given = 0, force = 0;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'A': kind = IMPORT_ACCOUNTS; path = optarg; given++; break;
		case 'D': kind = IMPORT_DEALS; path = optarg; given++; break;
		case 'P': kind = IMPORT_PROMISES; path = optarg; given++; break;
		case 'F': kind = IMPORT_FOLLOWUPS; path = optarg; given++; break;
		case 'f': force = 1; break;
		CLI_COMMON_CASES(c, "import");
		}
	}
	if (given == 0 && optind == argc - 1 && !force)
		return import_export(c, argv[optind]);
	if (given != 1 || optind != argc)
		return cli_usage(cli_command("import"), "import takes an "
		    "export (FILE or DIR), or one of --deals, --promises or "
		    "--followups FILE ('-' for stdin)");
	if ((rc = cli_open_write(c)) != CLI_OK)
		return rc;
	if (strcmp(path, "-") == 0)
		in = stdin;
	else if ((in = fopen(path, "r")) == NULL)
		return cli_failx(CLI_USAGE, "%s: %s", path, strerror(errno));
	rc = import_csv(c->st, c->cfg, kind, in, strcmp(path, "-") == 0 ?
	    "stdin" : path, c->now, force, &count, &err);
	if (in != stdin)
		fclose(in);
	if (rc != 0)
		return cli_fail(CLI_USAGE, err);
	cli_wake(c);
	if (c->json)
		return cli_print_json(json_pack("{s:s, s:I}", "imported",
		    names[kind], "count", (json_int_t)count));
	printf("imported %zu %s from %s\n", count, names[kind], path);
	return CLI_OK;
}
