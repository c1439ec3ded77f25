/*
 * nudge delivery: the outbox as an operator sees it (what is queued,
 * failing or dead, and why), and the dead letters acted on: retried with
 * the same delivery id, or dismissed as handled.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "config.h"
#include "event.h"
#include "followup.h"
#include "jsonout.h"
#include "outbox.h"

/* Only a row still to be tried has a next attempt; in a table (table
 * 1) the moment alone, for its column of CLI_TIME_COLS. */
static const char *
delivery_next(struct cli *c, const struct outbox_item *it, int table,
    char *buf, size_t len)
{
	if (strcmp(it->state, "queued") != 0 && strcmp(it->state, "retry") != 0)
		return "-";
	return table ? cli_table_time(c, it->next_attempt_at,
	    c->cfg->timezone, buf, len) : cli_human_time(c,
	    it->next_attempt_at, c->cfg->timezone, buf, len);
}

/* The list's columns; the last error takes what the terminal has left
 * (all of it: `delivery show ID`). */
static const struct cli_col delivery_cols[] = {
	{ "ID", 7 }, { "FOLLOW-UP", 9 }, { "CHANNEL", 10 }, { "STATE", 9 },
	{ "TRIES", 5 }, { "NEXT ATTEMPT", CLI_TIME_COLS }, { "LAST ERROR", 0 },
	CLI_COL_END,
};

static void
delivery_list_row(struct cli *c, const struct cli_list *l,
    const struct cli_table *t, const void *e)
{
	const struct outbox_item *it = e;
	char buf[96], id[24], followup[24], tries[24];

	snprintf(id, sizeof(id), "%lld", (long long)it->id);
	snprintf(followup, sizeof(followup), "%lld",
	    (long long)it->followup_id);
	(void)l;
	snprintf(tries, sizeof(tries), "%d", it->attempts);
	cli_table_row(t, (const char *const[]){ id, followup,
	    it->channel, it->state, tries, delivery_next(c, it, 1, buf,
	    sizeof(buf)), it->last_error != NULL ? it->last_error : "-" });
}

static json_t *
delivery_list_json(struct cli *c, const struct cli_list *l, const void *e)
{
	(void)l;
	return outbox_json(e, c->cfg->timezone);
}

CLI_LIST(delivery, struct outbox_item, outbox_list_free, "deliveries",
    delivery_cols, delivery_list_json, delivery_list_row);

enum { DL_DEAD, DL_FAILING };
static const struct cli_opt delivery_list_opts[] = {
	[DL_DEAD] = { "dead", 0, NULL, 1, 0,
	    "only dead ones (not dismissed)" },
	[DL_FAILING] = { "failing", 0, NULL, 1, 0,
	    "only those failing, to be tried again" },
	CLI_OPT_END,
};

static int
delivery_list_cmd(struct cli *c, const struct cli_args *a)
{
	struct outbox_item *v = NULL;
	const char *state = a->v[DL_DEAD] != NULL ? "dead" :
	    a->v[DL_FAILING] != NULL ? "retry" : NULL;
	char *err = NULL;
	size_t n = 0;
	int rc;

	if ((rc = cli_open(c)) != CLI_OK)
		return rc;
	rc = outbox_list(c->st, state, &v, &n, &err);
	return cli_list_out(c, &delivery_list_print, rc, err, v, n);
}

/* An event's detail (delivery.retried, .dismissed) for people. */
static void
delivery_print_event(struct cli *c, const struct event *ev)
{
	json_t *d = ev->data != NULL ? json_loads(ev->data, 0, NULL) : NULL;
	const char *note = json_string_value(json_object_get(d, "note"));
	const char *was = json_string_value(json_object_get(d, "was"));
	const char *error = json_string_value(json_object_get(d,
	    "last_error"));
	char when[96];

	printf("    %s  %-19s %s\n", cli_human_time(c, ev->at,
	    c->cfg->timezone, when, sizeof(when)), ev->kind,
	    ev->actor != NULL ? ev->actor : "");
	if (was != NULL && strcmp(ev->kind, "delivery.retried") == 0)
		printf("      was %s after %lld attempts%s%s\n", was,
		    (long long)json_integer_value(json_object_get(d,
		    "attempts")), error != NULL ? ": " : "",
		    error != NULL ? error : "");
	if (note != NULL)
		printf("      note: %s\n", note);
	json_decref(d);
}

static void
delivery_print_human(struct cli *c, const struct outbox_item *it,
    const struct followup *f, const struct event *ev, size_t nev)
{
	char buf[96];
	size_t i;

	printf("delivery %lld  %s\n", (long long)it->id, it->state);
	printf("  id         %s (webhook-id, Message-ID)\n", it->delivery_id);
	printf("  follow-up  %lld", (long long)it->followup_id);
	if (f->id != 0)
		printf(" for %s: %s", f->owner, f->text);
	printf("\n  channel    %s\n  attempts   %d\n", it->channel,
	    it->attempts);
	printf("  next       %s\n", delivery_next(c, it, 0, buf,
	    sizeof(buf)));
	if (it->last_error != NULL)
		printf("  error      %s\n", it->last_error);
	printf("  created    %s\n", cli_human_time(c, it->created_at,
	    c->cfg->timezone, buf, sizeof(buf)));
	if (it->delivered_at != 0)
		printf("  delivered  %s\n", cli_human_time(c, it->delivered_at,
		    c->cfg->timezone, buf, sizeof(buf)));
	printf("  history%s\n", nev == 0 ? "    (no action taken)" : "");
	for (i = 0; i < nev; i++)
		delivery_print_event(c, &ev[i]);
}

