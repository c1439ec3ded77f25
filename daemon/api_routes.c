/* The API's endpoints: a body read against its field table (named as
 * the CLI's options), one use-case or read, the record as JSON. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_impl.h"
#include "config.h"
#include "deal.h"
#include "followup.h"
#include "person.h"
#include "promise.h"
#include "report.h"
#include "store.h"

/* --- the records as JSON --- */

static json_t *
api_deal_json(struct api_call *c, const struct deal *d)
{
	json_t *o = deal_json(d, person_zone(c->cfg, d->owner));
	char *source = NULL, *ext = NULL;

	if (o != NULL && uc_deal_external(c->st, d->id, &source, &ext,
	    NULL) == 0 && source != NULL) {
		json_object_set_new(o, "source", json_string(source));
		json_object_set_new(o, "external_id", json_string(ext));
	}
	free(source);
	free(ext);
	return o;
}

/* A record a GET names is not there: 404 with the model's message. */
static void
api_missing(struct api_call *c, char *err)
{
	c->ctx.refusal = UC_NOT_FOUND;
	api_uc_problem(c, UC_REFUSED, err);
}

static json_t *
api_promise_added_json(struct api_call *c, const struct uc_promise_added *r)
{
	json_t *o = promise_json(&r->promise, person_zone(c->cfg,
	    r->promise.owner));

	json_object_set_new(o, "warnings", r->warnings != NULL ?
	    json_incref(r->warnings) : json_array());
	return o;
}

/* rec (a record of kind k, or a row of its list) as JSON; q: the write's
 * request, which the touch's answer repeats. */
static json_t *
api_kind_json(struct api_call *c, enum api_kind k,
    const union api_body *q, const void *rec)
{
	const struct promise *p = rec;
	const struct followup *f = rec;

	switch (k) {
	case API_DEAL:
		return api_deal_json(c, rec);
	case API_PROMISE:
		return promise_json(p, person_zone(c->cfg, p->owner));
	case API_PROMISE_ADDED:
		return api_promise_added_json(c, rec);
	case API_FOLLOWUP:
		return followup_json(f, person_zone(c->cfg, f->owner));
	case API_CONTACT:
		return uc_contact_json(&q->contact, rec);
	}
	return NULL;
}

static int64_t
api_record_id(enum api_kind k, const union api_record *r)
{
	switch (k) {
	case API_DEAL:
		return r->deal.id;
	case API_PROMISE:
		return r->promise.id;
	case API_PROMISE_ADDED:
		return r->added.promise.id;
	case API_FOLLOWUP:
		return r->followup.id;
	case API_CONTACT:
		return r->contact.id;
	}
	return 0;
}

/* The Location's /v1/PATH/ID of each kind; NULL: none (a touch has no
 * page of its own: GET /v1/accounts shows it as the account's last). */
static const char *const api_paths[] = {
	[API_DEAL] = "deals", [API_PROMISE] = "promises",
	[API_PROMISE_ADDED] = "promises", [API_FOLLOWUP] = "followups",
	[API_CONTACT] = NULL,
};

static void
api_record_clear(enum api_kind k, union api_record *r)
{
	if (k == API_DEAL)
		deal_clear(&r->deal);
	else if (k == API_PROMISE)
		promise_clear(&r->promise);
	else if (k == API_PROMISE_ADDED)
		uc_promise_added_clear(&r->added);
	else if (k == API_FOLLOWUP)
		followup_clear(&r->followup);
}

static void
api_written(struct api_call *c, unsigned status, const char *kind,
    int64_t id, json_t *o)
{
	c->wrote = 1;
	if (status == 201 && kind != NULL)
		snprintf(c->rs->location, sizeof(c->rs->location),
		    "/v1/%s/%lld", kind, (long long)id);
	api_json(c, status, o);
}

/* A write: the body read, the use-case, the record it made or changed
 * (201 when made, with its Location). */
