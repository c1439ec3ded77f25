/* The API's JSON: bodies read against a field table, answers, problem
 * details (RFC 9457). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_impl.h"
#include "names_join.h"
#include "person.h"

static const struct {
	unsigned status;
	const char *slug, *title;
} api_problems[] = {
	{ 400, "bad-input", "The request is not valid" },
	{ 401, "unauthorized", "A valid bearer token is needed" },
	{ 403, "forbidden", "This token may only read" },
	{ 404, "not-found", "No such record" },
	{ 405, "method-not-allowed", "Not with this method" },
	{ 409, "conflict", "The record's state does not allow it" },
	{ 413, "too-large", "The body is too large" },
	{ 415, "unsupported-media-type", "The body must be JSON" },
	{ 422, "idempotency-key-reused", "The Idempotency-Key was used for "
	    "another request" },
	{ 429, "rate-limited", "Too many requests" },
	{ 500, "internal", "nudge failed" },
};

/* detail as a JSON string: a message quoting the request's bytes (a
 * parser's error, a field name cut short) may not be UTF-8, and then
 * says them as '?'. */
static json_t *
api_detail(const char *detail)
{
	json_t *s = json_string(detail);
	char *copy;
	size_t i;

	if (s != NULL || (copy = strdup(detail)) == NULL)
		return s;
	for (i = 0; copy[i] != '\0'; i++)
		if ((unsigned char)copy[i] >= 0x80 ||
		    (unsigned char)copy[i] < 0x20)
			copy[i] = '?';
	s = json_string(copy);
	free(copy);
	return s;
}

static json_t *
api_problem_json(unsigned status, const char *detail)
{
	char type[96];
	const char *slug = "internal", *title = "nudge failed";
	size_t i;

	for (i = 0; i < sizeof(api_problems) / sizeof(api_problems[0]); i++)
		if (api_problems[i].status == status) {
			slug = api_problems[i].slug;
			title = api_problems[i].title;
		}
	snprintf(type, sizeof(type), "urn:nudge:problem:%s", slug);
	return json_pack("{s:s, s:s, s:I, s:o}", "type", type, "title", title,
	    "status", (json_int_t)status, "detail", api_detail(detail));
}

static void
api_answer(struct api_response *rs, unsigned status, json_t *v,
    const char *type)
{
	rs->status = status;
	rs->type = type;
	free(rs->body);
	rs->body = v != NULL ? json_dumps(v, JSON_COMPACT) : NULL;
	json_decref(v);
}

void
api_problem(struct api_response *rs, unsigned status, const char *detail)
{
	api_answer(rs, status, api_problem_json(status, detail),
	    "application/problem+json");
}

void
api_json(struct api_call *c, unsigned status, json_t *v)
{
	api_answer(c->rs, status, v, "application/json");
}

void
api_uc_problem_with(struct api_call *c, enum uc_status st, char *err,
    const char *key, json_t *extra)
{
	unsigned status = 500;
	json_t *o;

	if (st == UC_REFUSED)
		status = c->ctx.refusal == UC_NOT_FOUND ? 404 :
		    c->ctx.refusal == UC_CONFLICT ? 409 : 400;
	o = api_problem_json(status, err != NULL ? err : "nudge failed");
	if (o != NULL && extra != NULL)
		json_object_set(o, key, extra);
	api_answer(c->rs, status, o, "application/problem+json");
	free(err);
}

void
api_uc_problem(struct api_call *c, enum uc_status st, char *err)
{
	api_uc_problem_with(c, st, err, NULL, NULL);
}

const char *
api_query(const struct api_call *c, const char *name)
{
	return c->rq->query != NULL ? c->rq->query(c->rq->query_cls, name) :
	    NULL;
}

int
api_owner(struct api_call *c, const char **owner)
{
	char *err = NULL;

	if ((*owner = api_query(c, "owner")) == NULL ||
	    person_find(c->cfg, *owner, &err) != NULL)
		return 0;
	api_uc_problem(c, UC_REFUSED, err);
	return -1;
}

int
api_choice(struct api_call *c, const char *name, const char *const *allowed,
    const char **out)
{
	char msg[160], *names;
	size_t i;

	if ((*out = api_query(c, name)) == NULL)
		return 0;
	for (i = 0; allowed[i] != NULL; i++)
		if (strcmp(*out, allowed[i]) == 0)
			return 0;
	/* "stage: open, won or lost", as the CLI's --help words a choice. */
	if ((names = names_join(allowed, " or ")) == NULL) {
		api_problem(c->rs, 500, "out of memory");
		return -1;
	}
	snprintf(msg, sizeof(msg), "%s: %s", name, names);
	free(names);
	api_problem(c->rs, 400, msg);
	return -1;
}

int
api_number(struct api_call *c, const char *name, long min, long max,
    long *out)
{
	const char *s = api_query(c, name);
	char msg[96], *end;
	long n;

	if (s == NULL)
		return 0;
	errno = 0;
	n = strtol(s, &end, 10);
	if (*s < '0' || *s > '9' || *end != '\0' || errno != 0 || n < min ||
	    n > max) {
		snprintf(msg, sizeof(msg), "%s: a whole number from %ld to %ld",
		    name, min, max);
		api_problem(c->rs, 400, msg);
		return -1;
	}
	*out = n;
	return 0;
}

void
api_list_add(json_t **arr, json_t *item)
{
	if (*arr == NULL) {
		json_decref(item);
		return;
	}
	if (json_array_append_new(*arr, item) != 0) {
		json_decref(*arr);
		*arr = NULL;
	}
}

void
api_list(struct api_call *c, json_t *arr)
{
	if (arr == NULL)
		api_problem(c->rs, 500, "out of memory");
	else
		api_json(c, 200, arr);
}

