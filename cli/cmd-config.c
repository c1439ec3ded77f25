/* nudge config check: load and validate the configuration. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "config.h"

int
cmd_config(struct cli *c, int argc, char **argv)
{
	int rc;

	if (argc != 2 || strcmp(argv[1], "check") != 0) {
		if (argc == 2 && (strcmp(argv[1], "--help") == 0 ||
		    strcmp(argv[1], "-h") == 0)) {
			printf("usage: nudge config check\n");
			return CLI_OK;
		}
		return cli_usage(cli_command("config"), "expected 'config "
		    "check'");
	}
	if ((rc = cli_load_config(c)) != CLI_OK)
		return rc;
	if (c->json)
		return cli_print_json(json_pack("{s:b, s:s, s:s, s:I, s:I, "
		    "s:I}", "ok", 1, "config", c->cfg->path, "database",
		    c->cfg->database, "people", (json_int_t)c->cfg->npeople,
		    "channels", (json_int_t)c->cfg->nchannels, "rules",
		    (json_int_t)c->cfg->nrules));
	printf("%s: configuration OK (%zu %s, %zu channel%s, %zu rule%s)\n",
	    c->cfg->path, c->cfg->npeople, c->cfg->npeople == 1 ? "person" :
	    "people", c->cfg->nchannels, c->cfg->nchannels == 1 ? "" : "s",
	    c->cfg->nrules, c->cfg->nrules == 1 ? "" : "s");
	return CLI_OK;
}