static void
api_write(struct api_call *c)
{
	const struct api_how *h = c->how;
	struct api_io io;
	enum uc_status st;
	char *err = NULL;

	memset(&io, 0, sizeof(io));
	io.created = 1;
	if (api_fields(c, h->fields, &io.a, h->into ? &io.q : NULL) != 0)
		return;
	if ((st = h->call(c, &io, &err)) == UC_OK)
		api_written(c, io.created ? h->status : 200, api_paths[h->kind],
		    api_record_id(h->kind, &io.r), api_kind_json(c, h->kind,
		    &io.q, &io.r));
	else if (h->kind == API_PROMISE_ADDED && st == UC_REFUSED &&
	    c->ctx.refusal == UC_CONFLICT)
		/* The strict refusal says each reason as the check does. */
		api_uc_problem_with(c, st, err, "warnings", io.r.added.warnings);
	else
		api_uc_problem(c, st, err);
	api_record_clear(h->kind, &io.r);
}

static int
api_record_get(struct api_call *c, enum api_kind k, union api_record *r,
    char **errp)
{
	switch (k) {
	case API_DEAL:
		return deal_get(c->st, c->id, &r->deal, errp);
	case API_PROMISE:
		return promise_get(c->st, c->id, &r->promise, errp);
	case API_FOLLOWUP:
		return followup_get(c->st, c->id, &r->followup, errp);
	default:
		break;
	}
	*errp = NULL;
	return -1;
}

/* GET /v1/KIND/{id}. */
static void
api_show(struct api_call *c)
{
	const struct api_how *h = c->how;
	union api_record r;
	char *err = NULL;

	if (api_record_get(c, h->kind, &r, &err) != 0) {
		api_missing(c, err);
		return;
	}
	api_json(c, 200, api_kind_json(c, h->kind, NULL, &r));
	api_record_clear(h->kind, &r);
}

/* A list's query, as the CLI's list commands take --owner, the choice of
 * state and --limit. */
struct api_list_query {
	const char *owner, *choice;
	int limit;
	time_t now;
};

/* A list's rows, of each kind. */
union api_rows {
	struct deal *deal;
	struct promise *promise;
	struct followup *followup;
};

static int
api_rows(struct api_call *c, enum api_kind k, const struct api_list_query *q,
    union api_rows *v, size_t *n, char **errp)
{
	struct deal_filter df = { q->owner, q->choice, q->limit };
	struct followup_filter ff = { .owner = q->owner, .state = q->choice,
		.limit = q->limit };
	/* ?state=overdue is promise_list()'s, as --overdue is. */
	struct promise_filter pf = { q->owner, q->choice, 0, q->now,
		q->limit };

	switch (k) {
	case API_DEAL:
		return deal_list(c->st, &df, &v->deal, n, errp);
	case API_PROMISE:
		return promise_list(c->st, &pf, &v->promise, n, errp);
	case API_FOLLOWUP:
		return followup_list(c->st, &ff, &v->followup, n, errp);
	default:
		break;
	}
	*errp = NULL;
	return -1;
}

static const void *
api_row(enum api_kind k, const union api_rows *v, size_t i)
{
	if (k == API_DEAL)
		return &v->deal[i];
	return k == API_PROMISE ? (const void *)&v->promise[i] :
	    (const void *)&v->followup[i];
}

static void
api_rows_free(enum api_kind k, union api_rows *v, size_t n)
{
	if (k == API_DEAL)
		deal_list_free(v->deal, n);
	else if (k == API_PROMISE)
		promise_list_free(v->promise, n);
	else
		followup_list_free(v->followup, n);
}

