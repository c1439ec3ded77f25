/* For the API's own files (api.c, api_json.c, api_routes.c). */
#ifndef NUDGED_API_IMPL_H
#define NUDGED_API_IMPL_H

#include <jansson.h>
#include <stdint.h>

#include "api.h"
#include "deal.h"
#include "followup.h"
#include "promise.h"
#include "token.h"
#include "typed_offset.h"
#include "usecase.h"

#define API_FIELDS_MAX 12

struct api_how;

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
	const char *verb;       /* the route's: the state it moves to */
	const struct api_how *how; /* the route's: what its function does */
	int wrote;              /* a write succeeded: wake the loop */
};

typedef void api_fn(struct api_call *c);

struct api_route {
	const char *method;
	const char *pattern;    /* "/v1/deals/{id}/won" */
	int write;              /* needs a write token */
	api_fn *fn;
	const char *verb;       /* the state a write moves to ("won",
	                         * "cancelled"), its path's word or not */
	const struct api_how *how; /* for fn, or NULL */
};

extern const struct api_route api_routes[];
/* GET /v1/accounts (api_contact.c). */
api_fn api_accounts;

/* A body field: like the CLI's option table, a group (> 0: at most one
 * of the group) and whether it is needed; its JSON type (how each is
 * read and named: api_json.c's api_types), and to: where a write's
 * request struct takes it. */
enum api_type { API_STRING, API_ID, API_BOOL, API_AMOUNT };
struct api_field {
	const char *name;
	int group;
	int need;
	enum api_type type;
	size_t to;
};
/* The type and where in struct S it goes, member m checked to be of the
 * C type the type is stored as: API_STR(uc_promise_add, text). */
#define API_STR(S, m) API_STRING, TYPED_OFFSET(struct S, m, const char *)
#define API_AMT(S, m) API_AMOUNT, TYPED_OFFSET(struct S, m, const char *)
#define API_IDM(S, m) API_ID, TYPED_OFFSET(struct S, m, int64_t)
#define API_FLAG(S, m) API_BOOL, TYPED_OFFSET(struct S, m, int)
/* A field only read into struct api_args, stored nowhere. */
#define API_ARG(type) type, 0
#define API_FIELDS_END { NULL, 0, 0, API_STRING, 0 }

/* The fields' values: s[] for strings and amounts (NULL: absent), i[]
 * for ids and booleans. */
struct api_args {
	const char *s[API_FIELDS_MAX];
	int64_t i[API_FIELDS_MAX];
	char num[API_FIELDS_MAX][48];
};

/* c's body read against the table: 0, or -1 with a 400 answered.  When
 * req is not NULL each value given is also stored at its field's .to in
 * it (strings and amounts as const char *, ids as int64_t, booleans as
 * int). */
int api_fields(struct api_call *c, const struct api_field *spec,
    struct api_args *out, void *req);
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
/* ?NAME=, a whole number from min to max, into *out (unchanged when
 * absent): 0, or -1 with 400 saying so. */
int api_number(struct api_call *c, const char *name, long min, long max,
    long *out);
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
/* The record an endpoint answers with, of each kind. */
enum api_kind { API_DEAL, API_PROMISE, API_PROMISE_ADDED, API_FOLLOWUP,
	API_CONTACT };
union api_record {
	struct deal deal;
	struct promise promise;
	struct uc_promise_added added;
	struct followup followup;
	struct uc_contact_added contact;
};

/* The requests of the writes whose body is one struct of the use-case. */
union api_body {
	struct uc_deal_import deal;
	struct uc_promise_add promise;
	struct uc_followup_add followup;
	struct uc_contact_add contact;
};

/* A write's body as read, and what its use-case made. */
struct api_io {
	struct api_args a;
	union api_body q;
	union api_record r;
	int created;            /* 0: the record was there (200, not 201) */
};

typedef enum uc_status api_uc_fn(struct api_call *c, struct api_io *io,
    char **errp);

/* What a route of api_write(), api_show() or api_index() does: the kind
 * of record it answers with; a write's body (into its request when
 * into), use-case and status (201: it makes the record, its Location
 * said); a list's ?CHOICE= and what that may be. */
struct api_how {
	enum api_kind kind;
	const struct api_field *fields;
	int into;
	api_uc_fn *call;
	unsigned status;
	const char *choice;
	const char *const *allowed;
};
/* POST /v1/contacts (api_contact.c). */
extern const struct api_how api_contact_add;

/* JSON text with depth at most API_DEPTH_MAX (strings skipped). */
int api_depth_ok(const char *s, size_t len);

#endif
