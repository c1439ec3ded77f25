/* nudge promise: log promises made to customers and how they ended. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cli.h"
#include "config.h"
#include "deal.h"
#include "err.h"
#include "event.h"
#include "jsonout.h"
#include "person.h"
#include "promise.h"
#include "store.h"
#include "text.h"

/* The internal target for a promise due at `due`, made at `made`, by the
 * configured slack in the owner's working time. */
static time_t
promise_target_for(struct cli *c, const struct config_person *person,
    time_t made, time_t due)
{
	struct timeutil_hours hours;
	struct promise_slack slack;

	person_hours(person, &hours);
	slack.percent = c->cfg->promises.slack_percent;
	slack.min = c->cfg->promises.min_slack;
	slack.max = c->cfg->promises.max_slack;
	return promise_target(&hours, &slack, made, due);
}

/* "Wed 10:00" (or "Wed 25 Nov 10:00" when more than a week away). */
static void
promise_short_time(struct cli *c, time_t t, const char *zone, char *buf,
    size_t len)
{
	static const char *const wd[] = { "Mon", "Tue", "Wed", "Thu", "Fri",
		"Sat", "Sun" };
	char iso[64];

	if (timeutil_format_iso(t, zone, iso, sizeof(iso)) != 0) {
		snprintf(buf, len, "?");
		return;
	}
	if (t - c->now < 6 * 86400 && t >= c->now)
		snprintf(buf, len, "%s %.5s", wd[timeutil_local_weekday(zone,
		    t)], iso + 11);
	else
		snprintf(buf, len, "%s %.10s %.5s", wd[timeutil_local_weekday(
		    zone, t)], iso, iso + 11);
}

static void
promise_print_human(struct cli *c, const struct promise *p,
    const struct config_person *person)
{
	const char *zone = person != NULL ? person->timezone :
	    c->cfg->timezone;
	struct timeutil_hours hours;
	char due[96], target[96], gap[64];

	printf("promise %lld  %s%s\n", (long long)p->id, p->state,
	    p->renegotiated > 0 ? ", renegotiated" : "");
	printf("  %s\n", p->text);
	printf("  owner   %s, account %s%s%s\n", p->owner, p->account,
	    p->promised_to != NULL ? ", to " : "",
	    p->promised_to != NULL ? p->promised_to : "");
	printf("  due     %s  (promised to the customer)\n",
	    cli_human_time(c, p->due_at, zone, due, sizeof(due)));
	printf("  target  %s  (our internal target)\n",
	    cli_human_time(c, p->target_at, zone, target, sizeof(target)));
	if (person != NULL && p->target_at < p->due_at) {
		person_hours(person, &hours);
		if (promise_describe_gap(&hours, p->target_at, p->due_at, gap,
		    sizeof(gap)) == 0) {
			promise_short_time(c, p->target_at, zone, target,
			    sizeof(target));
			promise_short_time(c, p->due_at, zone, due,
			    sizeof(due));
			printf("  why     target %s, %s before the %s you "
			    "promised\n", target, gap, due);
		}
	}
	if (p->kept_at != 0)
		printf("  kept    %s  (%s)\n", cli_human_time(c, p->kept_at,
		    zone, due, sizeof(due)), p->kept_at <= p->target_at ?
		    "early: before the target" : p->kept_at <= p->due_at ?
		    "on time" : "late");
}

