/* nudge followup: ad-hoc reminders to come back to a customer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "person.h"
#include "config.h"
#include "followup.h"

#define FOLLOWUP_USAGE(...) cli_usage(cli_command("followup"), __VA_ARGS__)

static void
followup_print_human(struct cli *c, const struct followup *f)
{
	char buf[96];

	printf("follow-up %lld  %s\n", (long long)f->id, f->state);
	printf("  %s\n", f->text);
	printf("  owner   %s%s%s\n", f->owner,
	    f->account != NULL ? ", account " : "",
	    f->account != NULL ? f->account : "");
	printf("  remind  %s\n", cli_human_time(c, f->remind_at,
	    person_zone(c->cfg, f->owner), buf, sizeof(buf)));
	if (f->folded_into != 0)
		printf("  sent    as part of follow-up %lld\n",
		    (long long)f->folded_into);
	if (f->note != NULL)
		printf("  note    %s\n", f->note);
}

/* Print the follow-up id as it is now in the store. */
static int
followup_show_id(struct cli *c, int64_t id)
{
	struct followup f;
	char *err = NULL;

	if (followup_get(c->st, id, &f, &err) != 0)
		return cli_fail(CLI_USAGE, err);
	if (c->json)
		cli_print_json(followup_json(&f, person_zone(c->cfg, f.owner)));
	else
		followup_print_human(c, &f);
	followup_clear(&f);
	return CLI_OK;
}

/* A follow-up written: wake the daemon, print it, and free it. */
static int
followup_done(struct cli *c, struct followup *f)
{
	cli_wake(c);
	if (c->json)
		cli_print_json(followup_json(f, person_zone(c->cfg, f->owner)));
	else
		followup_print_human(c, f);
	followup_clear(f);
	return CLI_OK;
}

static int
followup_add(struct cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "owner", required_argument, NULL, 'o' },
		{ "account", required_argument, NULL, 'a' },
		{ "deal", required_argument, NULL, 'D' },
		{ "at", required_argument, NULL, 't' },
		{ "in", required_argument, NULL, 'i' },
		{ "force", no_argument, NULL, 'f' },
		CLI_COMMON_LONGOPTS_END
	};
	struct uc_followup_add req;
	const char *deal = NULL;
	struct followup f;
	struct uc_ctx ctx;
	enum uc_status st;
	char *err = NULL;
	int ch, rc;

	memset(&req, 0, sizeof(req));
	optind = 0;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'o': req.owner = optarg; break;
		case 'a': req.account = optarg; break;
		case 'D': deal = optarg; break;
		case 't': req.at = optarg; break;
		case 'i': req.in = optarg; break;
		case 'f': req.force = 1; break;
		CLI_COMMON_CASES(c, "followup");
		}
	}
	if (optind != argc - 1)
		return FOLLOWUP_USAGE("followup add takes one TEXT (quote it)");
	if (req.owner == NULL || (req.account == NULL) == (deal == NULL) ||
	    (req.at == NULL) == (req.in == NULL))
		return FOLLOWUP_USAGE("followup add needs --owner, one of "
		    "--account or --deal, and one of --at or --in");
	req.text = argv[optind];
	if (deal != NULL && cli_parse_id(deal, "deal", &req.deal_id) != 0)
		return CLI_USAGE;
	if ((rc = cli_ctx(c, &ctx)) != CLI_OK)
		return rc;
	if ((st = uc_followup_add(&ctx, &req, &f, &err)) != UC_OK) {
		followup_clear(&f);
		return cli_uc_fail(st, err);
	}
	return followup_done(c, &f);
}

