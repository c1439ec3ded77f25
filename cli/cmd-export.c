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

int
cmd_export(struct cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "accounts", no_argument, NULL, 'A' },
		{ "deals", no_argument, NULL, 'D' },
		{ "promises", no_argument, NULL, 'P' },
		{ "followups", no_argument, NULL, 'F' },
		{ "output-dir", required_argument, NULL, 'o' },
		CLI_COMMON_LONGOPTS_END
	};
	const char *format = NULL, *dir = NULL;
	unsigned kinds = 0;
	char *err = NULL;
	json_t *out;
	int ch, rc;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f': format = optarg; break;
		case 'A': kinds |= ARCHIVE_KIND(ARCHIVE_ACCOUNTS); break;
		case 'D': kinds |= ARCHIVE_KIND(ARCHIVE_DEALS); break;
		case 'P': kinds |= ARCHIVE_KIND(ARCHIVE_PROMISES); break;
		case 'F': kinds |= ARCHIVE_KIND(ARCHIVE_FOLLOWUPS); break;
		case 'o': dir = optarg; break;
		CLI_COMMON_CASES(c, "export");
		}
	}
	/* One kind, or a directory, is CSV as it always was; the whole
	 * export is one JSON document. */
	if (format == NULL)
		format = !c->json && (dir != NULL ||
		    export_one_kind(kinds) >= 0) ? "csv" : "json";
	if (optind != argc || (strcmp(format, "csv") != 0 &&
	    strcmp(format, "json") != 0))
		return cli_usage(cli_command("export"), "--format is csv or "
		    "json");
	if (kinds == 0)
		kinds = ARCHIVE_ALL;
	if (strcmp(format, "json") == 0 && dir != NULL)
		return cli_usage(cli_command("export"), "--output-dir is for "
		    "--format csv (JSON goes to stdout)");
	if (strcmp(format, "csv") == 0 && dir == NULL &&
	    export_one_kind(kinds) < 0)
		return cli_usage(cli_command("export"), "--format csv writes "
		    "one kind per file: name one of --accounts, --deals, "
		    "--promises, --followups for stdout, or give --output-dir "
		    "DIR for every kind");
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
