/* nudge followup: ad-hoc reminders to come back to a customer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "cli.h"
#include "config.h"
#include "deal.h"
#include "followup.h"
#include "person.h"
#include "store.h"
#include "text.h"
#include "timeutil.h"

#define FOLLOWUP_USAGE(...) cli_usage(cli_command("followup"), __VA_ARGS__)

static const char *
followup_zone(struct cli *c, const char *owner)
{
	const struct config_person *p = config_person(c->cfg, owner);

	return p != NULL ? p->timezone : c->cfg->timezone;
}

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
	    followup_zone(c, f->owner), buf, sizeof(buf)));
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
		cli_print_json(followup_json(&f, followup_zone(c, f.owner)));
	else
		followup_print_human(c, &f);
	followup_clear(&f);
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
		CLI_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	const char *owner = NULL, *account = NULL, *deal = NULL, *at = NULL,
	    *in = NULL;
	const struct config_person *person;
	struct timeutil_duration dur;
	struct timeutil_hours hours;
	struct followup f;
	struct deal d;
	char *err = NULL;
	int ch, rc, inserted, force = 0, created;
	int64_t deal_id = 0;
	time_t due;

	memset(&f, 0, sizeof(f));
	memset(&d, 0, sizeof(d));
	optind = 0;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'o': owner = optarg; break;
		case 'a': account = optarg; break;
		case 'D': deal = optarg; break;
		case 't': at = optarg; break;
		case 'i': in = optarg; break;
		case 'f': force = 1; break;
		case 'J': c->json = 1; break;
		case 'h': printf("usage: nudge %s\n",
			      cli_command("followup")->usage);
			return CLI_OK;
		default: return FOLLOWUP_USAGE("bad option");
		}
	}
	if (optind != argc - 1)
		return FOLLOWUP_USAGE("followup add takes one TEXT (quote it)");
	if (owner == NULL || (account == NULL) == (deal == NULL) ||
	    (at == NULL) == (in == NULL))
		return FOLLOWUP_USAGE("followup add needs --owner, one of "
		    "--account or --deal, and one of --at or --in");
	if (text_check(argv[optind], TEXT_MAX_BYTES, "follow-up text",
	    &err) != 0 || (account != NULL &&
	    text_check(account, NAME_MAX_BYTES, "account name", &err) != 0))
		return cli_fail(CLI_USAGE, err);
	if ((rc = cli_open(c)) != CLI_OK)
		return rc;
	if ((person = cli_person(c, owner)) == NULL)
		return CLI_USAGE;
	if (deal != NULL && cli_parse_id(deal, "deal", &deal_id) != 0)
		return CLI_USAGE;
	person_hours(person, &hours);
	if (in != NULL) {
		if (timeutil_parse_duration(in, &dur, &err) != 0)
			return cli_failx(CLI_USAGE, "--in: %s", err),
			    free(err), CLI_USAGE;
		due = timeutil_apply(&hours, c->now, &dur, +1);
	} else if (cli_parse_when(c, person, at, person_day_start(person),
	    "--at", &due) != 0)
		return CLI_USAGE;
	if (due < c->now && !force)
		return cli_failx(CLI_USAGE, "--at %s is in the past (use "
		    "--force to log it anyway)", at);
	if (store_begin(c->st, &err) != 0)
		return cli_fail(CLI_FAIL, err);
	rc = CLI_USAGE;
	if (deal_id != 0) {
		if (deal_get(c->st, deal_id, &d, &err) != 0)
			goto out;
		f.account_id = d.account_id;
		f.deal_id = deal_id;
	}
	rc = CLI_FAIL;
	if (account != NULL && account_ensure(c->st, account, c->now,
	    &f.account_id, &created, &err) != 0)
		goto out;
	f.owner = strdup(owner);
	f.text = strdup(argv[optind]);
	f.due_at = due;
	f.remind_at = person_remind_at(person, due, c->now);
	if (followup_insert(c->st, &f, c->now, &inserted, &err) != 0 ||
	    store_commit(c->st, &err) != 0)
		goto out;
	cli_wake(c);
	rc = followup_show_id(c, f.id);
out:
	if (rc != CLI_OK) {
		store_rollback(c->st);
		if (err != NULL)
			cli_fail(rc, err), err = NULL;
	}
	free(err);
	followup_clear(&f);
	deal_clear(&d);
	return rc;
}

/* done / cancel / snooze: one id, change, print. */
static int
followup_change(struct cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "note", required_argument, NULL, 'n' },
		{ "until", required_argument, NULL, 'u' },
		CLI_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	const char *sub = argv[0], *note = NULL, *until = NULL, *dur_s = NULL;
	const struct config_person *person;
	struct timeutil_duration dur;
	struct timeutil_hours hours;
	struct followup f;
	char *err = NULL;
	int64_t id;
	time_t due = 0;
	int ch, rc, snooze = strcmp(sub, "snooze") == 0;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'n': note = optarg; break;
		case 'u': until = optarg; break;
		case 'J': c->json = 1; break;
		case 'h': printf("usage: nudge %s\n",
			      cli_command("followup")->usage);
			return CLI_OK;
		default: return FOLLOWUP_USAGE("bad option");
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
	if (note != NULL && (strcmp(sub, "done") != 0 ||
	    text_check(note, TEXT_MAX_BYTES, "--note", &err) != 0))
		return err != NULL ? cli_fail(CLI_USAGE, err) :
		    FOLLOWUP_USAGE("--note is for followup done");
	if (cli_parse_id(argv[optind], "follow-up", &id) != 0)
		return CLI_USAGE;
	if ((rc = cli_open(c)) != CLI_OK)
		return rc;
	if (store_begin(c->st, &err) != 0)
		return cli_fail(CLI_FAIL, err);
	if (followup_get(c->st, id, &f, &err) != 0) {
		store_rollback(c->st);
		return cli_fail(CLI_USAGE, err);
	}
	rc = CLI_USAGE;
	if (snooze) {
		if ((person = config_person(c->cfg, f.owner)) == NULL) {
			cli_failx(CLI_USAGE, "owner '%s' is no longer in the "
			    "config", f.owner);
			goto out;
		}
		person_hours(person, &hours);
		if (dur_s != NULL) {
			if (timeutil_parse_duration(dur_s, &dur, &err) != 0)
				goto out;
			due = timeutil_apply(&hours, c->now, &dur, +1);
		} else if (cli_parse_when(c, person, until,
		    person_day_start(person), "--until", &due) != 0)
			goto out;
		if (followup_snooze(c->st, id, due,
		    person_remind_at(person, due, c->now), c->now, &err) != 0)
			goto out;
	} else if (followup_finish(c->st, id,
	    strcmp(sub, "done") == 0 ? "done" : "cancelled", note, c->now,
	    &err) != 0)
		goto out;
	rc = CLI_FAIL;
	if (store_commit(c->st, &err) != 0)
		goto out;
	cli_wake(c);
	rc = followup_show_id(c, id);
out:
	if (rc != CLI_OK) {
		store_rollback(c->st);
		if (err != NULL)
			cli_fail(rc, err), err = NULL;
	}
	followup_clear(&f);
	return rc;
}

static int
followup_list_cmd(struct cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "owner", required_argument, NULL, 'o' },
		{ "done", no_argument, NULL, 'D' },
		{ "cancelled", no_argument, NULL, 'C' },
		CLI_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 },
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
		case 'J': c->json = 1; break;
		case 'h': printf("usage: nudge %s\n",
			      cli_command("followup")->usage);
			return CLI_OK;
		default: return FOLLOWUP_USAGE("bad option");
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
			    followup_zone(c, v[i].owner)));
			continue;
		}
		printf("%-6lld %-9s %-10s %-34s %s\n", (long long)v[i].id,
		    v[i].state, v[i].owner, cli_human_time(c, v[i].remind_at,
		    followup_zone(c, v[i].owner), buf, sizeof(buf)),
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
	if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
		printf("usage: nudge %s\n", cli_command("followup")->usage);
		return CLI_OK;
	}
	return FOLLOWUP_USAGE("unknown followup command '%s'", sub);
}
