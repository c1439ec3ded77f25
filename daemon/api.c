/* The HTTP API: authentication, rate, routes, bodies, idempotency; the
 * endpoints are in api_routes.c. */
#include "api.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "api_impl.h"
#include "config.h"
#include "err.h"
#include "idem.h"
#include "monotonic.h"
#include "store.h"

#define API_BUCKETS 64          /* tokens rate-limited at once */

struct api_bucket {
	int64_t token_id;
	double level, at;       /* requests left, as of `at` (monotonic s) */
};

struct api {
	const struct config *cfg;
	struct store **st;
	struct api_bucket buckets[API_BUCKETS];
};

struct api *
api_new(const struct config *cfg, struct store **st, char **errp)
{
	struct api *a = calloc(1, sizeof(*a));

	if (a == NULL)
		return err_set(errp, "out of memory"), NULL;
	a->cfg = cfg;
	a->st = st;
	return a;
}

void
api_set_config(struct api *a, const struct config *cfg)
{
	if (a != NULL)
		a->cfg = cfg;
}

void
api_free(struct api *a)
{
	free(a);
}

/* A token bucket per token: rate a second, a burst of twice that.
 * 0 to go on, else the seconds to wait.  Called under the gate. */
static int
api_rate(struct api *a, int64_t token_id)
{
	struct api_bucket *b = NULL;
	double now = monotonic_seconds(), rate = a->cfg->http.api_rate;
	size_t i, oldest = 0;

	for (i = 0; i < API_BUCKETS && b == NULL; i++) {
		if (a->buckets[i].token_id == token_id)
			b = &a->buckets[i];
		else if (a->buckets[i].at < a->buckets[oldest].at)
			oldest = i;
	}
	if (b == NULL) {
		b = &a->buckets[oldest];
		b->token_id = token_id;
		b->level = 2 * rate;
		b->at = now;
	}
	b->level += (now - b->at) * rate;
	if (b->level > 2 * rate)
		b->level = 2 * rate;
	b->at = now;
	if (b->level >= 1) {
		b->level -= 1;
		return 0;
	}
	return (int)((1 - b->level) / rate) + 1;
}

/* Path segments against a pattern: 1 matched ({id} into *id), 0 not. */
static int
api_match(const char *pattern, const char *path, int64_t *id)
{
	const char *p = pattern, *u = path;
	char *end;
	size_t n;

	while (*p != '\0' && *u != '\0') {
		if (strncmp(p, "{id}", 4) == 0) {
			if (!isdigit((unsigned char)*u) || *u == '0')
				return 0;
			n = strspn(u, "0123456789");
			if (n > 18)
				return 0;
			*id = strtoll(u, &end, 10);
			p += 4;
			u += n;
			continue;
		}
		if (*p++ != *u++)
			return 0;
	}
	return *p == '\0' && *u == '\0';
}

/* The route of rq: found, or NULL with 404 or 405 answered. */
static const struct api_route *
api_route(struct api_call *c)
{
	const struct api_route *r;
	const char *m = strcmp(c->rq->method, "HEAD") == 0 ? "GET" :
	    c->rq->method;
	int other = 0;

	for (r = api_routes; r->pattern != NULL; r++) {
		if (!api_match(r->pattern, c->rq->path, &c->id))
			continue;
		c->rs->route = r->pattern;
		if (strcmp(r->method, m) == 0)
			return r;
		other = 1;
	}
	if (other)
		api_problem(c->rs, 405, "not with this method");
	else
		api_problem(c->rs, 404, "no such resource");
	return NULL;
}

/* The bearer token: 0, or -1 with 401 answered. */
static int
api_auth(struct api_call *c, struct api_token *t)
{
	const char *h = c->rq->authorization;
	char *err = NULL;
	int rc;

	if (h == NULL || strncasecmp(h, "Bearer ", 7) != 0) {
		c->rs->www_auth = 1;
		api_problem(c->rs, 401, "no bearer token (Authorization: "
		    "Bearer TOKEN, from `nudge token add`)");
		return -1;
	}
	for (h += 7; *h == ' '; h++)
		;
	if ((rc = token_auth(c->st, h, c->ctx.now, t, &err)) == 1)
		return 0;
	if (rc < 0) {
		api_problem(c->rs, 500, err);
		free(err);
		return -1;
	}
	c->rs->www_auth = 1;
	api_problem(c->rs, 401, "unknown or revoked token");
	return -1;
}

