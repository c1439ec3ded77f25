/*
 * nudge export: every kind (or those named) as JSON, or as CSV one kind
 * per file: to stdout when one kind is named, else into --output-dir.
 * `nudge import` reads either back (lib/export.c, lib/archive.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "export.h"

enum { EX_FORMAT, EX_ACCOUNTS, EX_DEALS, EX_PROMISES, EX_FOLLOWUPS,
    EX_TOKENS, EX_OUTPUT_DIR };
static const struct cli_opt export_opts[] = {
	[EX_FORMAT] = { "format", 0, "json|csv", 0, 0,
	    "JSON (several kinds) or CSV (one kind)" },
	[EX_ACCOUNTS] = { "accounts", 0, NULL, 0, 0, "the accounts" },
	[EX_DEALS] = { "deals", 0, NULL, 0, 0, "the deals" },
	[EX_PROMISES] = { "promises", 0, NULL, 0, 0, "the promises" },
	[EX_FOLLOWUPS] = { "followups", 0, NULL, 0, 0, "the follow-ups" },
	[EX_TOKENS] = { "tokens", 0, NULL, 0, 0,
	    "the API's tokens, their hashes (no kind named: every kind)" },
	[EX_OUTPUT_DIR] = { "output-dir", 0, "DIR", 0, 0,
	    "CSV, a file per kind, into DIR (made)" },
	CLI_OPT_END,
};
_Static_assert(EX_TOKENS - EX_ACCOUNTS + 1 == ARCHIVE_NKINDS,
    "a row per kind, in enum archive_kind's order");

/* The one kind of the mask, or -1 when it has several. */
static int
export_one_kind(unsigned kinds)
{
	int k;

	for (k = 0; k < ARCHIVE_NKINDS; k++)
		if (kinds == ARCHIVE_KIND(k))
			return k;
	return -1;
}

/* The kinds named on the command line (0: none); the kind rows are in
 * enum archive_kind's order. */
static unsigned
export_kinds(const struct cli_args *a)
{
	unsigned kinds = 0;
	int k;

	for (k = 0; k < ARCHIVE_NKINDS; k++)
		if (a->v[EX_ACCOUNTS + k] != NULL)
			kinds |= ARCHIVE_KIND(k);
	return kinds;
}

static int
export_exec(struct cli *c, const struct cli_args *a)
{
	const char *format = a->v[EX_FORMAT], *dir = a->v[EX_OUTPUT_DIR];
	unsigned kinds = export_kinds(a);
	char *err = NULL;
	json_t *out;
	int rc;

	/* One kind, or a directory, is CSV as it always was; the whole
	 * export is one JSON document. */
	if (format == NULL)
		format = !c->json && (dir != NULL ||
		    export_one_kind(kinds) >= 0) ? "csv" : "json";
	if (strcmp(format, "csv") != 0 && strcmp(format, "json") != 0)
		return cli_usage(a, "--format is csv or json");
	if (kinds == 0)
		kinds = ARCHIVE_ALL;
	if (strcmp(format, "json") == 0 && dir != NULL)
		return cli_usage(a, "--output-dir is for --format csv (JSON "
		    "goes to stdout)");
	if (strcmp(format, "csv") == 0 && dir == NULL &&
	    export_one_kind(kinds) < 0)
		return cli_usage(a, "--format csv writes one kind per file: "
		    "name one of --accounts, --deals, --promises, --followups, "
		    "--tokens for stdout, or give --output-dir DIR for every "
		    "kind");
	if ((rc = cli_open(c)) != CLI_OK)
		return rc;
	if (strcmp(format, "json") == 0) {
		if (export_json(c->st, c->cfg, kinds, &out, &err) != 0)
			return cli_fail(CLI_FAIL, err);
		return cli_print_json(out);
	}
	if (dir != NULL)
		rc = export_csv_dir(c->st, c->cfg, kinds, dir, &err);
	else
		rc = export_csv(c->st, c->cfg, export_one_kind(kinds), stdout,
		    &err);
	return rc != 0 ? cli_fail(CLI_FAIL, err) : CLI_OK;
}

const struct cli_sub cli_export_subs[] = {
	{ NULL, NULL, 0, 0, export_exec, export_opts,
	    "every kind (or those named) as JSON, or as CSV in the import "
	    "format", NULL },
	CLI_SUB_END,
};