/* GET /v1/KIND: ?owner=, ?CHOICE= and ?limit=. */
static void
api_index(struct api_call *c)
{
	const struct api_how *h = c->how;
	struct api_list_query q = { .now = c->ctx.now };
	long limit = API_LIST_MAX;
	union api_rows v;
	char *err = NULL;
	json_t *arr;
	size_t n, i;

	if (api_owner(c, &q.owner) != 0 ||
	    api_choice(c, h->choice, h->allowed, &q.choice) != 0 ||
	    api_number(c, "limit", 1, API_LIST_MAX, &limit) != 0)
		return;
	q.limit = (int)limit;
	if (api_rows(c, h->kind, &q, &v, &n, &err) != 0) {
		api_uc_problem(c, UC_FAILED, err);
		return;
	}
	arr = json_array();
	for (i = 0; i < n; i++)
		api_list_add(&arr, api_kind_json(c, h->kind, NULL, api_row(h->kind,
		    &v, i)));
	api_rows_free(h->kind, &v, n);
	api_list(c, arr);
}

/* --- the writes' use-cases --- */

static const struct api_field deal_fields[] = {
	{ "title", 0, 1, API_STR(uc_deal_import, add.title) },
	{ "account", 0, 1, API_STR(uc_deal_import, add.account) },
	{ "owner", 0, 1, API_STR(uc_deal_import, add.owner) },
	{ "value", 0, 0, API_AMT(uc_deal_import, add.value) },
	{ "currency", 0, 0, API_STR(uc_deal_import, add.currency) },
	{ "closes", 0, 0, API_STR(uc_deal_import, add.closes) },
	{ "stage", 0, 0, API_STR(uc_deal_import, stage) },
	{ "at", 0, 0, API_STR(uc_deal_import, at) },
	{ "source", 0, 0, API_STR(uc_deal_import, source) },
	{ "external_id", 0, 0, API_STR(uc_deal_import, external_id) },
	API_FIELDS_END,
};

static enum uc_status
deal_import_call(struct api_call *c, struct api_io *io, char **errp)
{
	return uc_deal_import(&c->ctx, &io->q.deal, &io->r.deal, &io->created,
	    errp);
}

static const struct api_field at_fields[] = {
	{ "at", 0, 0, API_ARG(API_STRING) },
	API_FIELDS_END,
};

static enum uc_status
deal_close_call(struct api_call *c, struct api_io *io, char **errp)
{
	return uc_deal_close(&c->ctx, c->id, c->verb, io->a.s[0], &io->r.deal,
	    errp);
}

static const struct api_field promise_fields[] = {
	{ "text", 0, 1, API_STR(uc_promise_add, text) },
	{ "owner", 0, 1, API_STR(uc_promise_add, owner) },
	{ "account", 1, 1, API_STR(uc_promise_add, account) },
	{ "deal", 1, 1, API_IDM(uc_promise_add, deal_id) },
	{ "due", 0, 1, API_STR(uc_promise_add, due) },
	{ "to", 0, 0, API_STR(uc_promise_add, to) },
	{ "strict", 0, 0, API_FLAG(uc_promise_add, strict) },
	{ "force", 0, 0, API_FLAG(uc_promise_add, force) },
	API_FIELDS_END,
};

static enum uc_status
promise_add_call(struct api_call *c, struct api_io *io, char **errp)
{
	return uc_promise_add(&c->ctx, &io->q.promise, &io->r.added, errp);
}

static enum uc_status
promise_finish_call(struct api_call *c, struct api_io *io, char **errp)
{
	return uc_promise_finish(&c->ctx, c->id, c->verb, io->a.s[0],
	    &io->r.promise, errp);
}

static const struct api_field renegotiate_fields[] = {
	{ "due", 0, 1, API_ARG(API_STRING) },
	{ "note", 0, 0, API_ARG(API_STRING) },
	API_FIELDS_END,
};

static enum uc_status
promise_renegotiate_call(struct api_call *c, struct api_io *io,
    char **errp)
{
	return uc_promise_renegotiate(&c->ctx, c->id, io->a.s[0], io->a.s[1],
	    &io->r.promise, errp);
}