/* The POST's body as an object: 0, or -1 with 413, 415 or 400. */
static int
api_body(struct api_call *c)
{
	const struct api_request *rq = c->rq;
	const char *ct = rq->content_type;
	json_error_t e;
	char msg[256];

	if (rq->too_long) {
		snprintf(msg, sizeof(msg), "the body is over %d bytes",
		    API_BODY_MAX);
		return api_problem(c->rs, 413, msg), -1;
	}
	if (rq->len == 0)
		return (c->body = json_object()) != NULL ? 0 : -1;
	if (ct == NULL || strncasecmp(ct, "application/json", 16) != 0 ||
	    (ct[16] != '\0' && ct[16] != ';' && ct[16] != ' '))
		return api_problem(c->rs, 415, "Content-Type: "
		    "application/json"), -1;
	if (!api_depth_ok(rq->body, rq->len)) {
		snprintf(msg, sizeof(msg), "JSON nested deeper than %d",
		    API_DEPTH_MAX);
		return api_problem(c->rs, 400, msg), -1;
	}
	if ((c->body = json_loadb(rq->body, rq->len, JSON_REJECT_DUPLICATES,
	    &e)) == NULL) {
		snprintf(msg, sizeof(msg), "not JSON: %s at byte %d", e.text,
		    e.position);
		return api_problem(c->rs, 400, msg), -1;
	}
	if (!json_is_object(c->body))
		return api_problem(c->rs, 400, "the body must be a JSON "
		    "object"), -1;
	return 0;
}

/* Run the route, or answer with what the Idempotency-Key kept. */
static void
api_run(struct api_call *c, const struct api_route *r)
{
	const struct api_request *rq = c->rq;
	const char *key = rq->idempotency_key;
	char hash[IDEM_HASH_LEN + 1], *err = NULL;
	struct idem_entry e;
	int rc;

	if (key == NULL || strcmp(r->method, "POST") != 0) {
		r->fn(c);
		return;
	}
	if (idem_key_check(key, &err) != 0) {
		api_problem(c->rs, 400, err);
		free(err);
		return;
	}
	idem_request_hash(rq->method, rq->path, rq->body != NULL ? rq->body :
	    "", rq->len, hash);
	if ((rc = idem_get(c->st, c->token->id, key, c->ctx.now, &e,
	    &err)) < 0) {
		api_problem(c->rs, 500, err);
		free(err);
		return;
	}
	if (rc == 1) {
		if (strcmp(e.hash, hash) != 0)
			api_problem(c->rs, 422, "this Idempotency-Key was used "
			    "for another request");
		else {
			c->rs->status = (unsigned)e.status;
			c->rs->body = e.body;
			e.body = NULL;
			c->rs->type = e.status < 300 ? "application/json" :
			    "application/problem+json";
			c->rs->replayed = 1;
		}
		idem_clear(&e);
		return;
	}
	r->fn(c);
	/* A failure of nudge's may be retried; anything else is the answer. */
	if (c->rs->body != NULL && c->rs->status < 500 && idem_put(c->st,
	    c->token->id, key, hash, (int)c->rs->status, c->rs->body,
	    c->ctx.now, &err) != 0) {
		free(err);      /* written; a retry may write it again */
	}
}

/* Authenticated, in the rate, its route found and allowed: run it. */
static void
api_dispatch(struct api *a, struct api_call *c)
{
	const struct api_route *r;
	struct api_token t;
	char actor[96], msg[64];
	int wait;

	if (api_auth(c, &t) != 0)
		return;
	c->token = &t;
	if ((r = api_route(c)) == NULL)
		goto out;
	if (r->write && strcmp(t.scope, "write") != 0) {
		api_problem(c->rs, 403, "this token may only read (--scope "
		    "read)");
		goto out;
	}
	if ((wait = api_rate(a, t.id)) != 0) {
		snprintf(msg, sizeof(msg), "over %d requests a second",
		    a->cfg->http.api_rate);
		api_problem(c->rs, 429, msg);
		c->rs->retry_after = wait;
		goto out;
	}
	if (strcmp(r->method, "POST") == 0 && api_body(c) != 0)
		goto out;
	c->verb = r->verb;
	c->how = r->how;
	snprintf(actor, sizeof(actor), "via API: %s", t.name);
	store_set_actor(c->st, actor);
	api_run(c, r);
	store_set_actor(c->st, NULL);
out:
	token_clear(&t);
	c->token = NULL;
}

void
api_handle(struct api *a, const struct api_request *rq,
    struct api_response *rs)
{
	struct api_call c;

	memset(rs, 0, sizeof(*rs));
	rs->route = "/v1/other";
	memset(&c, 0, sizeof(c));
	c.cfg = a->cfg;
	c.st = *a->st;
	c.rq = rq;
	c.rs = rs;
	c.ctx.cfg = a->cfg;
	c.ctx.now = time(NULL);
	c.ctx.st = a->st;
	c.ctx.db_path = a->cfg->database;
	if (strcmp(rq->path, "/v1/openapi.json") == 0) {
		rs->route = "/v1/openapi.json";
		rs->status = 200;
		rs->type = "application/json";
		rs->body = strdup(api_openapi_json);
		return;
	}
	api_dispatch(a, &c);
	json_decref(c.body);
	rs->wrote = c.wrote;
}
