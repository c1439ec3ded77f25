/* nudge import: deals, promises or follow-ups from CSV, all or nothing. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "config.h"
#include "import.h"

int
cmd_import(struct cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "deals", required_argument, NULL, 'D' },
		{ "promises", required_argument, NULL, 'P' },
		{ "followups", required_argument, NULL, 'F' },
		CLI_COMMON_LONGOPTS_END
	};
	const char *path = NULL, *kind_name = NULL;
	enum import_kind kind = IMPORT_PROMISES;
	char *err = NULL;
	size_t count;
	FILE *in;
	int ch, rc, given = 0;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'D': kind = IMPORT_DEALS; path = optarg; given++;
			kind_name = "deals"; break;
		case 'P': kind = IMPORT_PROMISES; path = optarg; given++;
			kind_name = "promises"; break;
		case 'F': kind = IMPORT_FOLLOWUPS; path = optarg; given++;
			kind_name = "followups"; break;
		CLI_COMMON_CASES(c, "import");
		}
	}
	if (given != 1 || optind != argc)
		return cli_usage(cli_command("import"), "import takes one of "
		    "--deals, --promises or --followups FILE ('-' for stdin)");
	if ((rc = cli_open_write(c)) != CLI_OK)
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
