/* nudge deal: transactions and their stage (open, won, lost). */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "person.h"
#include "config.h"
#include "deal.h"

CLI_RECORD(deal, "deal", "deals", "STAGE", 5, stage, "CLOSES", closes_at,
    "TITLE", title, 1);

static void
deal_print_human(struct cli *c, const void *e)
{
	const struct deal *d = e;
	const char *zone = person_zone(c->cfg, d->owner);
	char buf[96];

	printf("deal %lld  %s\n", (long long)d->id, d->stage);
	printf("  %s\n", d->title);
	printf("  owner   %s, account %s\n", d->owner, d->account);
	if (d->has_value)
		printf("  value   %lld.%02lld %s\n",
		    (long long)(d->value_minor / 100),
		    (long long)(d->value_minor % 100),
		    d->currency != NULL ? d->currency : "");
	if (d->closes_at != 0)
		printf("  closes  %s\n",
		    cli_human_time(c, d->closes_at, zone, buf, sizeof(buf)));
	if (d->closed_at != 0)
		printf("  %-7s %s\n", d->stage,
		    cli_human_time(c, d->closed_at, zone, buf, sizeof(buf)));
}

enum { DA_ACCOUNT, DA_OWNER, DA_VALUE, DA_CURRENCY, DA_CLOSES };
static const struct cli_opt deal_add_opts[] = {
	[DA_ACCOUNT] = CLI_OPT_ACCOUNT(uc_deal_add, 0),
	[DA_OWNER] = CLI_OPT_OWNER_OF(uc_deal_add, "who owns it"),
	[DA_VALUE] = { "value", 0, "AMOUNT", 0, 0, "what it is worth, 12500.50",
	    CLI_STR(uc_deal_add, value) },
	[DA_CURRENCY] = { "currency", 0, "CUR", 0, 0,
	    "an ISO 4217 code: SEK, EUR, USD", CLI_STR(uc_deal_add, currency) },
	[DA_CLOSES] = { "closes", 0, "WHEN", 0, 0,
	    "when it is expected to close", CLI_STR(uc_deal_add, closes) },
	CLI_OPT_END,
};

CLI_RECORD_ADD(deal, deal_print_human)

static const struct cli_opt deal_close_opts[] = {
	{ "at", 0, "WHEN", 0, 0, "when it was won or lost (default now)" },
	CLI_OPT_END,
};

static enum uc_status
deal_won_or_lost(struct cli *c, const struct cli_args *a, int64_t id, void *e,
    char **errp)
{
	return uc_deal_close(&c->uc, id, a->sub->name, a->v[0], e, errp);
}

CLI_RECORD_CHANGE(deal, deal_won_or_lost, deal_print_human)

static int
deal_show(struct cli *c, const struct cli_args *a)
{
	struct deal d;

	return cli_record_show(c, a, &deal_record, &d, deal_print_human);
}

enum { DL_OWNER, DL_OPEN, DL_WON, DL_LOST };
static const struct cli_opt deal_list_opts[] = {
	[DL_OWNER] = CLI_OPT_OWNER,
	[DL_OPEN] = { "open", 0, NULL, 1, 0, "only open ones" },
	[DL_WON] = { "won", 0, NULL, 1, 0, "only won ones" },
	[DL_LOST] = { "lost", 0, NULL, 1, 0, "only lost ones" },
	CLI_OPT_END,
};

CLI_RECORD_LIST(deal, stage, DL_OWNER, DL_OPEN, DL_LOST)

const struct cli_sub cli_deal_subs[] = {
	{ "add", "TITLE", 1, 1, deal_add, deal_add_opts, "log a deal", NULL,
	    CLI_STR(uc_deal_add, title) },
	{ "won", "ID", 1, 1, deal_won_or_lost_cmd, deal_close_opts,
	    "the deal was won (the deal.won rules fire)", NULL },
	{ "lost", "ID", 1, 1, deal_won_or_lost_cmd, deal_close_opts,
	    "the deal was lost (the deal.lost rules fire)", NULL },
	{ "show", "ID", 1, 1, deal_show, NULL, "one deal", NULL },
	{ "list", NULL, 0, 0, deal_list_cmd, deal_list_opts,
	    "the deals, oldest first", NULL },
	CLI_SUB_END,
};
