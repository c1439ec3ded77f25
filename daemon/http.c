/* The HTTP listener: see http.h.  What a request may do is in lib/
 * (link.h verifies, link_act.h acts, link_page.h renders); this file is
 * the transport: routes, the form's body, headers, the gate. */
#include "http.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include "calendar.h"
#include "api.h"
#include "config.h"
#include "err.h"
#include "gate.h"
#include "link.h"
#include "link_act.h"
#include "link_page.h"
#include "links.h"
#include "log.h"
#include "metrics.h"
#include "person.h"
#include "runstate.h"
#include "store.h"
#include "usecase.h"
#include "wake.h"
#include "waker.h"

#define HTTP_POOL 2             /* threads: one busy page never stalls all */
#define HTTP_TIMEOUT 10         /* seconds a connection may idle */

struct http {
	struct MHD_Daemon *mhd;
	const struct config *cfg;       /* the loop's; read under the gate */
	struct store *st;               /* this listener's own connection */
	struct api *api;                /* /v1/... (daemon/api.h) */
	struct waker *waker;            /* the API's writes wake the loop */
	char csp[256];
	char origin[512];               /* scheme://host[:port] of public_url */
};

/* One request's state across libmicrohttpd's calls: the body (a
 * link's form, or an API request's JSON, each up to its own limit). */
struct http_req {
	char *body;
	size_t len, cap, max;
	int too_long;
};

/* One request as a route's handler sees it: the listener, the
 * connection, the method, the part of the path between the route's prefix
 * and suffix, and a POST's body (NULL for any other method). */
struct http_call {
	struct http *h;
	struct MHD_Connection *c;
	const char *method, *arg;
	size_t arglen;
	const struct http_req *req;
};

typedef enum MHD_Result http_route_fn(const struct http_call *k);

static http_route_fn http_link, http_calendar, http_api, http_metrics,
    http_health;

/* For /metrics: the route and status a request was answered with, on
 * its thread. */
static __thread const char *http_route_name;
static __thread unsigned http_status;

/* The routes: a path prefix and suffix, the part between is the
 * handler's argument (none for a route that is one path); the name labels
 * /metrics (a handler may say a finer one). */
static const struct http_route {
	const char *prefix, *suffix, *name;
	http_route_fn *fn;
	int one_path;
} http_routes[] = {
	{ "/l/", "", "/l/{token}", http_link, 0 },
	{ "/cal/", ".ics", "/cal/{token}.ics", http_calendar, 0 },
	{ "/v1/", "", "/v1/other", http_api, 0 },
	{ "/metrics", "", "/metrics", http_metrics, 1 },
	{ "/healthz", "", "/healthz", http_health, 1 },
};

/* An answer of body (freed with it) with the headers every answer has;
 * NULL when out of memory (body NULL is: nothing was made). */
static struct MHD_Response *
http_response(char *body, const char *type)
{
	struct MHD_Response *r;

	if (body == NULL)
		return NULL;
	if ((r = MHD_create_response_from_buffer(strlen(body), body,
	    MHD_RESPMEM_MUST_FREE)) == NULL) {
		free(body);
		return NULL;
	}
	MHD_add_response_header(r, "Content-Type", type);
	MHD_add_response_header(r, "Cache-Control", "no-store");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	return r;
}

/* Send r (http_response's), its status kept for /metrics. */
static enum MHD_Result
http_queue(const struct http_call *k, unsigned status, struct MHD_Response *r)
{
	enum MHD_Result rc;

	if (r == NULL)
		return MHD_NO;  /* out of memory: drop the connection */
	rc = MHD_queue_response(k->c, status, r);
	MHD_destroy_response(r);
	http_status = status;
	return rc;
}

/* A page (freed), with the headers that keep it a page of its own. */
static enum MHD_Result
http_send(const struct http_call *k, unsigned status, char *page,
    const char *type)
{
	struct MHD_Response *r = http_response(page, type);

	if (r != NULL) {
		MHD_add_response_header(r, "Content-Security-Policy",
		    k->h->csp);
		MHD_add_response_header(r, "X-Frame-Options", "DENY");
		MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
		MHD_add_response_header(r, "Cross-Origin-Opener-Policy",
		    "same-origin");
	}
	return http_queue(k, status, r);
}

