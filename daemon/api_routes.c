/* The API's endpoints: a body read against its field table (named as
 * the CLI's options), one use-case or read, the record as JSON. */
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

void
api_written(struct api_call *c, unsigned status, const char *kind,
    int64_t id, json_t *o)
{
	c->wrote = 1;
	if (status == 201 && kind != NULL)
		snprintf(c->rs->location, sizeof(c->rs->location),
		    "/v1/%s/%lld", kind, (long long)id);
	api_json(c, status, o);
}

/* --- deals --- */

enum { DF_TITLE, DF_ACCOUNT, DF_OWNER, DF_VALUE, DF_CURRENCY, DF_CLOSES,
	DF_STAGE, DF_AT, DF_SOURCE, DF_EXTERNAL };
static const struct api_field deal_fields[] = {
	[DF_TITLE] = { "title", API_STRING, 0, 1 },
	[DF_ACCOUNT] = { "account", API_STRING, 0, 1 },
	[DF_OWNER] = { "owner", API_STRING, 0, 1 },
	[DF_VALUE] = { "value", API_AMOUNT, 0, 0 },
	[DF_CURRENCY] = { "currency", API_STRING, 0, 0 },
	[DF_CLOSES] = { "closes", API_STRING, 0, 0 },
	[DF_STAGE] = { "stage", API_STRING, 0, 0 },
	[DF_AT] = { "at", API_STRING, 0, 0 },
	[DF_SOURCE] = { "source", API_STRING, 0, 0 },
	[DF_EXTERNAL] = { "external_id", API_STRING, 0, 0 },
	API_FIELDS_END,
};

static void
deal_create_route(struct api_call *c)
{
	struct uc_deal_import req;
	struct api_args a;
	struct deal d;
	enum uc_status st;
	char *err = NULL;
	int created;

	if (api_fields(c, deal_fields, &a) != 0)
		return;
	memset(&req, 0, sizeof(req));
	req.add.title = a.s[DF_TITLE];
	req.add.account = a.s[DF_ACCOUNT];
	req.add.owner = a.s[DF_OWNER];
	req.add.value = a.s[DF_VALUE];
	req.add.currency = a.s[DF_CURRENCY];
	req.add.closes = a.s[DF_CLOSES];
	req.stage = a.s[DF_STAGE];
	req.at = a.s[DF_AT];
	req.source = a.s[DF_SOURCE];
	req.external_id = a.s[DF_EXTERNAL];
	if ((st = uc_deal_import(&c->ctx, &req, &d, &created, &err)) != UC_OK)
		api_uc_problem(c, st, err);
	else
		api_written(c, created ? 201 : 200, "deals", d.id,
		    api_deal_json(c, &d));
	deal_clear(&d);
}

static const struct api_field at_fields[] = {
	{ "at", API_STRING, 0, 0 },
	API_FIELDS_END,
};

static void
deal_close_route(struct api_call *c)
{
	struct api_args a;
	struct deal d;
	enum uc_status st;
	char *err = NULL;

	if (api_fields(c, at_fields, &a) != 0)
		return;
	if ((st = uc_deal_close(&c->ctx, c->id, c->verb, a.s[0], &d,
	    &err)) != UC_OK)
		api_uc_problem(c, st, err);
	else
		api_written(c, 200, "deals", d.id, api_deal_json(c, &d));
	deal_clear(&d);
}

static void
deal_show_route(struct api_call *c)
{
	struct deal d;
	char *err = NULL;

	if (deal_get(c->st, c->id, &d, &err) != 0) {
		api_missing(c, err);
		return;
	}
	api_json(c, 200, api_deal_json(c, &d));
	deal_clear(&d);
}

static void
deal_index(struct api_call *c)
{
	static const char *const stages[] = { "open", "won", "lost", NULL };
	struct deal_filter f;
	struct deal *v;
	char *err = NULL;
	json_t *arr;
	size_t n, i;

	memset(&f, 0, sizeof(f));
	if (api_owner(c, &f.owner) != 0 ||
	    api_choice(c, "stage", stages, &f.stage) != 0 ||
	    api_limit(c, &f.limit) != 0)
		return;
	if (deal_list(c->st, &f, &v, &n, &err) != 0) {
		api_uc_problem(c, UC_FAILED, err);
		return;
	}
	arr = json_array();
	for (i = 0; i < n; i++)
		api_list_add(&arr, api_deal_json(c, &v[i]));
	deal_list_free(v, n);
	api_list(c, arr);
}

