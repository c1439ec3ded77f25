/*
 * The HTTP API, /v1/... (docs/API.md, docs/openapi.json): a request as
 * the listener read it in, a response out, nothing of HTTP's transport
 * here (daemon/http.c has that), so tests/fuzz drives it directly.
 * Every write goes through the use-cases of lib/usecase.h, with the
 * CLI's rules and messages; errors are RFC 9457 problem details.
 */
#ifndef NUDGED_API_H
#define NUDGED_API_H

#include <stddef.h>

struct config;
struct store;
struct api;

#define API_BODY_MAX (64 * 1024)        /* bytes; more is 413 */
#define API_DEPTH_MAX 16                /* nesting; more is 400 */

struct api_request {
	const char *method;             /* "GET", "HEAD", "POST" */
	const char *path;               /* "/v1/deals/7/won" */
	const char *authorization;      /* headers; NULL: absent */
	const char *content_type;
	const char *idempotency_key;
	const char *body;               /* POST: len bytes, NUL after */
	size_t len;
	int too_long;                   /* the body was over API_BODY_MAX */
	/* A query argument's value, NULL when absent. */
	const char *(*query)(void *cls, const char *name);
	void *query_cls;
};

struct api_response {
	unsigned status;
	char *body;             /* malloc'd; NULL: out of memory */
	const char *type;       /* its Content-Type */
	const char *route;      /* the route's pattern, for /metrics (static) */
	char location[64];      /* a created record's; "" none */
	int retry_after;        /* seconds (429); 0 none */
	int replayed;           /* the kept answer to an Idempotency-Key */
	int www_auth;           /* 401: say Bearer */
	int wrote;              /* something was written: wake the loop */
};

/* The API over the listener's store (*st, opened) and cfg. */
struct api *api_new(const struct config *cfg, struct store **st,
    char **errp);
void api_set_config(struct api *a, const struct config *cfg);
void api_free(struct api *a);
/* Answer rq into *rs (rs->body the caller frees).  The caller holds
 * the gate. */
void api_handle(struct api *a, const struct api_request *rq,
    struct api_response *rs);
/* The OpenAPI document served at /v1/openapi.json (docs/openapi.json,
 * embedded at build time). */
extern const char api_openapi_json[];

#endif
