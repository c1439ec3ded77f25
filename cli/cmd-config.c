/* nudge config check: load and validate the configuration. */
#include <stdio.h>

#include "cli.h"
#include "config.h"

static int
config_check_exec(struct cli *c, const struct cli_args *a)
{
	int rc;

	(void)a;
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

const struct cli_sub cli_config_subs[] = {
	{ "check", NULL, 0, 0, config_check_exec, NULL,
	    "load and validate the configuration; a mistake names file and "
	    "line", NULL },
	CLI_SUB_END,
};
