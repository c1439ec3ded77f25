/* nudge contact: log a touch of an account (a call, a visit, a message). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "config.h"
#include "person.h"

static void
contact_print(struct cli *c, const char *account,
    const struct uc_contact_added *r)
{
	const char *zone = r->owner->timezone;
	char at[TIMEUTIL_ISO_MAX], due[96];

	if (c->json) {
		cli_print_json(json_pack("{s:I, s:s, s:I, s:s, s:s, s:s?, s:s?}",
		    "id", (json_int_t)r->id, "account", account, "account_id",
		    (json_int_t)r->account_id, "at", cli_iso(r->at, zone, at,
		    sizeof(at)), "owner", r->owner->handle, "cadence",
		    r->cadence, "next_due", r->next_due != 0 ? cli_iso(
		    r->next_due, zone, due, sizeof(due)) : NULL));
		return;
	}
	printf("contact %lld  %s, by %s at %s\n", (long long)r->id, account,
	    r->owner->handle, cli_iso(r->at, zone, at, sizeof(at)));
	if (r->next_due != 0)
		printf("  stay in touch by %s (cadence %s)\n",
		    cli_human_time(c, r->next_due, zone, due, sizeof(due)),
		    r->cadence);
}

int
cmd_contact(struct cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "with", required_argument, NULL, 'w' },
		{ "note", required_argument, NULL, 'n' },
		{ "at", required_argument, NULL, 't' },
		{ "owner", required_argument, NULL, 'o' },
		CLI_COMMON_LONGOPTS_END
	};
	struct uc_contact_add req;
	struct uc_contact_added r;
	struct uc_ctx ctx;
	enum uc_status st;
	char *err = NULL;
	int ch, rc;

	memset(&req, 0, sizeof(req));
	optind = 0;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'w': req.with = optarg; break;
		case 'n': req.note = optarg; break;
		case 't': req.at = optarg; break;
		case 'o': req.owner = optarg; break;
		CLI_COMMON_CASES(c, "contact");
		}
	}
	if (optind != argc - 1)
		return cli_usage(cli_command("contact"), "contact takes one "
		    "ACCOUNT (quote it)");
	req.account = argv[optind];
	if ((rc = cli_ctx(c, &ctx)) != CLI_OK)
		return rc;
	if ((st = uc_contact_add(&ctx, &req, &r, &err)) != UC_OK)
		return cli_uc_fail(st, err);
	cli_wake(c);
	contact_print(c, req.account, &r);
	return CLI_OK;
}
