/* nudge deal: transactions and their stage (open, won, lost). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "person.h"
#include "config.h"
#include "deal.h"

#define DEAL_USAGE(...) cli_usage(cli_command("deal"), __VA_ARGS__)

static void
deal_print_human(struct cli *c, const struct deal *d)
{
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

/* A deal written: wake the daemon, print it, and free it. */
static int
deal_done(struct cli *c, struct deal *d)
{
	cli_wake(c);
	if (c->json)
		cli_print_json(deal_json(d, person_zone(c->cfg, d->owner)));
	else
		deal_print_human(c, d);
	deal_clear(d);
	return CLI_OK;
}

static int
deal_add(struct cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "owner", required_argument, NULL, 'o' },
		{ "account", required_argument, NULL, 'a' },
		{ "value", required_argument, NULL, 'v' },
		{ "currency", required_argument, NULL, 'C' },
		{ "closes", required_argument, NULL, 'x' },
		CLI_COMMON_LONGOPTS_END
	};
	struct uc_deal_add req;
	struct uc_ctx ctx;
	struct deal d;
	enum uc_status st;
	char *err = NULL;
	int ch, rc;

	memset(&req, 0, sizeof(req));
	optind = 0;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'o': req.owner = optarg; break;
		case 'a': req.account = optarg; break;
		case 'v': req.value = optarg; break;
		case 'C': req.currency = optarg; break;
		case 'x': req.closes = optarg; break;
		CLI_COMMON_CASES(c, "deal");
		}
	}
	if (optind != argc - 1)
		return DEAL_USAGE("deal add takes one TITLE (quote it)");
	if (req.owner == NULL || req.account == NULL)
		return DEAL_USAGE("deal add needs --account and --owner");
	req.title = argv[optind];
	if ((rc = cli_ctx(c, &ctx)) != CLI_OK)
		return rc;
	if ((st = uc_deal_add(&ctx, &req, &d, &err)) != UC_OK) {
		deal_clear(&d);
		return cli_uc_fail(st, err);
	}
	return deal_done(c, &d);
}

static int
deal_close_cmd(struct cli *c, int argc, char **argv, const char *stage)
{
	const char *at = NULL;
	struct uc_ctx ctx;
	struct deal d;
	enum uc_status st;
	char *err = NULL;
	int64_t id;
	int rc;

	if ((rc = cli_parse_id_at(c, argc, argv, "deal", &id, &at)) != 0)
		return rc > 0 ? CLI_OK : CLI_USAGE;
	if ((rc = cli_ctx(c, &ctx)) != CLI_OK)
		return rc;
	if ((st = uc_deal_close(&ctx, id, stage, at, &d, &err)) != UC_OK) {
		deal_clear(&d);
		return cli_uc_fail(st, err);
	}
	return deal_done(c, &d);
}

static int
deal_show(struct cli *c, int argc, char **argv)
{
	struct deal d;
	char *err = NULL;
	int64_t id;
	int rc;

	if ((rc = cli_parse_only_id(c, argc, argv, "deal", &id)) != 0)
		return rc > 0 ? CLI_OK : CLI_USAGE;
	if ((rc = cli_open(c)) != CLI_OK)
		return rc;
	if (deal_get(c->st, id, &d, &err) != 0)
		return cli_fail(CLI_USAGE, err);
	if (c->json)
		cli_print_json(deal_json(&d, person_zone(c->cfg, d.owner)));
	else
		deal_print_human(c, &d);
	deal_clear(&d);
	return CLI_OK;
}

static int
deal_list_cmd(struct cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "owner", required_argument, NULL, 'o' },
		{ "open", no_argument, NULL, 'O' },
		{ "won", no_argument, NULL, 'W' },
		{ "lost", no_argument, NULL, 'L' },
		CLI_COMMON_LONGOPTS_END
	};
	struct deal_filter f;
	struct deal *v = NULL;
	char *err = NULL, buf[96];
	json_t *arr = NULL;
	size_t n, i;
	int ch, rc;

	memset(&f, 0, sizeof(f));
	optind = 0;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'o': f.owner = optarg; break;
		case 'O': case 'W': case 'L':
			/* Alternatives, not a combination. */
			if (f.stage != NULL)
				return DEAL_USAGE("--open, --won and --lost "
				    "are alternatives: give one");
			f.stage = ch == 'O' ? "open" : ch == 'W' ? "won" :
			    "lost";
			break;
		CLI_COMMON_CASES(c, "deal");
		}
	}
	if (optind != argc)
		return DEAL_USAGE("unexpected '%s'", argv[optind]);
	if ((rc = cli_open(c)) != CLI_OK)
		return rc;
	if (f.owner != NULL && cli_person(c, f.owner) == NULL)
		return CLI_USAGE;
	if (deal_list(c->st, &f, &v, &n, &err) != 0)
		return cli_fail(CLI_FAIL, err);
	if (c->json)
		arr = json_array();
	else if (n > 0)
		printf("%-6s %-5s %-10s %-20s %-34s %s\n", "ID", "STAGE",
		    "OWNER", "ACCOUNT", "CLOSES", "TITLE");
	for (i = 0; i < n; i++) {
		if (c->json) {
			json_array_append_new(arr,
			    deal_json(&v[i], person_zone(c->cfg, v[i].owner)));
			continue;
		}
		printf("%-6lld %-5s %-10s %-20.20s %-34s %s\n",
		    (long long)v[i].id, v[i].stage, v[i].owner, v[i].account,
		    cli_human_time(c, v[i].closes_at, person_zone(c->cfg, v[i].owner),
		    buf, sizeof(buf)), v[i].title);
	}
	if (c->json)
		cli_print_json(arr);
	deal_list_free(v, n);
	return CLI_OK;
}

int
cmd_deal(struct cli *c, int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "";

	if (strcmp(sub, "add") == 0)
		return deal_add(c, argc - 1, argv + 1);
	if (strcmp(sub, "won") == 0 || strcmp(sub, "lost") == 0)
		return deal_close_cmd(c, argc - 1, argv + 1, sub);
	if (strcmp(sub, "show") == 0)
		return deal_show(c, argc - 1, argv + 1);
	if (strcmp(sub, "list") == 0)
		return deal_list_cmd(c, argc - 1, argv + 1);
	if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0)
		return cli_help("deal");
	return DEAL_USAGE("unknown deal command '%s'", sub);
}