/* The language of a page that names no person: the browser's choice
 * among ours. */
static enum lang
http_browser_lang(const struct http_call *k)
{
	return words_accept(MHD_lookup_connection_value(k->c, MHD_HEADER_KIND,
	    "Accept-Language"));
}

static enum MHD_Result
http_message(const struct http_call *k, unsigned status, enum word title,
    enum word text)
{
	enum lang lang = http_browser_lang(k);

	return http_send(k, status, link_page_message(lang, word(lang, title),
	    word(lang, text)), "text/html; charset=utf-8");
}

/* Whose a link's subject is: its follow-up's owner, or its promise's. */
static const char *
http_subject_owner(const struct link_subject *s)
{
	return s->followup.id != 0 ? s->followup.owner : s->promise.owner;
}

/*
 * A POST must come from the page itself.  The signature in the URL is
 * what authorises it; this refuses what a browser says came from
 * another site (a form elsewhere posting to a leaked link).  With
 * Referrer-Policy: no-referrer a browser's Origin is "null", so
 * Sec-Fetch-Site is the browser's answer; a client that sends neither
 * (curl) holds the link and may act, as its holder may.
 */
static int
http_same_origin(const struct http_call *k)
{
	const char *site = MHD_lookup_connection_value(k->c, MHD_HEADER_KIND,
	    "Sec-Fetch-Site");
	const char *origin = MHD_lookup_connection_value(k->c, MHD_HEADER_KIND,
	    "Origin");

	if (site != NULL && strcmp(site, "same-origin") != 0 &&
	    strcmp(site, "none") != 0)
		return 0;
	return origin == NULL || strcmp(origin, "null") == 0 ||
	    strcasecmp(origin, k->h->origin) == 0;
}

/* The page of link l with its subject, after an action or not. */
static char *
http_view(struct http *h, const struct link *l, const char *said,
    const char *refused, enum lang lang, int *status)
{
	struct link_subject s;
	struct link_view v;
	char *err = NULL, *page;

	if (link_subject_load(h->st, l, &s, &err) != 0) {
		log_info("action link %c%lld: %s", l->kind, (long long)l->id,
		    err);
		free(err);
		*status = MHD_HTTP_NOT_FOUND;
		return link_page_message(lang, word(lang, W_NOT_FOUND),
		    word(lang, W_GONE_TEXT));
	}
	memset(&v, 0, sizeof(v));
	v.link = l;
	v.followup = &s.followup;
	v.promise = &s.promise;
	v.deal = &s.deal;
	v.events = s.events;
	v.nevents = s.nevents;
	v.zone = person_zone(h->cfg, http_subject_owner(&s));
	v.lang = person_lang(h->cfg, http_subject_owner(&s), lang);
	v.now = time(NULL);
	v.said = said;
	v.refused = refused;
	page = link_page(&v);
	link_subject_clear(&s);
	return page;
}

/* The POST: the form's action through the use-case, then the page. */
static char *
http_act(struct http *h, const struct link *l, const struct http_req *req,
    enum lang lang, int *status)
{
	struct link_subject s;
	struct link_form form;
	struct uc_ctx ctx;
	char actor[96], *err = NULL, *page;
	const char *said = NULL;
	enum uc_status rc;

	if (link_form_parse(req->body, req->len, &form, &err) != 0) {
		*status = MHD_HTTP_BAD_REQUEST;
		page = link_page_message(lang, word(lang, W_NOT_UNDERSTOOD),
		    err);
		free(err);
		return page;
	}
	if (link_subject_load(h->st, l, &s, &err) != 0) {
		free(err);
		return http_view(h, l, NULL, NULL, lang, status);
	}
	snprintf(actor, sizeof(actor), "%s (link)", http_subject_owner(&s));
	store_set_actor(h->st, actor);
	memset(&ctx, 0, sizeof(ctx));
	ctx.cfg = h->cfg;
	ctx.now = time(NULL);
	ctx.st = &h->st;
	ctx.db_path = h->cfg->database;
	rc = link_act(&ctx, l, &s, &form, person_lang(h->cfg,
	    http_subject_owner(&s), lang), &said, &err);
	store_set_actor(h->st, NULL);
	link_subject_clear(&s);
	if (rc != UC_OK) {
		log_info("action link %c%lld: %s refused: %s", l->kind,
		    (long long)l->id, form.action, err);
		*status = rc == UC_REFUSED ? MHD_HTTP_CONFLICT :
		    MHD_HTTP_INTERNAL_SERVER_ERROR;
		page = http_view(h, l, NULL, err, lang, status);
	} else {
		log_info("action link %c%lld: %s", l->kind, (long long)l->id,
		    form.action);
		/* Its events (a promise kept, a follow-up done) are the
		 * loop's to act on now, as an API write's are. */
		waker_poke(h->waker);
		page = http_view(h, l, said, NULL, lang, status);
	}
	free(err);
	return page;
}