static int
promise_add(struct cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "owner", required_argument, NULL, 'o' },
		{ "account", required_argument, NULL, 'a' },
		{ "deal", required_argument, NULL, 'D' },
		{ "due", required_argument, NULL, 'u' },
		{ "to", required_argument, NULL, 't' },
		{ "strict", no_argument, NULL, 's' },
		{ "force", no_argument, NULL, 'f' },
		CLI_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	const char *owner = NULL, *account = NULL, *deal = NULL, *due = NULL,
	    *to = NULL;
	const struct config_person *person;
	struct promise p;
	struct deal d;
	json_t *warnings = NULL, *out;
	char *err = NULL;
	int strict = 0, force = 0, ch, rc = CLI_FAIL;
	int64_t deal_id = 0;
	time_t due_at;
	size_t i;

	memset(&p, 0, sizeof(p));
	memset(&d, 0, sizeof(d));
	optind = 0;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'o': owner = optarg; break;
		case 'a': account = optarg; break;
		case 'D': deal = optarg; break;
		case 'u': due = optarg; break;
		case 't': to = optarg; break;
		case 's': strict = 1; break;
		case 'f': force = 1; break;
		case 'J': c->json = 1; break;
		case 'h': printf("usage: nudge %s\n", cli_command("promise")->usage);
			return CLI_OK;
		default: return cli_usage(cli_command("promise"), "bad option");
		}
	}
	if (optind != argc - 1)
		return cli_usage(cli_command("promise"), "promise add takes one TEXT "
		    "(quote it)");
	if (owner == NULL || due == NULL || (account == NULL) == (deal == NULL))
		return cli_usage(cli_command("promise"), "promise add needs --owner, "
		    "--due and one of --account or --deal");
	if (text_check(argv[optind], TEXT_MAX_BYTES, "promise text",
	    &err) != 0 ||
	    (account != NULL && text_check(account, NAME_MAX_BYTES,
	    "account name", &err) != 0) ||
	    (to != NULL && text_check(to, NAME_MAX_BYTES, "--to", &err) != 0))
		return cli_fail(CLI_USAGE, err);
	if ((rc = cli_open(c)) != CLI_OK)
		return rc;
	if ((person = cli_person(c, owner)) == NULL)
		return CLI_USAGE;
	if (deal != NULL && cli_parse_id(deal, "deal", &deal_id) != 0)
		return CLI_USAGE;
	if (cli_parse_when(c, person, due, person_day_end(person), "--due",
	    &due_at) != 0)
		return CLI_USAGE;
	if (due_at <= c->now && !force)
		return cli_failx(CLI_USAGE, "--due %s is in the past (use "
		    "--force to log a promise already due)", due);
	strict = strict || c->cfg->promises.strict;

	if (store_begin(c->st, &err) != 0)
		return cli_fail(CLI_FAIL, err);
	rc = CLI_USAGE;
	if (deal_id != 0) {
		if (deal_get(c->st, deal_id, &d, &err) != 0)
			goto out;
		account = d.account;
		p.deal_id = deal_id;
	}
	rc = CLI_FAIL;
	if (check_promise(c->st, c->cfg, person, argv[optind], c->now, due_at,
	    &warnings, &err) != 0)
		goto out;
	if (strict && json_array_size(warnings) > 0) {
		fprintf(stderr, "nudge: promise refused (--strict):\n");
		for (i = 0; i < json_array_size(warnings); i++)
			fprintf(stderr, "  - %s\n", json_string_value(
			    json_object_get(json_array_get(warnings, i),
			    "reason")));
		rc = CLI_USAGE;
		goto out;
	}
	p.text = strdup(argv[optind]);
	p.owner = strdup(owner);
	p.account = strdup(account);
	p.promised_to = to != NULL ? strdup(to) : NULL;
	p.made_at = c->now;
	p.due_at = due_at;
	p.target_at = promise_target_for(c, person, c->now, due_at);
	if (promise_insert(c->st, &p, c->now, &err) != 0 ||
	    store_commit(c->st, &err) != 0)
		goto out;
	cli_wake(c);
	rc = CLI_OK;
	if (c->json) {
		out = promise_json(&p, person->timezone);
		json_object_set(out, "warnings", warnings);
		cli_print_json(out);
	} else {
		promise_print_human(c, &p, person);
		for (i = 0; i < json_array_size(warnings); i++)
			printf("  warning: %s\n", json_string_value(
			    json_object_get(json_array_get(warnings, i),
			    "reason")));
	}
out:
	if (rc != CLI_OK) {
		store_rollback(c->st);
		if (err != NULL)
			cli_fail(rc, err), err = NULL;
	}
	free(err);
	json_decref(warnings);
	promise_clear(&p);
	deal_clear(&d);
	return rc;
}

