/*
 * nudge calendar: a person's calendar feed.  `url` makes the secret
 * address calendar apps subscribe to (shown once: only its hash is
 * kept), `revoke` stops it, `show` prints the feed itself.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define CALENDAR_USAGE(...) cli_usage(cli_command("calendar"), __VA_ARGS__)

/* "calendar SUB WHO [--new]": WHO into *who, --new (url only) into
 * *renew.  CLI_OK, or an exit status after printing why. */
static int
calendar_args(struct cli *c, int argc, char **argv, const char **who,
    int *renew)
{
	static const struct option longopts[] = {
		{ "new", no_argument, NULL, 'N' },
		CLI_COMMON_LONGOPTS_END
	};
	int ch;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'N':
			if (renew == NULL)
				return CALENDAR_USAGE("--new is for calendar "
				    "url");
			*renew = 1;
			break;
		CLI_COMMON_CASES(c, "calendar");
		}
	}
	if (optind != argc - 1)
		return CALENDAR_USAGE("calendar %s takes one person", argv[0]);
	*who = argv[optind];
	return CLI_OK;
}

static int
calendar_url_cmd(struct cli *c, int argc, char **argv)
{
	struct uc_calendar_url u;
	const char *who;
	struct uc_ctx ctx;
	enum uc_status st;
	char *err = NULL;
	int renew = 0, rc;

	if ((rc = calendar_args(c, argc, argv, &who, &renew)) != CLI_OK ||
	    (rc = cli_ctx(c, &ctx)) != CLI_OK)
		return rc;
	if ((st = uc_calendar_url(&ctx, who, renew, &u, &err)) != UC_OK) {
		uc_calendar_url_clear(&u);
		return cli_uc_fail(st, err);
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
calendar_revoke_cmd(struct cli *c, int argc, char **argv)
{
	const char *who;
	struct uc_ctx ctx;
	enum uc_status st;
	char *err = NULL;
	int64_t revoked;
	int rc;

	if ((rc = calendar_args(c, argc, argv, &who, NULL)) != CLI_OK ||
	    (rc = cli_ctx(c, &ctx)) != CLI_OK)
		return rc;
	if ((st = uc_calendar_revoke(&ctx, who, &revoked, &err)) != UC_OK)
		return cli_uc_fail(st, err);
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
calendar_show_cmd(struct cli *c, int argc, char **argv)
{
	const char *who;
	struct uc_ctx ctx;
	enum uc_status st;
	char *err = NULL, *ics = NULL;
	int rc;

	if ((rc = calendar_args(c, argc, argv, &who, NULL)) != CLI_OK ||
	    (rc = cli_ctx(c, &ctx)) != CLI_OK)
		return rc;
	if ((st = uc_calendar_show(&ctx, who, &ics, &err)) != UC_OK)
		return cli_uc_fail(st, err);
	/* The feed as served: CRLF lines, for a file or a pipe. */
	fputs(ics, stdout);
	free(ics);
	return CLI_OK;
}

int
cmd_calendar(struct cli *c, int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "";

	if (strcmp(sub, "url") == 0)
		return calendar_url_cmd(c, argc - 1, argv + 1);
	if (strcmp(sub, "revoke") == 0)
		return calendar_revoke_cmd(c, argc - 1, argv + 1);
	if (strcmp(sub, "show") == 0)
		return calendar_show_cmd(c, argc - 1, argv + 1);
	if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0)
		return cli_help("calendar");
	return CALENDAR_USAGE("unknown calendar command '%s'", sub);
}