/* /l/TOKEN: GET shows, POST acts; nothing else. */
static enum MHD_Result
http_link(const struct http_call *k)
{
	const struct link_keys *keys;
	const char *dbid = NULL;
	enum link_verdict why;
	struct link l;
	int status = MHD_HTTP_OK, post = strcmp(k->method, "POST") == 0;
	enum lang lang = http_browser_lang(k);
	char *page;

	if (post && !http_same_origin(k))
		return http_message(k, MHD_HTTP_FORBIDDEN, W_REFUSED,
		    W_OTHER_SITE);
	if (post && k->req->too_long)
		return http_message(k, MHD_HTTP_CONTENT_TOO_LARGE, W_TOO_LONG,
		    W_NOTE_TOO_LONG);
	gate_enter_http();
	if ((keys = links_keys(k->h->cfg, &dbid)) == NULL)
		why = LINK_FORGED;
	else
		why = link_verify(k->arg, k->arglen, keys, dbid, time(NULL),
		    &l);
	if (why != LINK_VALID)
		page = link_page_refused(lang, why, &status);
	else if (post)
		page = http_act(k->h, &l, k->req, lang, &status);
	else
		page = http_view(k->h, &l, NULL, NULL, lang, &status);
	log_flush();
	gate_leave();
	return http_send(k, (unsigned)status, page,
	    "text/html; charset=utf-8");
}

/* /cal/TOKEN.ics: a person's calendar feed (lib/calendar.c), for the
 * calendar apps subscribed to it; nothing is changed by it. */
static enum MHD_Result
http_calendar(const struct http_call *k)
{
	char token[128], *ics = NULL, *err = NULL;
	int rc;

	if (strcmp(k->method, "POST") == 0)
		return http_message(k, MHD_HTTP_METHOD_NOT_ALLOWED, W_REFUSED,
		    W_CALENDAR_READ_ONLY);
	if (k->arglen >= sizeof(token))
		return http_message(k, MHD_HTTP_NOT_FOUND, W_NOT_FOUND,
		    W_NO_CALENDAR);
	memcpy(token, k->arg, k->arglen);
	token[k->arglen] = '\0';
	gate_enter_http();
	rc = calendar_feed_for_token(k->h->st, k->h->cfg, token, time(NULL),
	    &ics, &err);
	if (rc < 0)
		log_warnx("calendar feed: %s", err != NULL ? err : "failed");
	log_flush();
	gate_leave();
	free(err);
	if (rc == 1)
		return http_message(k, MHD_HTTP_NOT_FOUND, W_NOT_FOUND,
		    W_NO_CALENDAR);
	if (rc < 0)
		return http_message(k, MHD_HTTP_INTERNAL_SERVER_ERROR, W_ERROR,
		    W_CALENDAR_FAILED);
	return http_send(k, MHD_HTTP_OK, ics, "text/calendar; charset=utf-8");
}

static enum MHD_Result
http_not_found(const struct http_call *k)
{
	http_route_name = "other";
	return http_message(k, MHD_HTTP_NOT_FOUND, W_NOT_FOUND,
	    W_NOTHING_HERE);
}

static const char *
http_query(void *cls, const char *name)
{
	return MHD_lookup_connection_value(cls, MHD_GET_ARGUMENT_KIND, name);
}