static json_t *
delivery_history_json(struct cli *c, const struct event *ev, size_t nev)
{
	json_t *h = json_array(), *e, *d;
	size_t i;

	for (i = 0; i < nev; i++) {
		e = json_pack("{s:s, s:s?}", "event", ev[i].kind, "by",
		    ev[i].actor);
		jsonout_set_time(e, "at", ev[i].at, c->cfg->timezone);
		if (ev[i].data != NULL &&
		    (d = json_loads(ev[i].data, 0, NULL)) != NULL) {
			json_object_update(e, d);
			json_decref(d);
		}
		json_array_append_new(h, e);
	}
	return h;
}

static int
delivery_show(struct cli *c, const struct cli_args *a)
{
	struct outbox_item it;
	struct followup f;
	struct event *ev = NULL;
	size_t nev = 0;
	char *err = NULL;
	int64_t id;
	int rc;
	json_t *o;

	if ((rc = cli_arg_id(a, 0, "delivery", &id)) != CLI_OK ||
	    (rc = cli_open(c)) != CLI_OK)
		return rc;
	if ((rc = outbox_find(c->st, id, &it, &err)) <= 0)
		return rc < 0 ? cli_fail(CLI_FAIL, err) : cli_failx(CLI_USAGE,
		    "no delivery with id %lld", (long long)id);
	/* The follow-up is context: without it the delivery still shows. */
	if (followup_get(c->st, it.followup_id, &f, &err) != 0) {
		free(err);
		err = NULL;
	}
	if (event_list_subject(c->st, "delivery", id, &ev, &nev, &err) != 0) {
		rc = cli_fail(CLI_FAIL, err);
	} else if (c->json) {
		o = outbox_json(&it, c->cfg->timezone);
		json_object_set_new(o, "history",
		    delivery_history_json(c, ev, nev));
		rc = cli_print_json(o);
	} else {
		delivery_print_human(c, &it, &f, ev, nev);
		rc = CLI_OK;
	}
	event_list_free(ev, nev);
	followup_clear(&f);
	outbox_item_clear(&it);
	return rc;
}

enum { DR_ALL_DEAD, DR_NOTE };
static const struct cli_opt delivery_retry_opts[] = {
	[DR_ALL_DEAD] = { "all-dead", 0, NULL, 0, 0,
	    "every dead one not dismissed, not one ID" },
	[DR_NOTE] = { "note", 0, "TEXT", 0, 0, "why, kept in its history" },
	CLI_OPT_END,
};
enum { DD_NOTE };
static const struct cli_opt delivery_dismiss_opts[] = {
	[DD_NOTE] = { "note", 0, "TEXT", 0, 0,
	    "how it was handled, kept in its history" },
	CLI_OPT_END,
};

/* retry / dismiss: one use-case call, print what it did. */
static int
delivery_act_cmd(struct cli *c, const struct cli_args *a)
{
	int dismiss = strcmp(a->sub->name, "dismiss") == 0, rc;
	struct uc_delivery_action req = { 0, 0, NULL };
	struct uc_delivery_done done;
	char *err = NULL;
	json_t *arr;
	size_t i;

	req.all_dead = !dismiss && a->v[DR_ALL_DEAD] != NULL;
	req.note = a->v[dismiss ? DD_NOTE : DR_NOTE];
	if (a->n != !req.all_dead)
		return cli_usage(a, "delivery retry takes one ID, or "
		    "--all-dead");
	if (!req.all_dead && (rc = cli_arg_id(a, 0, "delivery",
	    &req.id)) != CLI_OK)
		return rc;
	if ((rc = cli_ctx(c)) != CLI_OK || (rc = cli_uc_status(dismiss ?
	    uc_delivery_dismiss(&c->uc, &req, &done, &err) :
	    uc_delivery_retry(&c->uc, &req, &done, &err), &err)) != CLI_OK)
		return rc;
	if (!dismiss)
		cli_wake(c);
	if (c->json && req.all_dead) {
		arr = json_array();
		for (i = 0; i < done.n; i++)
			json_array_append_new(arr, outbox_json(&done.items[i],
			    c->cfg->timezone));
		cli_print_json(arr);
	} else if (c->json)
		cli_print_json(outbox_json(&done.items[0], c->cfg->timezone));
	else if (done.n == 0)
		printf("no dead deliveries to retry\n");
	for (i = 0; !c->json && i < done.n; i++)
		printf("delivery %lld %s: %s via %s (follow-up %lld)\n",
		    (long long)done.items[i].id, dismiss ? "dismissed" :
		    "queued again, due now", done.items[i].delivery_id,
		    done.items[i].channel,
		    (long long)done.items[i].followup_id);
	uc_delivery_done_clear(&done);
	return CLI_OK;
}

const struct cli_sub cli_delivery_subs[] = {
	{ "list", NULL, 0, 0, delivery_list_cmd, delivery_list_opts,
	    "what is queued, failing or dead, and why", NULL },
	{ "show", "ID", 1, 1, delivery_show, NULL,
	    "one delivery, its follow-up and what was done to it", NULL },
	{ "retry", "ID", 0, 1, delivery_act_cmd, delivery_retry_opts,
	    "a dead delivery queued again, due now, with the same id",
	    "(ID | --all-dead) [--note TEXT]" },
	{ "dismiss", "ID", 1, 1, delivery_act_cmd, delivery_dismiss_opts,
	    "a dead delivery marked handled (no longer counted by status)",
	    NULL },
	CLI_SUB_END,
};
