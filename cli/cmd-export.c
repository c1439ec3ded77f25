/*
 * nudge export: everything as JSON, or one kind as CSV in the same format
 * `nudge import` reads (times as ISO 8601 with the owner's offset).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "export.h"

int
cmd_export(struct cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "deals", no_argument, NULL, 'D' },
		{ "promises", no_argument, NULL, 'P' },
		{ "followups", no_argument, NULL, 'F' },
		CLI_COMMON_LONGOPTS_END
	};
	enum import_kind kind = IMPORT_PROMISES;
	const char *format = NULL;
	char *err = NULL;
	json_t *out;
	int ch, rc;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f': format = optarg; break;
		case 'D': kind = IMPORT_DEALS; break;
		case 'P': kind = IMPORT_PROMISES; break;
		case 'F': kind = IMPORT_FOLLOWUPS; break;
		case 'J': format = "json"; break;
		case 'h': return cli_help("export");
		default: return cli_usage(cli_command("export"), "bad option");
		}
	}
	if (format == NULL)
		format = c->json ? "json" : "csv";
	if (optind != argc || (strcmp(format, "csv") != 0 &&
	    strcmp(format, "json") != 0))
		return cli_usage(cli_command("export"), "--format is csv or "
		    "json");
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