/* A JSON or text answer of the API, /metrics or /healthz (body freed). */
static enum MHD_Result
http_send_data(const struct http_call *k, unsigned status, char *body,
    const char *type, const struct api_response *rs)
{
	struct MHD_Response *r = http_response(body, type);
	char num[16];

	if (r != NULL && rs != NULL) {
		if (rs->location[0] != '\0')
			MHD_add_response_header(r, "Location", rs->location);
		if (rs->retry_after > 0) {
			snprintf(num, sizeof(num), "%d", rs->retry_after);
			MHD_add_response_header(r, "Retry-After", num);
		}
		if (rs->www_auth)
			MHD_add_response_header(r, "WWW-Authenticate",
			    "Bearer realm=\"nudge\"");
		if (rs->replayed)
			MHD_add_response_header(r, "Idempotent-Replayed",
			    "true");
	}
	return http_queue(k, status, r);
}

/* /v1/...: the API (daemon/api.c) under the gate. */
static enum MHD_Result
http_api(const struct http_call *k)
{
	const struct http_req *req = k->req;
	struct api_request rq;
	struct api_response rs;
	char path[512];

	if (k->arglen + 4 >= sizeof(path)) {
		http_route_name = "/v1/other";
		return http_send_data(k, MHD_HTTP_NOT_FOUND, strdup("{}"),
		    "application/json", NULL);
	}
	snprintf(path, sizeof(path), "/v1/%.*s", (int)k->arglen, k->arg);
	memset(&rq, 0, sizeof(rq));
	rq.method = k->method;
	rq.path = path;
	rq.authorization = MHD_lookup_connection_value(k->c, MHD_HEADER_KIND,
	    "Authorization");
	rq.content_type = MHD_lookup_connection_value(k->c, MHD_HEADER_KIND,
	    "Content-Type");
	rq.idempotency_key = MHD_lookup_connection_value(k->c,
	    MHD_HEADER_KIND, "Idempotency-Key");
	rq.body = req != NULL ? req->body : "";
	rq.len = req != NULL ? req->len : 0;
	rq.too_long = req != NULL && req->too_long;
	rq.query = http_query;
	rq.query_cls = k->c;
	gate_enter_http();
	api_handle(k->h->api, &rq, &rs);
	if (rs.wrote)
		waker_poke(k->h->waker);
	log_flush();
	gate_leave();
	http_route_name = rs.route;
	return http_send_data(k, rs.status, rs.body, rs.type, &rs);
}

/* /metrics: Prometheus text (daemon/metrics.h). */
static enum MHD_Result
http_metrics(const struct http_call *k)
{
	char *text, *err = NULL;

	gate_enter_http();
	text = metrics_render(k->h->st, time(NULL), &err);
	if (text == NULL)
		log_warnx("/metrics: %s", err != NULL ? err : "out of memory");
	log_flush();
	gate_leave();
	if (text == NULL)
		return http_send_data(k, MHD_HTTP_INTERNAL_SERVER_ERROR, err,
		    "text/plain; charset=utf-8", NULL);
	free(err);
	return http_send_data(k, MHD_HTTP_OK, text,
	    "text/plain; version=0.0.4; charset=utf-8", NULL);
}

static char *
http_health_json(const struct runstate_health *hh, int ok)
{
	json_t *o = json_pack("{s:s, s:s, s:I, s:I}", "status", ok ? "pass" :
	    "fail", "state", runstate_state_name(hh->state), "pid",
	    (json_int_t)hh->pid, "heartbeat_age", (json_int_t)hh->heartbeat_age);
	char *s;

	if (o != NULL && hh->fault[0] != '\0')
		json_object_set_new(o, "fault", json_string(hh->fault));
	s = o != NULL ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	return s;
}

/* /healthz: the scheduler's state as `nudge status` judges it: 200
 * while it runs with no fault, 503 with the state otherwise. */
static enum MHD_Result
http_health(const struct http_call *k)
{
	struct runstate_health hh;
	struct runstate rs;
	char *err = NULL, *body;
	int ok, rc;

	memset(&rs, 0, sizeof(rs));
	gate_enter_http();
	rc = runstate_health(k->h->st, time(NULL), &rs, &hh, &err);
	gate_leave();
	runstate_clear(&rs);
	if (rc != 0) {
		body = json_dumps(json_pack("{s:s, s:s}", "status", "fail",
		    "error", err != NULL ? err : "?"), JSON_COMPACT);
		free(err);
		return http_send_data(k, MHD_HTTP_SERVICE_UNAVAILABLE, body,
		    "application/json", NULL);
	}
	ok = hh.state == RUNSTATE_RUNNING && hh.fault[0] == '\0';
	body = http_health_json(&hh, ok);
	return http_send_data(k, ok ? MHD_HTTP_OK :
	    MHD_HTTP_SERVICE_UNAVAILABLE, body, "application/json", NULL);
}

