/* For the API's own files (api.c, api_json.c, api_routes.c). */
#ifndef NUDGED_API_IMPL_H
#define NUDGED_API_IMPL_H

#include <jansson.h>
#include <stdint.h>

#include "api.h"
#include "token.h"
#include "usecase.h"

#define API_FIELDS_MAX 12

/* One call being answered. */
struct api_call {
	const struct config *cfg;
	struct store *st;
	const struct api_request *rq;
	struct api_response *rs;
	struct uc_ctx ctx;
	const struct api_token *token;
	json_t *body;           /* the POST's object; {} for an empty body */
	int64_t id;             /* the path's {id} */
	const char *verb;       /* the route's: "won", "lost", ... */
	int wrote;              /* a write succeeded: wake the loop */
};

typedef void api_fn(struct api_call *c);

struct api_route {
	const char *method;
	const char *pattern;    /* "/v1/deals/{id}/won" */
	int write;              /* needs a write token */
	api_fn *fn;
	const char *verb;
};

extern const struct api_route api_routes[];
/* POST /v1/contacts, GET /v1/accounts (api_contact.c). */
api_fn api_contact_create, api_accounts;
/* A record written: 200, or 201 with its Location when kind is not NULL
 * (/v1/KIND/ID). */
void api_written(struct api_call *c, unsigned status, const char *kind,
    int64_t id, json_t *o);

/* A body field: its JSON type, and like the CLI's option table, a group
 * (> 0: at most one of the group) and whether it is needed. */
enum api_type { API_STRING, API_ID, API_BOOL, API_AMOUNT };
struct api_field {
	const char *name;
	enum api_type type;
	int group;
	int need;
};
#define API_FIELDS_END { NULL, API_STRING, 0, 0 }

/* The fields' values: s[] for strings and amounts (NULL: absent), i[]
 * for ids and booleans. */
struct api_args {
	const char *s[API_FIELDS_MAX];
	int64_t i[API_FIELDS_MAX];
	char num[API_FIELDS_MAX][48];
};

/* c's body read against the table: 0, or -1 with a 400 answered. */
int api_fields(struct api_call *c, const struct api_field *spec,
    struct api_args *out);
/* A query argument as a string; NULL when absent. */
const char *api_query(const struct api_call *c, const char *name);
/* ?owner=, a configured person (NULL when absent): 0, or -1 with 400
 * answered in the CLI's words. */
int api_owner(struct api_call *c, const char **owner);
/* ?NAME=, one of allowed (NULL-ended; NULL when absent): 0, or -1 with
 * 400 naming NAME and what it may be. */
int api_choice(struct api_call *c, const char *name,
    const char *const *allowed, const char **out);

/* The most rows a list answers (?limit=, 1 to this; the default): a
 * request holds the database the deliveries also need. */
#define API_LIST_MAX 1000
/* ?limit= into *limit (API_LIST_MAX when absent): 0, or -1 with 400. */
int api_limit(struct api_call *c, int *limit);
/* item (consumed) appended to *arr; a failure frees *arr and sets it
 * NULL, so that api_list() answers 500, not a list with a row missing. */
void api_list_add(json_t **arr, json_t *item);
/* The list as the answer: 200, or 500 when it could not be made. */
void api_list(struct api_call *c, json_t *arr);

/* The answer: a record (JSON, consumed), or a problem. */
void api_json(struct api_call *c, unsigned status, json_t *v);
void api_problem(struct api_response *rs, unsigned status,
    const char *detail);
/* A problem whose detail is err (freed), its status from the
 * use-case's result. */
void api_uc_problem(struct api_call *c, enum uc_status st, char *err);
/* The same with key: extra (borrowed; NULL: none) in the problem. */
void api_uc_problem_with(struct api_call *c, enum uc_status st, char *err,
    const char *key, json_t *extra);
/* JSON text with depth at most API_DEPTH_MAX (strings skipped). */
int api_depth_ok(const char *s, size_t len);

#endif
