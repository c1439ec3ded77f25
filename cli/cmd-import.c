/* nudge import: deals, promises or follow-ups from CSV, all or nothing. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "config.h"
#include "import.h"

enum { IM_DEALS, IM_PROMISES, IM_FOLLOWUPS };
static const struct cli_opt import_opts[] = {
	[IM_DEALS] = { "deals", 0, "FILE", 1, CLI_NEED,
	    "deals from this CSV file ('-' for stdin)" },
	[IM_PROMISES] = { "promises", 0, "FILE", 1, CLI_NEED,
	    "promises from this CSV file ('-' for stdin)" },
	[IM_FOLLOWUPS] = { "followups", 0, "FILE", 1, CLI_NEED,
	    "follow-ups from this CSV file ('-' for stdin)" },
	CLI_OPT_END,
};

static int
import_exec(struct cli *c, const struct cli_args *a)
{
	static const enum import_kind kinds[] = { IMPORT_DEALS,
	    IMPORT_PROMISES, IMPORT_FOLLOWUPS };
	const char *path = NULL, *kind_name = NULL;
	enum import_kind kind = IMPORT_PROMISES;
	char *err = NULL;
	size_t count, i;
	FILE *in;
	int rc;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (a->v[i] != NULL) {
			kind = kinds[i];
			path = a->v[i];
			kind_name = import_opts[i].name;
		}
	if ((rc = cli_open(c)) != CLI_OK)
		return rc;
	if (strcmp(path, "-") == 0)
		in = stdin;
	else if ((in = fopen(path, "r")) == NULL)
		return cli_failx(CLI_USAGE, "%s: %s", path, strerror(errno));
	rc = import_csv(c->st, c->cfg, kind, in, strcmp(path, "-") == 0 ?
	    "stdin" : path, c->now, &count, &err);
	if (in != stdin)
		fclose(in);
	if (rc != 0)
		return cli_fail(CLI_USAGE, err);
	cli_wake(c);
	if (c->json)
		return cli_print_json(json_pack("{s:s, s:I}", "imported",
		    kind_name, "count", (json_int_t)count));
	printf("imported %zu %s from %s\n", count, kind_name, path);
	return CLI_OK;
}

const struct cli_sub cli_import_subs[] = {
	{ NULL, NULL, 0, 0, import_exec, import_opts,
	    "deals, promises or follow-ups from CSV, all or nothing", NULL },
	CLI_SUB_END,
};