/* A request answered, counted for /metrics by route and status. */
static enum MHD_Result
http_counted(enum MHD_Result rc)
{
	if (http_status != 0)
		metrics_http(http_route_name, http_status);
	http_status = 0;
	return rc;
}

/* Gather a POST's body (at most req->max bytes are kept). */
static void
http_gather(struct http_req *req, const char *data, size_t *size)
{
	size_t need = req->len + *size + 1, cap;
	char *b;

	if (req->len + *size > req->max) {
		req->too_long = 1;
	} else {
		if (need > req->cap) {
			cap = need > 2 * req->cap ? need : 2 * req->cap;
			if ((b = realloc(req->body, cap)) == NULL) {
				req->too_long = 1;      /* refused, not kept */
				*size = 0;
				return;
			}
			req->body = b;
			req->cap = cap;
		}
		memcpy(req->body + req->len, data, *size);
		req->len += *size;
		req->body[req->len] = '\0';
	}
	*size = 0;
}

/* Whether the call is the API's (its path /v1/...); if so, its argument
 * is now what follows /v1/, as http_api takes it. */
static int
http_strip_v1(struct http_call *k)
{
	if (strncmp(k->arg, "/v1/", 4) != 0)
		return 0;
	k->arg += 4;
	k->arglen -= 4;
	return 1;
}

/* The first call of a POST: its state, the limit of its route's body;
 * an API body whose Content-Length is over it is refused before it is
 * read. */
static enum MHD_Result
http_begin(struct http_call *k, void **con_cls)
{
	const char *cl = MHD_lookup_connection_value(k->c, MHD_HEADER_KIND,
	    "Content-Length");
	struct http_req *req;
	int api = http_strip_v1(k);

	if ((req = calloc(1, sizeof(*req))) == NULL)
		return MHD_NO;
	*con_cls = req;
	req->max = api ? API_BODY_MAX : LINK_FORM_MAX;
	req->cap = 1024;
	if ((req->body = calloc(1, req->cap)) == NULL)
		return MHD_NO;
	if (api && cl != NULL && strtoull(cl, NULL, 10) > req->max) {
		req->too_long = 1;
		k->req = req;
		return http_api(k);
	}
	return MHD_YES;
}

static enum MHD_Result
http_request(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *data,
    size_t *size, void **con_cls)
{
	struct http_req *req = *con_cls;
	size_t i, plen, slen, ulen = strlen(url);
	/* Its argument the whole path until a route says which part. */
	struct http_call k = { cls, c, method, url, ulen, req };
	const struct http_route *r;
	int get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;

	(void)version;
	http_status = 0;
	http_route_name = "other";
	/* The API answers another method with a problem of its own. */
	if (!get && strcmp(method, "POST") != 0)
		return http_counted(http_strip_v1(&k) ? http_api(&k) :
		    http_message(&k, MHD_HTTP_METHOD_NOT_ALLOWED,
		    W_NOT_ALLOWED, W_ONLY_GET_POST));
	if (!get && req == NULL)        /* before the body */
		return http_counted(http_begin(&k, con_cls));
	if (!get && *size > 0) {
		http_gather(req, data, size);
		return MHD_YES;
	}
	for (i = 0; i < sizeof(http_routes) / sizeof(http_routes[0]); i++) {
		r = &http_routes[i];
		plen = strlen(r->prefix);
		slen = strlen(r->suffix);
		if (ulen >= plen + slen && strncmp(url, r->prefix, plen) == 0 &&
		    strcmp(url + ulen - slen, r->suffix) == 0 &&
		    (!r->one_path || ulen == plen)) {
			http_route_name = r->name;
			k.arg = url + plen;
			k.arglen = ulen - plen - slen;
			return http_counted(r->fn(&k));
		}
	}
	return http_counted(http_not_found(&k));
}

static void
http_free_req(struct http_req *req)
{
	if (req != NULL)
		free(req->body);
	free(req);
}

static void
http_done(void *cls, struct MHD_Connection *c, void **con_cls,
    enum MHD_RequestTerminationCode why)
{
	(void)cls;
	(void)c;
	(void)why;
	http_free_req(*con_cls);
	*con_cls = NULL;
}

