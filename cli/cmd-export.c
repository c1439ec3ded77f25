/*
 * nudge export: everything as JSON, or one kind as CSV in the same format
 * `nudge import` reads (times as ISO 8601 with the owner's offset).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "export.h"

enum { EX_FORMAT, EX_DEALS, EX_PROMISES, EX_FOLLOWUPS };
static const struct cli_opt export_opts[] = {
	[EX_FORMAT] = { "format", 0, "csv|json", 0, 0,
	    "CSV (one kind) or JSON (everything)" },
	[EX_DEALS] = { "deals", 0, NULL, 1, 0, "the deals (CSV)" },
	[EX_PROMISES] = { "promises", 0, NULL, 1, 0,
	    "the promises (CSV, the default)" },
	[EX_FOLLOWUPS] = { "followups", 0, NULL, 1, 0, "the follow-ups (CSV)" },
	CLI_OPT_END,
};

static int
export_exec(struct cli *c, const struct cli_args *a)
{
	enum import_kind kind = a->v[EX_DEALS] != NULL ? IMPORT_DEALS :
	    a->v[EX_FOLLOWUPS] != NULL ? IMPORT_FOLLOWUPS : IMPORT_PROMISES;
	const char *format = a->v[EX_FORMAT];
	char *err = NULL;
	json_t *out;
	int rc;

	if (format == NULL)
		format = c->json ? "json" : "csv";
	if (strcmp(format, "csv") != 0 && strcmp(format, "json") != 0)
		return cli_usage(a, "--format is csv or json");
	if ((rc = cli_open(c)) != CLI_OK)
		return rc;
	if (strcmp(format, "json") == 0) {
		if (export_json(c->st, c->cfg, &out, &err) != 0)
			return cli_fail(CLI_FAIL, err);
		return cli_print_json(out);
	}
	if (export_csv(c->st, c->cfg, kind, stdout, &err) != 0)
		return cli_fail(CLI_FAIL, err);
	return CLI_OK;
}

const struct cli_sub cli_export_subs[] = {
	{ NULL, NULL, 0, 0, export_exec, export_opts,
	    "everything as JSON, or one kind as CSV in the import format",
	    NULL },
	CLI_SUB_END,
};