/* kept / broken / cancel share everything but the state and --at. */
static int
promise_finish(struct cli *c, int argc, char **argv, const char *state)
{
	static const struct option longopts[] = {
		{ "at", required_argument, NULL, 'a' },
		CLI_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	const struct config_person *person;
	const char *at = NULL;
	struct promise p;
	char *err = NULL;
	int64_t id;
	time_t when;
	int ch, rc;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'a': at = optarg; break;
		case 'J': c->json = 1; break;
		case 'h': printf("usage: nudge %s\n", cli_command("promise")->usage);
			return CLI_OK;
		default: return cli_usage(cli_command("promise"), "bad option");
		}
	}
	if (optind != argc - 1)
		return cli_usage(cli_command("promise"), "promise %s takes one ID",
		    argv[0]);
	if (at != NULL && strcmp(state, "kept") != 0)
		return cli_usage(cli_command("promise"), "--at is for promise kept");
	if (cli_parse_id(argv[optind], "promise", &id) != 0)
		return CLI_USAGE;
	if ((rc = cli_open(c)) != CLI_OK)
		return rc;
	if (store_begin(c->st, &err) != 0)
		return cli_fail(CLI_FAIL, err);
	if (promise_get(c->st, id, &p, &err) != 0) {
		store_rollback(c->st);
		return cli_fail(CLI_USAGE, err);
	}
	when = c->now;
	person = config_person(c->cfg, p.owner);
	if (at != NULL) {
		if (person == NULL) {
			rc = cli_failx(CLI_USAGE, "owner '%s' of promise %lld "
			    "is no longer in the config", p.owner,
			    (long long)id);
			goto out;
		}
		if (cli_parse_when(c, person, at, person_day_end(person),
		    "--at", &when) != 0) {
			rc = CLI_USAGE;
			goto out;
		}
	}
	if (promise_set_state(c->st, id, state, when, c->now, &err) != 0) {
		rc = cli_fail(CLI_USAGE, err);
		goto out;
	}
	if (store_commit(c->st, &err) != 0) {
		rc = cli_fail(CLI_FAIL, err);
		goto out;
	}
	cli_wake(c);
	promise_clear(&p);
	if (promise_get(c->st, id, &p, &err) != 0)
		return cli_fail(CLI_FAIL, err);
	rc = CLI_OK;
	if (c->json)
		cli_print_json(promise_json(&p, person != NULL ?
		    person->timezone : c->cfg->timezone));
	else
		promise_print_human(c, &p, person);
out:
	if (rc != CLI_OK)
		store_rollback(c->st);
	promise_clear(&p);
	return rc;
}

/* A renegotiation's old and new dates and note, from its event data. */
static json_t *
promise_change_data(const struct event *ev)
{
	if (ev->data == NULL || strcmp(ev->kind, "promise.renegotiated") != 0)
		return NULL;
	return json_loads(ev->data, 0, NULL);
}

static void
promise_change_json(json_t *e, const struct event *ev, const char *zone)
{
	json_t *d = promise_change_data(ev);

	if (d == NULL)
		return;
	jsonout_set_time(e, "from_due", json_integer_value(json_object_get(d,
	    "from_due")), zone);
	jsonout_set_time(e, "due", json_integer_value(json_object_get(d,
	    "due")), zone);
	jsonout_set_str(e, "note", json_string_value(json_object_get(d,
	    "note")));
	json_decref(d);
}

static void
promise_print_change(struct cli *c, const struct event *ev, const char *zone)
{
	json_t *d = promise_change_data(ev);
	const char *note;
	char from[96], to[96];

	if (d == NULL)
		return;
	printf("        due moved from %s to %s\n", cli_human_time(c,
	    json_integer_value(json_object_get(d, "from_due")), zone, from,
	    sizeof(from)), cli_human_time(c, json_integer_value(
	    json_object_get(d, "due")), zone, to, sizeof(to)));
	if ((note = json_string_value(json_object_get(d, "note"))) != NULL)
		printf("        note: %s\n", note);
	json_decref(d);
}

