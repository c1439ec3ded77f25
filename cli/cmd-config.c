/* nudge config check: load and validate the configuration, and check
 * that this user can work with the files it names. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "config.h"
#include "config_paths.h"

/* Each message of list on stderr, after prefix. */
static void
config_say(json_t *list, const char *prefix)
{
	size_t i;

	for (i = 0; i < json_array_size(list); i++)
		fprintf(stderr, "nudge: %s%s\n", prefix,
		    json_string_value(json_array_get(list, i)));
}

static int
config_check(struct cli *c)
{
	json_t *problems = json_array(), *notes = json_array();
	char *err = NULL;
	int rc, ok;

	if ((rc = cli_load_config(c)) != CLI_OK)
		goto out;
	if (problems == NULL || notes == NULL ||
	    config_check_paths(c->cfg, c->db_path, problems, notes,
	    &err) != 0) {
		rc = cli_fail(CLI_FAIL, err != NULL ? err :
		    strdup("out of memory"));
		goto out;
	}
	ok = json_array_size(problems) == 0;
	rc = ok ? CLI_OK : CLI_FAIL;
	if (c->json) {
		cli_print_json(json_pack("{s:b, s:s, s:s, s:I, s:I, s:I, s:O, "
		    "s:O}", "ok", ok, "config", c->cfg->path, "database",
		    c->db_path != NULL ? c->db_path : c->cfg->database,
		    "people", (json_int_t)c->cfg->npeople, "channels",
		    (json_int_t)c->cfg->nchannels, "rules",
		    (json_int_t)c->cfg->nrules, "problems", problems, "notes",
		    notes));
		goto out;
	}
	config_say(problems, "");
	config_say(notes, "note: ");
	printf("%s: configuration %s (%zu %s, %zu channel%s, %zu rule%s)\n",
	    c->cfg->path, ok ? "OK" : "valid, but not usable as it is",
	    c->cfg->npeople, c->cfg->npeople == 1 ? "person" : "people",
	    c->cfg->nchannels, c->cfg->nchannels == 1 ? "" : "s",
	    c->cfg->nrules, c->cfg->nrules == 1 ? "" : "s");
out:
	json_decref(problems);
	json_decref(notes);
	return rc;
}

static int
config_check_exec(struct cli *c, const struct cli_args *a)
{
	(void)a;
	return config_check(c);
}

const struct cli_sub cli_config_subs[] = {
	{ "check", NULL, 0, 0, config_check_exec, NULL,
	    "load and validate the configuration; a mistake names file and "
	    "line", NULL },
	CLI_SUB_END,
};
