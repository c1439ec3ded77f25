/* nudge promise: log promises made to customers and how they ended. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "config.h"
#include "event.h"
#include "jsonout.h"
#include "person.h"
#include "promise.h"

CLI_RECORD(promise, "promise", "promises", "STATE", 9, state, "DUE", due_at,
    "TEXT", text, 1);

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

static const char *const promise_kept_words[] = {
	[PROMISE_KEPT_EARLY] = "early: before the target",
	[PROMISE_KEPT_ON_TIME] = "on time",
	[PROMISE_KEPT_LATE] = "late",
};

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
		    zone, due, sizeof(due)), promise_kept_words[
		    promise_kept_how(p)]);
}

/* The promise e for people, with its owner's working hours. */
static void
promise_human(struct cli *c, const void *e)
{
	const struct promise *p = e;

	promise_print_human(c, p, config_person(c->cfg, p->owner));
}

enum { PA_OWNER, PA_ACCOUNT, PA_DEAL, PA_DUE, PA_TO, PA_STRICT, PA_FORCE };
static const struct cli_opt promise_add_opts[] = {
	[PA_OWNER] = CLI_OPT_OWNER_OF(uc_promise_add, "who keeps it"),
	[PA_ACCOUNT] = CLI_OPT_ACCOUNT(uc_promise_add, 1),
	[PA_DEAL] = CLI_OPT_DEAL(uc_promise_add, 1),
	[PA_DUE] = { "due", 0, "WHEN", 0, CLI_NEED,
	    "when the customer was promised it", CLI_STR(uc_promise_add, due) },
	[PA_TO] = { "to", 0, "CONTACT", 0, 0, "who at the customer",
	    CLI_STR(uc_promise_add, to) },
	[PA_STRICT] = { "strict", 0, NULL, 0, 0,
	    "refuse it (exit 2) when any warning applies",
	    CLI_FLAG(uc_promise_add, strict) },
	[PA_FORCE] = { "force", 0, NULL, 0, 0, "accept a due date in the past",
	    CLI_FLAG(uc_promise_add, force) },
	CLI_OPT_END,
};

static int
promise_add(struct cli *c, const struct cli_args *a)
{
	struct uc_promise_add req;
	struct uc_promise_added r;
	json_t *out;
	char *err = NULL;
	int rc;
	size_t i;

	if ((rc = cli_fill(c, a, &req, sizeof(req))) != CLI_OK)
		return rc;
	if ((rc = cli_uc_status(uc_promise_add(&c->uc, &req, &r, &err),
	    &err)) != CLI_OK) {
		uc_promise_added_clear(&r);
		return rc;
	}
	cli_wake(c);
	if (c->json) {
		out = promise_json(&r.promise, r.owner->timezone);
		json_object_set(out, "warnings", r.warnings);
		cli_print_json(out);
	} else {
		promise_print_human(c, &r.promise, r.owner);
		for (i = 0; i < json_array_size(r.warnings); i++)
			printf("  warning: %s\n", json_string_value(
			    json_object_get(json_array_get(r.warnings, i),
			    "reason")));
	}
	uc_promise_added_clear(&r);
	return CLI_OK;
}

/* kept takes --at; broken and cancel take nothing. */
static const struct cli_opt promise_kept_opts[] = {
	{ "at", 0, "WHEN", 0, 0, "when it was kept (default now)" },
	CLI_OPT_END,
};

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

static const struct cli_opt promise_renegotiate_opts[] = {
	{ "due", 0, "WHEN", 0, CLI_NEED, "the new date agreed with the customer" },
	{ "note", 0, "TEXT", 0, 0, "why, kept in the promise's history" },
	CLI_OPT_END,
};

/* kept / broken / cancel / renegotiate: the promise's change. */
static enum uc_status
promise_change(struct cli *c, const struct cli_args *a, int64_t id, void *e,
    char **errp)
{
	const char *sub = a->sub->name;

	if (strcmp(sub, "renegotiate") == 0)
		return uc_promise_renegotiate(&c->uc, id, a->v[0], a->v[1], e,
		    errp);
	return uc_promise_finish(&c->uc, id, strcmp(sub, "cancel") == 0 ?
	    "cancelled" : sub, a->v[0], e, errp);
}

CLI_RECORD_CHANGE(promise, promise_change, promise_human)

static int
promise_show(struct cli *c, const struct cli_args *a)
{
	struct promise p;
	struct event *ev = NULL;
	size_t nev = 0, i;
	char *err = NULL, when[96];
	const char *zone;
	int64_t id;
	int rc;

	if ((rc = cli_record_get(c, a, &promise_record, &p, &id)) != CLI_OK)
		return rc;
	zone = person_zone(c->cfg, p.owner);
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
		promise_human(c, &p);
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

enum { PL_OWNER, PL_OPEN, PL_OVERDUE, PL_KEPT };
static const struct cli_opt promise_list_opts[] = {
	[PL_OWNER] = CLI_OPT_OWNER,
	[PL_OPEN] = { "open", 0, NULL, 1, 0, "only open ones" },
	[PL_OVERDUE] = { "overdue", 0, NULL, 1, 0,
	    "only open ones past their due date" },
	[PL_KEPT] = { "kept", 0, NULL, 1, 0, "only kept ones" },
	CLI_OPT_END,
};

static int
promise_list_cmd(struct cli *c, const struct cli_args *a)
{
	/* --overdue is the state "overdue": open ones past their date. */
	struct promise_filter f = { .owner = a->v[PL_OWNER], .state =
	    cli_given_name(a, PL_OPEN, PL_KEPT), .now = c->now };

	return cli_record_list(c, &promise_record, &f, f.owner);
}

const struct cli_sub cli_promise_subs[] = {
	{ "add", "TEXT", 1, 1, promise_add, promise_add_opts,
	    "log a promise made to a customer", NULL,
	    CLI_STR(uc_promise_add, text) },
	{ "kept", "ID", 1, 1, promise_change_cmd, promise_kept_opts,
	    "the promise was kept", NULL },
	{ "broken", "ID", 1, 1, promise_change_cmd, NULL,
	    "the promise was broken", NULL },
	{ "cancel", "ID", 1, 1, promise_change_cmd, NULL,
	    "the promise no longer holds", NULL },
	{ "renegotiate", "ID", 1, 1, promise_change_cmd,
	    promise_renegotiate_opts,
	    "move an open promise to a date agreed again", NULL },
	{ "show", "ID", 1, 1, promise_show, NULL,
	    "one promise and its history", NULL },
	{ "list", NULL, 0, 0, promise_list_cmd, promise_list_opts,
	    "the promises, by due date", NULL },
	CLI_SUB_END,
};