/* --- promises --- */

enum { PF_TEXT, PF_OWNER, PF_ACCOUNT, PF_DEAL, PF_DUE, PF_TO, PF_STRICT,
	PF_FORCE };
static const struct api_field promise_fields[] = {
	[PF_TEXT] = { "text", API_STRING, 0, 1 },
	[PF_OWNER] = { "owner", API_STRING, 0, 1 },
	[PF_ACCOUNT] = { "account", API_STRING, 1, 1 },
	[PF_DEAL] = { "deal", API_ID, 1, 1 },
	[PF_DUE] = { "due", API_STRING, 0, 1 },
	[PF_TO] = { "to", API_STRING, 0, 0 },
	[PF_STRICT] = { "strict", API_BOOL, 0, 0 },
	[PF_FORCE] = { "force", API_BOOL, 0, 0 },
	API_FIELDS_END,
};

static json_t *
api_promise_json(struct api_call *c, const struct promise *p)
{
	return promise_json(p, person_zone(c->cfg, p->owner));
}

static void
promise_create_route(struct api_call *c)
{
	struct uc_promise_added r;
	struct uc_promise_add req;
	struct api_args a;
	enum uc_status st;
	char *err = NULL;
	json_t *o;

	if (api_fields(c, promise_fields, &a) != 0)
		return;
	memset(&req, 0, sizeof(req));
	req.text = a.s[PF_TEXT];
	req.owner = a.s[PF_OWNER];
	req.account = a.s[PF_ACCOUNT];
	req.deal_id = a.i[PF_DEAL];
	req.due = a.s[PF_DUE];
	req.to = a.s[PF_TO];
	req.strict = (int)a.i[PF_STRICT];
	req.force = (int)a.i[PF_FORCE];
	if ((st = uc_promise_add(&c->ctx, &req, &r, &err)) != UC_OK) {
		/* The strict refusal says each reason as the check does. */
		api_uc_problem_with(c, st, err, "warnings", st == UC_REFUSED &&
		    c->ctx.refusal == UC_CONFLICT ? r.warnings : NULL);
	} else {
		o = api_promise_json(c, &r.promise);
		json_object_set(o, "warnings", r.warnings != NULL ?
		    r.warnings : json_array());
		api_written(c, 201, "promises", r.promise.id, o);
	}
	uc_promise_added_clear(&r);
}

static void
promise_finish_route(struct api_call *c)
{
	static const struct api_field none[] = { API_FIELDS_END };
	struct api_args a;
	struct promise p;
	enum uc_status st;
	char *err = NULL;
	int kept = strcmp(c->verb, "kept") == 0;

	if (api_fields(c, kept ? at_fields : none, &a) != 0)
		return;
	if ((st = uc_promise_finish(&c->ctx, c->id, strcmp(c->verb,
	    "cancel") == 0 ? "cancelled" : c->verb, a.s[0], &p, &err)) !=
	    UC_OK)
		api_uc_problem(c, st, err);
	else
		api_written(c, 200, "promises", p.id, api_promise_json(c, &p));
	promise_clear(&p);
}

static void
promise_renegotiate_route(struct api_call *c)
{
	static const struct api_field f[] = {
		{ "due", API_STRING, 0, 1 },
		{ "note", API_STRING, 0, 0 },
		API_FIELDS_END,
	};
	struct api_args a;
	struct promise p;
	enum uc_status st;
	char *err = NULL;

	if (api_fields(c, f, &a) != 0)
		return;
	if ((st = uc_promise_renegotiate(&c->ctx, c->id, a.s[0], a.s[1], &p,
	    &err)) != UC_OK)
		api_uc_problem(c, st, err);
	else
		api_written(c, 200, "promises", p.id, api_promise_json(c, &p));
	promise_clear(&p);
}

static void
promise_show_route(struct api_call *c)
{
	struct promise p;
	char *err = NULL;

	if (promise_get(c->st, c->id, &p, &err) != 0) {
		api_missing(c, err);
		return;
	}
	api_json(c, 200, api_promise_json(c, &p));
	promise_clear(&p);
}

/* ?owner= and ?state= as `promise list` takes --owner and one of --open,
 * --overdue, --kept. */
