/*
 * nudge link: the action links of reminders (nudged's http group).
 * `link make ID` prints a follow-up's link, as a reminder carries it;
 * `link rotate-key` gives the links a new signing key (those signed with
 * the one before still work until they expire; with --revoke none do).
 */
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "config.h"
#include "followup.h"
#include "jsonout.h"
#include "link_key.h"
#include "time_parse.h"

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

enum { LR_REVOKE };
static const struct cli_opt link_rotate_opts[] = {
	[LR_REVOKE] = { "revoke", 0, NULL, 0, 0,
	    "links signed with the old key stop working now" },
	CLI_OPT_END,
};

static int
link_rotate_cmd(struct cli *c, const struct cli_args *a)
{
	int revoke = a->v[LR_REVOKE] != NULL, rc;
	char *err = NULL;

	if ((rc = link_need_http(c)) != CLI_OK)
		return rc;
	if (link_keys_rotate(c->cfg->http.key_file, revoke, &err) != 0)
		return cli_fail(CLI_FAIL, err);
	if (c->json)
		return cli_print_json(json_pack("{s:s, s:b}", "key_file",
		    c->cfg->http.key_file, "revoked", revoke));
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
	json_t *o;
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
	if ((dbid = link_db_identity(c->st, &err)) == NULL)
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
	if (!c->json) {
		printf("%s\n", url);
		return CLI_OK;
	}
	o = json_pack("{s:I, s:s}", "followup", (json_int_t)id, "url", url);
	jsonout_set_time(o, "expires", l.expires, c->cfg->timezone);
	return cli_print_json(o);
}

enum { LM_TTL };
static const struct cli_opt link_make_opts[] = {
	[LM_TTL] = { "ttl", 0, "DURATION", 0, 0,
	    "how long it works (default: http's link_ttl)" },
	CLI_OPT_END,
};

static int
link_make_cmd(struct cli *c, const struct cli_args *a)
{
	const char *ttl = a->v[LM_TTL];
	struct timeutil_duration d;
	char *err = NULL;
	int64_t id;
	int rc;

	if ((rc = cli_arg_id(a, 0, "follow-up", &id)) != CLI_OK ||
	    (rc = link_need_http(c)) != CLI_OK)
		return rc;
	if (ttl == NULL)
		d = c->cfg->http.link_ttl;
	else if (timeutil_parse_duration(ttl, &d, &err) != 0 ||
	    d.business_days != 0) {
		rc = cli_usage(a, "--ttl: %s", err != NULL ? err :
		    "elapsed time (s, m, h, d, w), not business days");
		free(err);
		return rc;
	}
	return link_print(c, id, d.seconds + (int64_t)d.days * 86400);
}

const struct cli_sub cli_link_subs[] = {
	{ "make", "ID", 1, 1, link_make_cmd, link_make_opts,
	    "a follow-up's action link, as its reminder carries it", NULL },
	{ "rotate-key", NULL, 0, 0, link_rotate_cmd, link_rotate_opts,
	    "a new signing key; links signed before work until they expire",
	    NULL },
	CLI_SUB_END,
};