static const struct api_field followup_fields[] = {
	{ "text", 0, 1, API_STR(uc_followup_add, text) },
	{ "owner", 0, 1, API_STR(uc_followup_add, owner) },
	{ "account", 1, 1, API_STR(uc_followup_add, account) },
	{ "deal", 1, 1, API_IDM(uc_followup_add, deal_id) },
	{ "at", 2, 1, API_STR(uc_followup_add, at) },
	{ "in", 2, 1, API_STR(uc_followup_add, in) },
	{ "force", 0, 0, API_FLAG(uc_followup_add, force) },
	API_FIELDS_END,
};

static enum uc_status
followup_add_call(struct api_call *c, struct api_io *io, char **errp)
{
	return uc_followup_add(&c->ctx, &io->q.followup, &io->r.followup,
	    errp);
}

static const struct api_field note_fields[] = {
	{ "note", 0, 0, API_ARG(API_STRING) },
	API_FIELDS_END,
};

static enum uc_status
followup_finish_call(struct api_call *c, struct api_io *io, char **errp)
{
	return uc_followup_finish(&c->ctx, c->id, c->verb, io->a.s[0],
	    &io->r.followup, errp);
}

static const struct api_field snooze_fields[] = {
	{ "in", 1, 1, API_ARG(API_STRING) },
	{ "until", 1, 1, API_ARG(API_STRING) },
	API_FIELDS_END,
};

static enum uc_status
followup_snooze_call(struct api_call *c, struct api_io *io, char **errp)
{
	return uc_followup_snooze(&c->ctx, c->id, io->a.s[0], io->a.s[1],
	    &io->r.followup, errp);
}

static const struct api_field no_fields[] = { API_FIELDS_END };

static const char *const deal_stages[] = { "open", "won", "lost", NULL };
/* ?state= as `promise list` takes one of --open, --overdue, --kept. */
static const char *const promise_states[] = { "open", "overdue", "kept",
	NULL };
/* ?state= as `followup list` takes one of --done, --cancelled; without,
 * those still to do. */
static const char *const followup_states[] = { "done", "cancelled",
	NULL };

static const struct api_how
    how_deal_add = { API_DEAL, deal_fields, 1, deal_import_call, 201, 0, 0 },
    how_deal_close = { API_DEAL, at_fields, 0, deal_close_call, 200, 0, 0 },
    how_deal_show = { .kind = API_DEAL },
    how_deal_list = { .kind = API_DEAL, .choice = "stage",
	.allowed = deal_stages },
    how_promise_add = { API_PROMISE_ADDED, promise_fields, 1,
	promise_add_call, 201, 0, 0 },
    how_promise_kept = { API_PROMISE, at_fields, 0, promise_finish_call, 200,
	0, 0 },
    how_promise_end = { API_PROMISE, no_fields, 0, promise_finish_call, 200, 0,
	0 },
    how_promise_renegotiate = { API_PROMISE, renegotiate_fields, 0,
	promise_renegotiate_call, 200, 0, 0 },
    how_promise_show = { .kind = API_PROMISE },
    how_promise_list = { .kind = API_PROMISE, .choice = "state",
	.allowed = promise_states },
    how_followup_add = { API_FOLLOWUP, followup_fields, 1, followup_add_call,
	201, 0, 0 },
    how_followup_done = { API_FOLLOWUP, note_fields, 0, followup_finish_call,
	200, 0, 0 },
    how_followup_cancel = { API_FOLLOWUP, no_fields, 0, followup_finish_call,
	200, 0, 0 },
    how_followup_snooze = { API_FOLLOWUP, snooze_fields, 0, followup_snooze_call,
	200, 0, 0 },
    how_followup_show = { .kind = API_FOLLOWUP },
    how_followup_list = { .kind = API_FOLLOWUP, .choice = "state",
	.allowed = followup_states };

/* --- the agenda and the report --- */