static int
promise_renegotiate_cmd(struct cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "due", required_argument, NULL, 'u' },
		{ "note", required_argument, NULL, 'n' },
		CLI_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	const struct config_person *person;
	const char *due = NULL, *note = NULL;
	struct promise p;
	char *err = NULL;
	int64_t id;
	time_t due_at;
	int ch, rc;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'u': due = optarg; break;
		case 'n': note = optarg; break;
		case 'J': c->json = 1; break;
		default: return cli_usage(cli_command("promise"), "bad option");
		}
	}
	if (optind != argc - 1 || due == NULL)
		return cli_usage(cli_command("promise"), "promise renegotiate "
		    "takes one ID and --due WHEN");
	if (cli_parse_id(argv[optind], "promise", &id) != 0)
		return CLI_USAGE;
	if (note != NULL && text_check(note, TEXT_MAX_BYTES, "--note",
	    &err) != 0)
		return cli_fail(CLI_USAGE, err);
	if ((rc = cli_open(c)) != CLI_OK)
		return rc;
	if (store_begin(c->st, &err) != 0)
		return cli_fail(CLI_FAIL, err);
	memset(&p, 0, sizeof(p));
	rc = CLI_USAGE;
	if (promise_get(c->st, id, &p, &err) != 0)
		goto out;
	if ((person = config_person(c->cfg, p.owner)) == NULL) {
		err_set(&err, "owner '%s' of promise %lld is no longer in the "
		    "config", p.owner, (long long)id);
		goto out;
	}
	if (cli_parse_when(c, person, due, person_day_end(person), "--due",
	    &due_at) != 0)
		goto out;
	/* The slack is worked out afresh: the lead time runs from now. */
	if (promise_renegotiate(c->st, id, due_at, promise_target_for(c,
	    person, c->now, due_at), note, c->now, &err) != 0)
		goto out;
	rc = CLI_FAIL;
	if (store_commit(c->st, &err) != 0)
		goto out;
	cli_wake(c);
	promise_clear(&p);
	if (promise_get(c->st, id, &p, &err) != 0)
		goto out;
	rc = CLI_OK;
	if (c->json)
		cli_print_json(promise_json(&p, person->timezone));
	else
		promise_print_human(c, &p, person);
out:
	if (rc != CLI_OK) {
		store_rollback(c->st);
		if (err != NULL)
			cli_fail(rc, err);
	} else
		free(err);
	promise_clear(&p);
	return rc;
}

static int
promise_show(struct cli *c, int argc, char **argv)
{
	const struct config_person *person;
	struct promise p;
	struct event *ev = NULL;
	size_t nev = 0, i;
	char *err = NULL, when[96];
	const char *zone;
	int64_t id;
	int rc;

	if ((rc = cli_parse_only_id(c, argc, argv, "promise", &id)) != 0)
		return rc > 0 ? CLI_OK : CLI_USAGE;
	if ((rc = cli_open(c)) != CLI_OK)
		return rc;
	if (promise_get(c->st, id, &p, &err) != 0)
		return cli_fail(CLI_USAGE, err);
	person = config_person(c->cfg, p.owner);
	zone = person != NULL ? person->timezone : c->cfg->timezone;
	if (event_list_subject(c->st, "promise", id, &ev, &nev, &err) != 0) {
		promise_clear(&p);
		return cli_fail(CLI_FAIL, err);
	}
	if (c->json) {
		json_t *o = promise_json(&p, zone), *h = json_array();
		for (i = 0; i < nev; i++) {
			json_t *e = json_pack("{s:s, s:s?}", "event",
			    ev[i].kind, "by", ev[i].actor);
			jsonout_set_time(e, "at", ev[i].at, zone);
			promise_change_json(e, &ev[i], zone);
			json_array_append_new(h, e);
		}
		json_object_set_new(o, "history", h);
		cli_print_json(o);
	} else {
		promise_print_human(c, &p, person);
		printf("  history\n");
		for (i = 0; i < nev; i++) {
			printf("    %s  %-20s %s\n", cli_human_time(c,
			    ev[i].at, zone, when, sizeof(when)), ev[i].kind,
			    ev[i].actor != NULL ? ev[i].actor : "");
			promise_print_change(c, &ev[i], zone);
		}
	}
	event_list_free(ev, nev);
	promise_clear(&p);
	return CLI_OK;
}