static void
promise_index(struct api_call *c)
{
	static const char *const states[] = { "open", "overdue", "kept",
		NULL };
	struct promise_filter f;
	struct promise *v = NULL;
	const char *state;
	char *err = NULL;
	json_t *arr;
	size_t n, i;

	memset(&f, 0, sizeof(f));
	if (api_owner(c, &f.owner) != 0 ||
	    api_choice(c, "state", states, &state) != 0 ||
	    api_limit(c, &f.limit) != 0)
		return;
	f.overdue = state != NULL && strcmp(state, "overdue") == 0;
	f.state = f.overdue ? NULL : state;
	f.now = c->ctx.now;
	if (promise_list(c->st, &f, &v, &n, &err) != 0) {
		api_uc_problem(c, UC_FAILED, err);
		return;
	}
	arr = json_array();
	for (i = 0; i < n; i++)
		api_list_add(&arr, api_promise_json(c, &v[i]));
	promise_list_free(v, n);
	api_list(c, arr);
}

/* --- follow-ups --- */

enum { FF_TEXT, FF_OWNER, FF_ACCOUNT, FF_DEAL, FF_AT, FF_IN, FF_FORCE };
static const struct api_field followup_fields[] = {
	[FF_TEXT] = { "text", API_STRING, 0, 1 },
	[FF_OWNER] = { "owner", API_STRING, 0, 1 },
	[FF_ACCOUNT] = { "account", API_STRING, 1, 1 },
	[FF_DEAL] = { "deal", API_ID, 1, 1 },
	[FF_AT] = { "at", API_STRING, 2, 1 },
	[FF_IN] = { "in", API_STRING, 2, 1 },
	[FF_FORCE] = { "force", API_BOOL, 0, 0 },
	API_FIELDS_END,
};

static json_t *
api_followup_json(struct api_call *c, const struct followup *f)
{
	return followup_json(f, person_zone(c->cfg, f->owner));
}

static void
followup_create_route(struct api_call *c)
{
	struct uc_followup_add req;
	struct api_args a;
	struct followup f;
	enum uc_status st;
	char *err = NULL;

	if (api_fields(c, followup_fields, &a) != 0)
		return;
	memset(&req, 0, sizeof(req));
	req.text = a.s[FF_TEXT];
	req.owner = a.s[FF_OWNER];
	req.account = a.s[FF_ACCOUNT];
	req.deal_id = a.i[FF_DEAL];
	req.at = a.s[FF_AT];
	req.in = a.s[FF_IN];
	req.force = (int)a.i[FF_FORCE];
	if ((st = uc_followup_add(&c->ctx, &req, &f, &err)) != UC_OK)
		api_uc_problem(c, st, err);
	else
		api_written(c, 201, "followups", f.id,
		    api_followup_json(c, &f));
	followup_clear(&f);
}

static void
followup_change_route(struct api_call *c)
{
	static const struct api_field note[] = {
		{ "note", API_STRING, 0, 0 }, API_FIELDS_END };
	static const struct api_field snooze[] = {
		{ "in", API_STRING, 1, 1 }, { "until", API_STRING, 1, 1 },
		API_FIELDS_END };
	static const struct api_field none[] = { API_FIELDS_END };
	int is_snooze = strcmp(c->verb, "snooze") == 0;
	struct api_args a;
	struct followup f;
	enum uc_status st;
	char *err = NULL;

	if (api_fields(c, is_snooze ? snooze : strcmp(c->verb, "done") == 0 ?
	    note : none, &a) != 0)
		return;
	st = is_snooze ? uc_followup_snooze(&c->ctx, c->id, a.s[0], a.s[1], &f,
	    &err) : uc_followup_finish(&c->ctx, c->id, strcmp(c->verb,
	    "done") == 0 ? "done" : "cancelled", a.s[0], &f, &err);
	if (st != UC_OK)
		api_uc_problem(c, st, err);
	else
		api_written(c, 200, "followups", f.id,
		    api_followup_json(c, &f));
	followup_clear(&f);
}

static void
followup_show_route(struct api_call *c)
{
	struct followup f;
	char *err = NULL;

	if (followup_get(c->st, c->id, &f, &err) != 0) {
		api_missing(c, err);
		return;
	}
	api_json(c, 200, api_followup_json(c, &f));
	followup_clear(&f);
}

/* ?owner= and ?state= as `followup list` takes --owner and one of --done,
 * --cancelled; without, those still to do. */