/* cfg->http.listen as a socket address. */
static int
http_addr(const struct config *cfg, struct sockaddr_storage *ss,
    char **errp)
{
	struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
	char host[64];
	int port;

	memset(ss, 0, sizeof(*ss));
	if (config_http_listen(cfg->http.listen, host, sizeof(host),
	    &port) != 0)
		return err_set(errp, "http.listen: '%s' is not ADDRESS:PORT",
		    cfg->http.listen);
	if (inet_pton(AF_INET, host, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons((uint16_t)port);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		return 0;
	}
	return err_set(errp, "http.listen: '%s' is not an IP address and port",
	    cfg->http.listen);
}

/* scheme://host[:port] of public_url: what a same-origin Origin says. */
static void
http_origin(const char *url, char *buf, size_t len)
{
	const char *host = strstr(url, "://");
	size_t n = strlen(url);

	if (host != NULL && (host = strchr(host + 3, '/')) != NULL)
		n = (size_t)(host - url);
	snprintf(buf, len, "%.*s", (int)n, url);
}

void
http_set_config(struct http *h, const struct config *cfg)
{
	if (h == NULL)
		return;
	if (strcmp(cfg->http.listen, h->cfg->http.listen) != 0)
		log_warnx("reload: http.listen changed to %s; the listener "
		    "stays on %s until a restart", cfg->http.listen,
		    h->cfg->http.listen);
	h->cfg = cfg;
	api_set_config(h->api, cfg);
	http_origin(cfg->http.public_url, h->origin, sizeof(h->origin));
}

static struct waker *
http_waker(const struct config *cfg, char **errp)
{
	char path[256];

	if (wake_socket_path(cfg->runtime_dir, path, sizeof(path), errp) != 0)
		return NULL;
	return waker_start(path, errp);
}

struct http *
http_start(const struct config *cfg, char **errp, int *failed)
{
	struct sockaddr_storage ss;
	struct http *h;

	*failed = 0;
	if (!cfg->http.enabled)
		return NULL;
	*failed = 1;
	if (http_addr(cfg, &ss, errp) != 0)
		return NULL;
	if ((h = calloc(1, sizeof(*h))) == NULL)
		return err_set(errp, "out of memory"), NULL;
	h->cfg = cfg;
	http_origin(cfg->http.public_url, h->origin, sizeof(h->origin));
	if (link_page_csp(h->csp, sizeof(h->csp)) != 0 ||
	    store_open(cfg->database, STORE_DURABLE | STORE_EXISTING, &h->st,
	    errp) != 0) {
		free(h);
		return NULL;
	}
	if (links_open(cfg, h->st, errp) != 0) {
		store_close(h->st);
		free(h);
		return NULL;
	}
	if ((h->api = api_new(cfg, &h->st, errp)) == NULL ||
	    (h->waker = http_waker(cfg, errp)) == NULL) {
		api_free(h->api);
		store_close(h->st);
		free(h);
		links_close();
		return NULL;
	}
	/* Its own threads (a pool), its own limits: a flood of requests
	 * queues in the listener, never in the loop. */
	h->mhd = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD |
	    MHD_USE_EPOLL | MHD_USE_ERROR_LOG | MHD_USE_TURBO, 0, NULL, NULL,
	    http_request, h,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned)HTTP_POOL,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)cfg->http.connections,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)HTTP_TIMEOUT,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(32 * 1024),
	    MHD_OPTION_NOTIFY_COMPLETED, http_done, NULL,
	    MHD_OPTION_END);
	if (h->mhd == NULL) {
		err_set(errp, "http: cannot listen on %s (in use, or not an "
		    "address of this machine)", cfg->http.listen);
		waker_stop(h->waker);
		api_free(h->api);
		store_close(h->st);
		free(h);
		links_close();
		return NULL;
	}
	*failed = 0;
	log_info("action links at %s/l/..., listening on %s",
	    cfg->http.public_url, cfg->http.listen);
	return h;
}

void
http_stop(struct http *h)
{
	if (h == NULL)
		return;
	MHD_stop_daemon(h->mhd);
	waker_stop(h->waker);
	api_free(h->api);
	store_close(h->st);
	free(h);
	links_close();
}
