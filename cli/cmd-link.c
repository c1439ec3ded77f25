/*
 * nudge link: the action links of reminders (nudged's http group).
 * `link make ID` prints a follow-up's link, as a reminder carries it;
 * `link rotate-key` gives the links a new signing key (those signed with
 * the one before still work until they expire; with --revoke none do).
 */
#include <getopt.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "config.h"
#include "followup.h"
#include "link_key.h"
#include "time_parse.h"

#define LINK_USAGE(...) cli_usage(cli_command("link"), __VA_ARGS__)

static int
link_need_http(struct cli *c)
{
	int rc;

	if ((rc = cli_load_config(c)) != CLI_OK)
		return rc;
	if (!c->cfg->http.enabled)
		return cli_failx(CLI_USAGE, "%s has no http group: action links "
		    "need nudged's HTTP listener (nudge.conf(5))",
		    c->cfg->path);
	return CLI_OK;
}

static int
link_rotate_cmd(struct cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "revoke", no_argument, NULL, 'R' },
		CLI_COMMON_LONGOPTS_END
	};
	char *err = NULL;
	int ch, rc, revoke = 0;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'R': revoke = 1; break;
		CLI_COMMON_CASES(c, "link");
		}
	}
	if (optind != argc)
		return LINK_USAGE("unexpected '%s'", argv[optind]);
	if ((rc = link_need_http(c)) != CLI_OK)
		return rc;
	if (link_keys_rotate(c->cfg->http.key_file, revoke, &err) != 0)
		return cli_fail(CLI_FAIL, err);
	printf("%s: a new key; %s\n", c->cfg->http.key_file, revoke ?
	    "every link sent before no longer works" : "links sent before "
	    "work until they expire");
	return CLI_OK;
}

/* The link of follow-up `id`, valid for ttl seconds from now. */
static int
link_print(struct cli *c, int64_t id, int64_t ttl)
{
	struct link_keys k;
	struct followup f;
	struct link l;
	char url[2048], *dbid, *err = NULL;
	int rc;

	if ((rc = cli_open(c)) != CLI_OK)
		return rc;
	if (followup_get(c->st, id, &f, &err) != 0)
		return cli_fail(CLI_USAGE, err);
	l.kind = 'f';
	l.id = id;
	l.actions = link_followup_actions(f.promise_id);
	l.expires = (int64_t)c->now + ttl;
	followup_clear(&f);
	if ((dbid = link_db_identity(c->cfg->database, &err)) == NULL)
		return cli_fail(CLI_FAIL, err);
	rc = link_keys_load(c->cfg->http.key_file, &k, NULL, &err);
	if (rc == 0)
		rc = link_url(c->cfg->http.public_url, &k, dbid, &l, url,
		    sizeof(url));
	OPENSSL_cleanse(&k, sizeof(k));
	free(dbid);
	if (rc != 0)
		return err != NULL ? cli_fail(CLI_FAIL, err) :
		    cli_failx(CLI_FAIL, "cannot make the link");
	printf("%s\n", url);
	return CLI_OK;
}

static int
link_make_cmd(struct cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "ttl", required_argument, NULL, 'T' },
		CLI_COMMON_LONGOPTS_END
	};
	struct timeutil_duration d;
	const char *ttl = NULL;
	char *err = NULL;
	int64_t id;
	int ch, rc;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'T': ttl = optarg; break;
		CLI_COMMON_CASES(c, "link");
		}
	}
	if (optind + 1 != argc)
		return LINK_USAGE("link make takes one follow-up id");
	if (cli_parse_id(argv[optind], "follow-up", &id) != 0)
		return CLI_USAGE;
	if ((rc = link_need_http(c)) != CLI_OK)
		return rc;
	if (ttl == NULL)
		d = c->cfg->http.link_ttl;
	else if (timeutil_parse_duration(ttl, &d, &err) != 0 ||
	    d.business_days != 0) {
		rc = cli_failx(CLI_USAGE, "--ttl: %s", err != NULL ? err :
		    "elapsed time (s, m, h, d, w), not business days");
		free(err);
		return rc;
	}
	return link_print(c, id, d.seconds + (int64_t)d.days * 86400);
}

int
cmd_link(struct cli *c, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "rotate-key") == 0)
		return link_rotate_cmd(c, argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "make") == 0)
		return link_make_cmd(c, argc - 1, argv + 1);
	return LINK_USAGE("link takes make or rotate-key");
}
