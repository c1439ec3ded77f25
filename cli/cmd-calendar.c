/*
 * nudge calendar: a person's calendar feed.  `url` makes the secret
 * address calendar apps subscribe to (shown once: only its hash is
 * kept), `revoke` stops it, `show` prints the feed itself.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

enum { CU_NEW };
static const struct cli_opt calendar_url_opts[] = {
	[CU_NEW] = { "new", 0, NULL, 0, 0,
	    "a new address, the old one revoked (it stops working)" },
	CLI_OPT_END,
};

static int
calendar_url_cmd(struct cli *c, const struct cli_args *a)
{
	struct uc_calendar_url u;
	const char *who = a->arg[0];
	int renew = a->v[CU_NEW] != NULL, rc;
	char *err = NULL;

	if ((rc = cli_ctx(c)) != CLI_OK)
		return rc;
	if ((rc = cli_uc_status(uc_calendar_url(&c->uc, who, renew, &u,
	    &err), &err)) != CLI_OK) {
		uc_calendar_url_clear(&u);
		return rc;
	}
	if (c->json)
		cli_print_json(json_pack("{s:s, s:s, s:b}", "owner", who,
		    "url", u.url, "replaced", u.replaced != 0));
	else
		printf("%s\n", u.url);
	uc_calendar_url_clear(&u);
	return CLI_OK;
}

static int
calendar_revoke_cmd(struct cli *c, const struct cli_args *a)
{
	const char *who = a->arg[0];
	char *err = NULL;
	int64_t revoked;
	int rc;

	if ((rc = cli_ctx(c)) != CLI_OK || (rc = cli_uc_status(
	    uc_calendar_revoke(&c->uc, who, &revoked, &err), &err)) != CLI_OK)
		return rc;
	if (c->json)
		return cli_print_json(json_pack("{s:s, s:b}", "owner", who,
		    "revoked", revoked != 0));
	if (revoked != 0)
		printf("%s's calendar address revoked: it no longer works "
		    "(`nudge calendar url %s` makes a new one)\n", who, who);
	else
		printf("%s has no calendar address\n", who);
	return CLI_OK;
}

static int
calendar_show_cmd(struct cli *c, const struct cli_args *a)
{
	const char *who = a->arg[0];
	char *err = NULL, *ics = NULL;
	int rc;

	if ((rc = cli_ctx(c)) != CLI_OK || (rc = cli_uc_status(
	    uc_calendar_show(&c->uc, who, &ics, &err), &err)) != CLI_OK)
		return rc;
	/* The feed as served: CRLF lines, for a file or a pipe. */
	fputs(ics, stdout);
	free(ics);
	return CLI_OK;
}

const struct cli_sub cli_calendar_subs[] = {
	{ "url", "WHO", 1, 1, calendar_url_cmd, calendar_url_opts,
	    "the secret address of WHO's feed, made once and shown once",
	    NULL },
	{ "revoke", "WHO", 1, 1, calendar_revoke_cmd, NULL,
	    "WHO's feed address stops working", NULL },
	{ "show", "WHO", 1, 1, calendar_show_cmd, NULL,
	    "WHO's feed itself (iCalendar), as a calendar app gets it",
	    NULL },
	CLI_SUB_END,
};