/* done / cancel / snooze: one id, change, print. */
static int
followup_change(struct cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "note", required_argument, NULL, 'n' },
		{ "until", required_argument, NULL, 'u' },
		CLI_COMMON_LONGOPTS_END
	};
	const char *sub = argv[0], *note = NULL, *until = NULL, *dur_s = NULL;
	struct uc_ctx ctx;
	struct followup f;
	enum uc_status st;
	char *err = NULL;
	int64_t id;
	int ch, rc, snooze = strcmp(sub, "snooze") == 0;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'n': note = optarg; break;
		case 'u': until = optarg; break;
		CLI_COMMON_CASES(c, "followup");
		}
	}
	if (snooze) {
		if (!((optind == argc - 1 && until != NULL) ||
		    (optind == argc - 2 && until == NULL)))
			return FOLLOWUP_USAGE("followup snooze takes an ID and "
			    "a DURATION, or an ID and --until WHEN");
		dur_s = until == NULL ? argv[optind + 1] : NULL;
	} else if (optind != argc - 1)
		return FOLLOWUP_USAGE("followup %s takes one ID", sub);
	if (note != NULL && strcmp(sub, "done") != 0)
		return FOLLOWUP_USAGE("--note is for followup done");
	if (cli_parse_id(argv[optind], "follow-up", &id) != 0)
		return CLI_USAGE;
	if ((rc = cli_ctx(c, &ctx)) != CLI_OK)
		return rc;
	st = snooze ? uc_followup_snooze(&ctx, id, dur_s, until, &f, &err) :
	    uc_followup_finish(&ctx, id, strcmp(sub, "done") == 0 ? "done" :
	    "cancelled", note, &f, &err);
	if (st != UC_OK) {
		followup_clear(&f);
		return cli_uc_fail(st, err);
	}
	return followup_done(c, &f);
}

static int
followup_list_cmd(struct cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "owner", required_argument, NULL, 'o' },
		{ "done", no_argument, NULL, 'D' },
		{ "cancelled", no_argument, NULL, 'C' },
		CLI_COMMON_LONGOPTS_END
	};
	struct followup_filter f;
	struct followup *v = NULL;
	char *err = NULL, buf[96];
	json_t *arr = NULL;
	size_t n, i;
	int ch, rc;

	memset(&f, 0, sizeof(f));
	optind = 0;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'o': f.owner = optarg; break;
		case 'D': case 'C':
			if (f.state != NULL)
				return FOLLOWUP_USAGE("--done and --cancelled "
				    "are alternatives: give one");
			f.state = ch == 'D' ? "done" : "cancelled";
			break;
		CLI_COMMON_CASES(c, "followup");
		}
	}
	if (optind != argc)
		return FOLLOWUP_USAGE("unexpected '%s'", argv[optind]);
	if ((rc = cli_open(c)) != CLI_OK)
		return rc;
	if (f.owner != NULL && cli_person(c, f.owner) == NULL)
		return CLI_USAGE;
	if (followup_list(c->st, &f, &v, &n, &err) != 0)
		return cli_fail(CLI_FAIL, err);
	if (c->json)
		arr = json_array();
	else if (n > 0)
		printf("%-6s %-9s %-10s %-34s %s\n", "ID", "STATE", "OWNER",
		    "REMIND", "TEXT");
	for (i = 0; i < n; i++) {
		if (c->json) {
			json_array_append_new(arr, followup_json(&v[i],
			    person_zone(c->cfg, v[i].owner)));
			continue;
		}
		printf("%-6lld %-9s %-10s %-34s %s\n", (long long)v[i].id,
		    v[i].state, v[i].owner, cli_human_time(c, v[i].remind_at,
		    person_zone(c->cfg, v[i].owner), buf, sizeof(buf)),
		    v[i].text);
	}
	if (c->json)
		cli_print_json(arr);
	followup_list_free(v, n);
	return CLI_OK;
}

int
cmd_followup(struct cli *c, int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "";
	int64_t id;
	int rc;

	if (strcmp(sub, "add") == 0)
		return followup_add(c, argc - 1, argv + 1);
	if (strcmp(sub, "done") == 0 || strcmp(sub, "cancel") == 0 ||
	    strcmp(sub, "snooze") == 0)
		return followup_change(c, argc - 1, argv + 1);
	if (strcmp(sub, "list") == 0)
		return followup_list_cmd(c, argc - 1, argv + 1);
	if (strcmp(sub, "show") == 0) {
		if ((rc = cli_parse_only_id(c, argc - 1, argv + 1,
		    "follow-up", &id)) != 0)
			return rc > 0 ? CLI_OK : CLI_USAGE;
		if ((rc = cli_open(c)) != CLI_OK)
			return rc;
		return followup_show_id(c, id);
	}
	if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0)
		return cli_help("followup");
	return FOLLOWUP_USAGE("unknown followup command '%s'", sub);
}