static void
followup_index(struct api_call *c)
{
	static const char *const states[] = { "done", "cancelled", NULL };
	struct followup_filter f;
	struct followup *v = NULL;
	char *err = NULL;
	json_t *arr;
	size_t n, i;

	memset(&f, 0, sizeof(f));
	if (api_owner(c, &f.owner) != 0 ||
	    api_choice(c, "state", states, &f.state) != 0 ||
	    api_limit(c, &f.limit) != 0)
		return;
	if (followup_list(c->st, &f, &v, &n, &err) != 0) {
		api_uc_problem(c, UC_FAILED, err);
		return;
	}
	arr = json_array();
	for (i = 0; i < n; i++)
		api_list_add(&arr, api_followup_json(c, &v[i]));
	followup_list_free(v, n);
	api_list(c, arr);
}

/* --- the agenda and the report --- */

static void
agenda_route(struct api_call *c)
{
	const char *owner, *ds = api_query(c, "days");
	struct uc_agenda ag;
	enum uc_status st;
	char *err = NULL, *end;
	long days = 7;
	json_t *arr;
	size_t i;

	if (api_owner(c, &owner) != 0)
		return;
	if (ds != NULL && ((days = strtol(ds, &end, 10)) < 1 ||
	    days > UC_AGENDA_MAX_DAYS || *end != '\0' || end == ds)) {
		api_problem(c->rs, 400, "days: a number of days, 1 to 3660");
		return;
	}
	if ((st = uc_agenda(&c->ctx, owner, days, &ag, &err)) != UC_OK) {
		api_uc_problem(c, st, err);
		uc_agenda_clear(&ag);
		return;
	}
	arr = json_array();
	for (i = 0; i < ag.n && arr != NULL; i++)
		json_array_append_new(arr, uc_agenda_item_json(&ag.items[i],
		    person_zone(c->cfg, ag.items[i].owner)));
	uc_agenda_clear(&ag);
	api_json(c, 200, arr);
}

static void
report_route(struct api_call *c)
{
	const char *owner, *since = api_query(c, "since");
	time_t from = c->ctx.now - (time_t)12 * 7 * 86400;
	struct report r;
	char *err = NULL;

	if (api_owner(c, &owner) != 0)
		return;
	if (since != NULL && person_parse_when(c->cfg, owner != NULL ?
	    config_person(c->cfg, owner) : NULL, since, c->ctx.now, 0,
	    "since", &from, &err) != 0)
		api_uc_problem(c, UC_REFUSED, err);
	else if (from > c->ctx.now)
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
	{ "POST", "/v1/deals", 1, deal_create_route, NULL },
	{ "GET", "/v1/deals", 0, deal_index, NULL },
	{ "GET", "/v1/deals/{id}", 0, deal_show_route, NULL },
	{ "POST", "/v1/deals/{id}/won", 1, deal_close_route, "won" },
	{ "POST", "/v1/deals/{id}/lost", 1, deal_close_route, "lost" },
	{ "POST", "/v1/promises", 1, promise_create_route, NULL },
	{ "GET", "/v1/promises", 0, promise_index, NULL },
	{ "GET", "/v1/promises/{id}", 0, promise_show_route, NULL },
	{ "POST", "/v1/promises/{id}/kept", 1, promise_finish_route, "kept" },
	{ "POST", "/v1/promises/{id}/broken", 1, promise_finish_route,
	    "broken" },
	{ "POST", "/v1/promises/{id}/cancel", 1, promise_finish_route,
	    "cancel" },
	{ "POST", "/v1/promises/{id}/renegotiate", 1,
	    promise_renegotiate_route, NULL },
	{ "POST", "/v1/followups", 1, followup_create_route, NULL },
	{ "GET", "/v1/followups", 0, followup_index, NULL },
	{ "GET", "/v1/followups/{id}", 0, followup_show_route, NULL },
	{ "POST", "/v1/followups/{id}/done", 1, followup_change_route,
	    "done" },
	{ "POST", "/v1/followups/{id}/snooze", 1, followup_change_route,
	    "snooze" },
	{ "POST", "/v1/followups/{id}/cancel", 1, followup_change_route,
	    "cancel" },
	{ "POST", "/v1/contacts", 1, api_contact_create, NULL },
	{ "GET", "/v1/accounts", 0, api_accounts, NULL },
	{ "GET", "/v1/agenda", 0, agenda_route, NULL },
	{ "GET", "/v1/report", 0, report_route, NULL },
	{ NULL, NULL, 0, NULL, NULL },
};