static int
promise_list_cmd(struct cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "owner", required_argument, NULL, 'o' },
		{ "open", no_argument, NULL, 'O' },
		{ "overdue", no_argument, NULL, 'V' },
		{ "kept", no_argument, NULL, 'K' },
		CLI_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	const struct config_person *person;
	struct promise_filter f;
	struct promise *v = NULL;
	char *err = NULL, due[96];
	const char *zone;
	json_t *arr;
	size_t n, i;
	int ch, rc;

	memset(&f, 0, sizeof(f));
	optind = 0;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'o': f.owner = optarg; break;
		case 'O': case 'V': case 'K':
			if (f.state != NULL || f.overdue)
				return cli_usage(cli_command("promise"),
				    "--open, --overdue and --kept are "
				    "alternatives: give one");
			if (ch == 'V')
				f.overdue = 1;
			else
				f.state = ch == 'O' ? "open" : "kept";
			break;
		case 'J': c->json = 1; break;
		case 'h': printf("usage: nudge %s\n", cli_command("promise")->usage);
			return CLI_OK;
		default: return cli_usage(cli_command("promise"), "bad option");
		}
	}
	if (optind != argc)
		return cli_usage(cli_command("promise"), "unexpected '%s'",
		    argv[optind]);
	if ((rc = cli_open(c)) != CLI_OK)
		return rc;
	if (f.owner != NULL && cli_person(c, f.owner) == NULL)
		return CLI_USAGE;
	f.now = c->now;
	if (promise_list(c->st, &f, &v, &n, &err) != 0)
		return cli_fail(CLI_FAIL, err);
	arr = c->json ? json_array() : NULL;
	if (!c->json && n > 0)
		printf("%-6s %-9s %-10s %-20s %-34s %s\n", "ID", "STATE",
		    "OWNER", "ACCOUNT", "DUE", "TEXT");
	for (i = 0; i < n; i++) {
		person = config_person(c->cfg, v[i].owner);
		zone = person != NULL ? person->timezone : c->cfg->timezone;
		if (c->json) {
			json_array_append_new(arr, promise_json(&v[i], zone));
			continue;
		}
		printf("%-6lld %-9s %-10s %-20.20s %-34s %s\n",
		    (long long)v[i].id, v[i].state, v[i].owner, v[i].account,
		    cli_human_time(c, v[i].due_at, zone, due, sizeof(due)),
		    v[i].text);
	}
	if (c->json)
		cli_print_json(arr);
	promise_list_free(v, n);
	return CLI_OK;
}

int
cmd_promise(struct cli *c, int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "";

	if (strcmp(sub, "add") == 0)
		return promise_add(c, argc - 1, argv + 1);
	if (strcmp(sub, "kept") == 0)
		return promise_finish(c, argc - 1, argv + 1, "kept");
	if (strcmp(sub, "broken") == 0)
		return promise_finish(c, argc - 1, argv + 1, "broken");
	if (strcmp(sub, "cancel") == 0)
		return promise_finish(c, argc - 1, argv + 1, "cancelled");
	if (strcmp(sub, "renegotiate") == 0)
		return promise_renegotiate_cmd(c, argc - 1, argv + 1);
	if (strcmp(sub, "show") == 0)
		return promise_show(c, argc - 1, argv + 1);
	if (strcmp(sub, "list") == 0)
		return promise_list_cmd(c, argc - 1, argv + 1);
	if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
		printf("usage: nudge %s\n", cli_command("promise")->usage);
		return CLI_OK;
	}
	return cli_usage(cli_command("promise"), "unknown promise command '%s'", sub);
}
