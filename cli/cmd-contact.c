/* nudge contact: log a touch of an account (a call, a visit, a message). */
#include <stdio.h>

#include "cli.h"
#include "config.h"
#include "person.h"

static void
contact_print(struct cli *c, const struct uc_contact_add *req,
    const struct uc_contact_added *r)
{
	const char *zone = r->owner->timezone;
	char at[TIMEUTIL_ISO_MAX], due[96];

	if (c->json) {
		cli_print_json(uc_contact_json(req, r));
		return;
	}
	printf("contact %lld  %s, by %s at %s\n", (long long)r->id,
	    req->account, r->owner->handle, cli_iso(r->at, zone, at,
	    sizeof(at)));
	if (r->next_due != 0)
		printf("  stay in touch by %s (cadence %s)\n",
		    cli_human_time(c, r->next_due, zone, due, sizeof(due)),
		    r->cadence);
}

enum { CT_WITH, CT_NOTE, CT_AT, CT_OWNER };
static const struct cli_opt contact_opts[] = {
	[CT_WITH] = { "with", 0, "PERSON", 0, 0,
	    "who at the customer it was with", CLI_STR(uc_contact_add, with) },
	[CT_NOTE] = { "note", 0, "TEXT", 0, 0, "what it was about",
	    CLI_STR(uc_contact_add, note) },
	[CT_AT] = { "at", 0, "WHEN", 0, 0,
	    "when it happened, if earlier (default now)",
	    CLI_STR(uc_contact_add, at) },
	[CT_OWNER] = { "owner", 0, "WHO", 0, 0,
	    "who made it (default the owner of the account's cadence)",
	    CLI_STR(uc_contact_add, owner) },
	CLI_OPT_END,
};

static int
contact_exec(struct cli *c, const struct cli_args *a)
{
	struct uc_contact_add req;
	struct uc_contact_added r;
	char *err = NULL;
	int rc;

	if ((rc = cli_fill(c, a, &req, sizeof(req))) != CLI_OK ||
	    (rc = cli_uc_status(
	    uc_contact_add(&c->uc, &req, &r, &err), &err)) != CLI_OK)
		return rc;
	cli_wake(c);
	contact_print(c, &req, &r);
	return CLI_OK;
}

const struct cli_sub cli_contact_subs[] = {
	{ NULL, "ACCOUNT", 1, 1, contact_exec, contact_opts,
	    "log a touch of ACCOUNT: a call, a visit, a message", NULL,
	    CLI_STR(uc_contact_add, account) },
	CLI_SUB_END,
};