int
api_depth_ok(const char *s, size_t len)
{
	size_t i;
	int depth = 0, in_str = 0;

	for (i = 0; i < len; i++) {
		if (in_str) {
			if (s[i] == '\\')
				i++;
			else if (s[i] == '"')
				in_str = 0;
		} else if (s[i] == '"')
			in_str = 1;
		else if ((s[i] == '[' || s[i] == '{') && ++depth > API_DEPTH_MAX)
			return 0;
		else if (s[i] == ']' || s[i] == '}')
			depth--;
	}
	return 1;
}

/* A field's value of each type read into a: 0, or -1 (not of the
 * type). */
typedef int api_read_fn(json_t *v, struct api_args *a, size_t k);

static int
api_read_string(json_t *v, struct api_args *a, size_t k)
{
	a->s[k] = json_string_value(v); /* NULL: not a string */
	return a->s[k] != NULL ? 0 : -1;
}

static int
api_read_id(json_t *v, struct api_args *a, size_t k)
{
	a->i[k] = json_integer_value(v); /* 0: not an integer */
	return a->i[k] >= 1 ? 0 : -1;
}

static int
api_read_bool(json_t *v, struct api_args *a, size_t k)
{
	a->i[k] = json_is_true(v);
	return json_is_boolean(v) ? 0 : -1;
}

/* An amount as a number (12500.5) or as the CLI takes it ("12 500,50"). */
static int
api_read_amount(json_t *v, struct api_args *a, size_t k)
{
	double d;

	if (json_is_string(v)) {
		a->s[k] = json_string_value(v);
		return 0;
	}
	if (json_is_integer(v)) {
		snprintf(a->num[k], sizeof(a->num[k]), "%lld",
		    (long long)json_integer_value(v));
		a->s[k] = a->num[k];
		return 0;
	}
	if (!json_is_real(v) || !isfinite(d = json_real_value(v)) ||
	    fabs(d) >= 1e15)
		return -1;
	snprintf(a->num[k], sizeof(a->num[k]), "%.2f", d);
	a->s[k] = a->num[k];
	return 0;
}

/* Each body field type's reader and what a 400 says it wants, by its
 * enum api_type: a type is a row here (and its C type in api_store()). */
static const struct {
	api_read_fn *read;
	const char *wants;
} api_types[] = {
	[API_STRING] = { api_read_string, "a string" },
	[API_ID] = { api_read_id, "a positive integer id" },
	[API_BOOL] = { api_read_bool, "true or false" },
	[API_AMOUNT] = { api_read_amount,
	    "a number or a string such as \"12500.50\"" },
};

/* The names of group g: "account, deal". */
static void
api_group_names(const struct api_field *spec, int g, char *buf, size_t len)
{
	size_t k, n = 0;

	buf[0] = '\0';
	for (k = 0; spec[k].name != NULL && n < len; k++)
		if (spec[k].group == g)
			n += (size_t)snprintf(buf + n, len - n, "%s%s",
			    n > 0 ? ", " : "", spec[k].name);
}

/* Each group at most one, a needed one present, as the CLI's option
 * tables say it: 0, or -1 (answered 400). */
static int
api_groups(struct api_call *c, const struct api_field *spec,
    const unsigned char *set)
{
	char names[128], msg[192];
	size_t k, j;
	int n;

	for (k = 0; spec[k].name != NULL; k++) {
		if (spec[k].group == 0) {
			if (!spec[k].need || set[k])
				continue;
			snprintf(msg, sizeof(msg), "needs %s", spec[k].name);
			api_problem(c->rs, 400, msg);
			return -1;
		}
		for (n = 0, j = 0; spec[j].name != NULL; j++)
			n += spec[j].group == spec[k].group && set[j];
		if (n <= 1 && (n == 1 || !spec[k].need))
			continue;
		api_group_names(spec, spec[k].group, names, sizeof(names));
		snprintf(msg, sizeof(msg), n > 1 ? "give one of %s, not two" :
		    "needs one of %s", names);
		api_problem(c->rs, 400, msg);
		return -1;
	}
	return 0;
}

/* Field k's value at its .to in req, as the request struct's member
 * takes it (its row's API_STR()... checked that type). */
static void
api_store(const struct api_field *f, const struct api_args *a, size_t k,
    void *req)
{
	char *at = (char *)req + f->to;
	int b = (int)a->i[k];

	if (f->type == API_ID)
		memcpy(at, &a->i[k], sizeof(a->i[k]));
	else if (f->type == API_BOOL)
		memcpy(at, &b, sizeof(b));
	else
		memcpy(at, &a->s[k], sizeof(a->s[k]));
}

int
api_fields(struct api_call *c, const struct api_field *spec,
    struct api_args *out, void *req)
{
	unsigned char set[API_FIELDS_MAX] = { 0 };
	char msg[160];
	const char *key;
	json_t *v;
	size_t k;

	memset(out, 0, sizeof(*out));
	json_object_foreach(c->body, key, v) {
		for (k = 0; spec[k].name != NULL; k++)
			if (strcmp(spec[k].name, key) == 0)
				break;
		if (spec[k].name == NULL) {
			snprintf(msg, sizeof(msg), "unknown field '%.64s'", key);
			api_problem(c->rs, 400, msg);
			return -1;
		}
		if (json_is_null(v))
			continue;       /* null: as if absent */
		if (api_types[spec[k].type].read(v, out, k) != 0) {
			snprintf(msg, sizeof(msg), "%s: wants %s", spec[k].name,
			    api_types[spec[k].type].wants);
			api_problem(c->rs, 400, msg);
			return -1;
		}
		set[k] = 1;
		if (req != NULL)
			api_store(&spec[k], out, k, req);
	}
	return api_groups(c, spec, set);
}