static void
agenda_route(struct api_call *c)
{
	struct uc_agenda ag;
	enum uc_status st;
	const char *owner;
	char *err = NULL;
	long days = 7;

	if (api_owner(c, &owner) != 0 ||
	    api_number(c, "days", 1, UC_AGENDA_MAX_DAYS, &days) != 0)
		return;
	if ((st = uc_agenda(&c->ctx, owner, days, &ag, &err)) != UC_OK)
		api_uc_problem(c, st, err);
	else    /* each item in its owner's zone */
		api_list(c, uc_agenda_json(&ag, c->cfg, NULL));
	uc_agenda_clear(&ag);
}

static void
report_route(struct api_call *c)
{
	const char *owner, *since = api_query(c, "since");
	time_t from = c->ctx.now - REPORT_DEFAULT_PERIOD;
	struct report r;
	char *err = NULL;
	int rc;

	if (api_owner(c, &owner) != 0)
		return;
	rc = report_since(c->cfg, owner != NULL ? config_person(c->cfg,
	    owner) : NULL, since, "since", c->ctx.now, &from, &err);
	if (rc < 0)
		api_uc_problem(c, UC_REFUSED, err);
	else if (rc > 0)
		api_problem(c->rs, 400, "since: in the future");
	else if (report_build(c->st, c->cfg, owner, from, c->ctx.now, &r,
	    &err) != 0)
		api_uc_problem(c, UC_FAILED, err);
	else {
		api_json(c, 200, report_json(&r, c->cfg->timezone));
		report_free(&r);
	}
}

const struct api_route api_routes[] = {
	{ "POST", "/v1/deals", 1, api_write, NULL, &how_deal_add },
	{ "GET", "/v1/deals", 0, api_index, NULL, &how_deal_list },
	{ "GET", "/v1/deals/{id}", 0, api_show, NULL, &how_deal_show },
	{ "POST", "/v1/deals/{id}/won", 1, api_write, "won", &how_deal_close },
	{ "POST", "/v1/deals/{id}/lost", 1, api_write, "lost", &how_deal_close },
	{ "POST", "/v1/promises", 1, api_write, NULL, &how_promise_add },
	{ "GET", "/v1/promises", 0, api_index, NULL, &how_promise_list },
	{ "GET", "/v1/promises/{id}", 0, api_show, NULL, &how_promise_show },
	{ "POST", "/v1/promises/{id}/kept", 1, api_write, "kept",
	    &how_promise_kept },
	{ "POST", "/v1/promises/{id}/broken", 1, api_write, "broken",
	    &how_promise_end },
	{ "POST", "/v1/promises/{id}/cancel", 1, api_write, "cancelled",
	    &how_promise_end },
	{ "POST", "/v1/promises/{id}/renegotiate", 1, api_write, NULL,
	    &how_promise_renegotiate },
	{ "POST", "/v1/followups", 1, api_write, NULL, &how_followup_add },
	{ "GET", "/v1/followups", 0, api_index, NULL, &how_followup_list },
	{ "GET", "/v1/followups/{id}", 0, api_show, NULL, &how_followup_show },
	{ "POST", "/v1/followups/{id}/done", 1, api_write, "done",
	    &how_followup_done },
	{ "POST", "/v1/followups/{id}/snooze", 1, api_write, NULL,
	    &how_followup_snooze },
	{ "POST", "/v1/followups/{id}/cancel", 1, api_write, "cancelled",
	    &how_followup_cancel },
	{ "POST", "/v1/contacts", 1, api_write, NULL, &api_contact_add },
	{ "GET", "/v1/accounts", 0, api_accounts, NULL, NULL },
	{ "GET", "/v1/agenda", 0, agenda_route, NULL, NULL },
	{ "GET", "/v1/report", 0, report_route, NULL, NULL },
	{ NULL, NULL, 0, NULL, NULL, NULL },
};
