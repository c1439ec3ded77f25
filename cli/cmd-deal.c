/* nudge deal: transactions and their stage (open, won, lost). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "config.h"
#include "deal.h"
#include "person.h"
#include "store.h"
#include "text.h"

#define DEAL_USAGE(...) cli_usage(cli_command("deal"), __VA_ARGS__)

static const char *
deal_zone(struct cli *c, const char *owner)
{
	const struct config_person *p = config_person(c->cfg, owner);

	return p != NULL ? p->timezone : c->cfg->timezone;
}

static void
deal_print_human(struct cli *c, const struct deal *d)
{
	const char *zone = deal_zone(c, d->owner);
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

static int
deal_add(struct cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "owner", required_argument, NULL, 'o' },
		{ "account", required_argument, NULL, 'a' },
		{ "value", required_argument, NULL, 'v' },
		{ "currency", required_argument, NULL, 'C' },
		{ "closes", required_argument, NULL, 'x' },
		CLI_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	const char *owner = NULL, *account = NULL, *value = NULL,
	    *currency = NULL, *closes = NULL;
	const struct config_person *person;
	struct deal d;
	char *err = NULL;
	time_t closes_at = 0;
	int ch, rc;

	memset(&d, 0, sizeof(d));
	optind = 0;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'o': owner = optarg; break;
		case 'a': account = optarg; break;
		case 'v': value = optarg; break;
		case 'C': currency = optarg; break;
		case 'x': closes = optarg; break;
		case 'J': c->json = 1; break;
		case 'h': printf("usage: nudge %s\n",
			      cli_command("deal")->usage);
			return CLI_OK;
		default: return DEAL_USAGE("bad option");
		}
	}
	if (optind != argc - 1)
		return DEAL_USAGE("deal add takes one TITLE (quote it)");
	if (owner == NULL || account == NULL)
		return DEAL_USAGE("deal add needs --account and --owner");
	if (text_check(argv[optind], TEXT_MAX_BYTES, "deal title", &err) ||
	    text_check(account, NAME_MAX_BYTES, "account name", &err) ||
	    (currency != NULL &&
	    text_check(currency, NAME_MAX_BYTES, "--currency", &err)))
		return cli_fail(CLI_USAGE, err);
	if (value != NULL &&
	    deal_parse_value(value, &d.value_minor, &err) != 0)
		return cli_fail(CLI_USAGE, err);
	d.has_value = value != NULL;
	if ((rc = cli_open(c)) != CLI_OK)
		return rc;
	if ((person = cli_person(c, owner)) == NULL)
		return CLI_USAGE;
	if (closes != NULL && cli_parse_when(c, person, closes,
	    person_day_end(person), "--closes", &closes_at) != 0)
		return CLI_USAGE;
	d.closes_at = closes_at;
	d.title = strdup(argv[optind]);
	d.account = strdup(account);
	d.owner = strdup(owner);
	d.currency = currency != NULL ? strdup(currency) : NULL;
	if (store_begin(c->st, &err) != 0 ||
	    deal_insert(c->st, &d, c->now, &err) != 0 ||
	    store_commit(c->st, &err) != 0) {
		store_rollback(c->st);
		deal_clear(&d);
		return cli_fail(CLI_FAIL, err);
	}
	cli_wake(c);
	if (c->json)
		cli_print_json(deal_json(&d, person->timezone));
	else
		deal_print_human(c, &d);
	deal_clear(&d);
	return CLI_OK;
}

static int
deal_close_cmd(struct cli *c, int argc, char **argv, const char *stage)
{
	static const struct option longopts[] = {
		{ "at", required_argument, NULL, 'a' },
		CLI_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	const struct config_person *person;
	const char *at = NULL;
	struct deal d;
	char *err = NULL;
	int64_t id;
	time_t when;
	int ch, rc;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'a': at = optarg; break;
		case 'J': c->json = 1; break;
		case 'h': printf("usage: nudge %s\n",
			      cli_command("deal")->usage);
			return CLI_OK;
		default: return DEAL_USAGE("bad option");
		}
	}
	if (optind != argc - 1)
		return DEAL_USAGE("deal %s takes one ID", stage);
	if (cli_parse_id(argv[optind], "deal", &id) != 0)
		return CLI_USAGE;
	if ((rc = cli_open(c)) != CLI_OK)
		return rc;
	if (store_begin(c->st, &err) != 0)
		return cli_fail(CLI_FAIL, err);
	if (deal_get(c->st, id, &d, &err) != 0) {
		store_rollback(c->st);
		return cli_fail(CLI_USAGE, err);
	}
	when = c->now;
	person = config_person(c->cfg, d.owner);
	deal_clear(&d);
	if (at != NULL && (person == NULL || cli_parse_when(c, person, at,
	    person_day_start(person), "--at", &when) != 0)) {
		store_rollback(c->st);
		if (person == NULL)
			return cli_failx(CLI_USAGE, "the deal's owner is no "
			    "longer in the config");
		return CLI_USAGE;
	}
	if (deal_close(c->st, id, stage, when, c->now, &err) != 0) {
		store_rollback(c->st);
		return cli_fail(CLI_USAGE, err);
	}
	if (store_commit(c->st, &err) != 0)
		return cli_fail(CLI_FAIL, err);
	cli_wake(c);
	if (deal_get(c->st, id, &d, &err) != 0)
		return cli_fail(CLI_FAIL, err);
	if (c->json)
		cli_print_json(deal_json(&d, deal_zone(c, d.owner)));
	else
		deal_print_human(c, &d);
	deal_clear(&d);
	return CLI_OK;
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
		cli_print_json(deal_json(&d, deal_zone(c, d.owner)));
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
		CLI_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 },
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
		case 'J': c->json = 1; break;
		case 'h': printf("usage: nudge %s\n",
			      cli_command("deal")->usage);
			return CLI_OK;
		default: return DEAL_USAGE("bad option");
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
			    deal_json(&v[i], deal_zone(c, v[i].owner)));
			continue;
		}
		printf("%-6lld %-5s %-10s %-20.20s %-34s %s\n",
		    (long long)v[i].id, v[i].stage, v[i].owner, v[i].account,
		    cli_human_time(c, v[i].closes_at, deal_zone(c, v[i].owner),
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
	if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
		printf("usage: nudge %s\n", cli_command("deal")->usage);
		return CLI_OK;
	}
	return DEAL_USAGE("unknown deal command '%s'", sub);
}
