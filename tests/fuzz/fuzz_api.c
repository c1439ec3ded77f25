/*
 * The HTTP API's requests (daemon/api.c, api_json.c, api_routes.c): the
 * input's first line is "METHOD PATH", the rest the body, answered by
 * api_handle() with a write token over a real store with the real
 * schema, as nudged's listener would after reading them off a socket.
 *
 * The store is made once per process, with a deal, a promise and a
 * follow-up for the paths' ids to find.  A commit hook turns every COMMIT
 * into a rollback, so each input starts from the same database.  Beyond
 * crashes and leaks this checks that every answer is JSON, a problem
 * (with type, title, status and detail) for a status of 400 or more, and
 * that no transaction is left open.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "api.h"
#include "config.h"
#include "fuzz_common.h"
#include "store.h"
#include "token.h"
#include "usecase.h"

static const char fuzz_conf[] =
    "database = \"nudge.db\";\n"
    "runtime_dir = \".\";\n"
    "timezone = \"Europe/Stockholm\";\n"
    "channels = ( { name = \"log\"; type = \"log\"; } );\n"
    "people = ( { handle = \"anna\"; hours = \"08:00-17:00\";\n"
    "    days = \"mon-fri\"; capacity = 2; } );\n"
    "promises = { phrases = [ \"asap\" ]; };\n"
    "http = { listen = \"127.0.0.1:1\"; api_rate = 100000; };\n";

static struct config *fuzz_cfg;
static struct store *fuzz_st;
static struct api *fuzz_api;
static char fuzz_auth[TOKEN_SECRET_LEN + 16];

static int
fuzz_veto_commit(void *arg)
{
	(void)arg;
	return 1;
}

static void
fuzz_seed(struct uc_ctx *ctx)
{
	struct uc_deal_add d = { "Roof", "Acme", "anna", "100", "EUR", NULL };
	struct uc_promise_add p = { "Send it", "anna", "Acme", 0, "+3d",
		NULL, 0, 0 };
	struct uc_followup_add f = { "Call", "anna", "Acme", 0, NULL, "2h",
		0 };
	struct uc_promise_added pr;
	char secret[TOKEN_SECRET_LEN + 1], *err = NULL;
	struct api_token t;
	struct followup fo;
	struct deal de;

	if (uc_token_add(ctx, "fuzz", "write", secret, &t, &err) != UC_OK ||
	    uc_deal_add(ctx, &d, &de, &err) != UC_OK ||
	    uc_promise_add(ctx, &p, &pr, &err) != UC_OK ||
	    uc_followup_add(ctx, &f, &fo, &err) != UC_OK)
		fuzz_fail("seeding: %s", err);
	snprintf(fuzz_auth, sizeof(fuzz_auth), "Bearer %s", secret);
	token_clear(&t);
	deal_clear(&de);
	uc_promise_added_clear(&pr);
	followup_clear(&fo);
}

static void
fuzz_init(void)
{
	char *conf = fuzz_path("nudge.conf"), *err = NULL;
	struct uc_ctx ctx;

	fuzz_write(conf, fuzz_conf, sizeof(fuzz_conf) - 1);
	if (config_load(conf, &fuzz_cfg, &err) != 0)
		fuzz_fail("config: %s", err);
	memset(&ctx, 0, sizeof(ctx));
	ctx.cfg = fuzz_cfg;
	ctx.now = time(NULL);
	ctx.st = &fuzz_st;
	fuzz_seed(&ctx);
	sqlite3_commit_hook(store_db(fuzz_st), fuzz_veto_commit, NULL);
	if ((fuzz_api = api_new(fuzz_cfg, &fuzz_st, &err)) == NULL)
		fuzz_fail("api: %s", err);
	free(conf);
}

static const char *
fuzz_query(void *cls, const char *name)
{
	(void)cls;
	return strcmp(name, "days") == 0 ? "3" : NULL;
}

/* Every answer is JSON; one of 400 or more a whole problem. */
static void
fuzz_check(const struct api_response *rs)
{
	json_t *o;

	if (rs->body == NULL)
		fuzz_fail("no body (status %u)", rs->status);
	if ((o = json_loads(rs->body, 0, NULL)) == NULL)
		fuzz_fail("not JSON: %s", rs->body);
	if (rs->status >= 400 && (!json_is_string(json_object_get(o, "type")) ||
	    !json_is_string(json_object_get(o, "title")) ||
	    json_integer_value(json_object_get(o, "status")) !=
	    (json_int_t)rs->status ||
	    !json_is_string(json_object_get(o, "detail"))))
		fuzz_fail("not a problem: %s", rs->body);
	json_decref(o);
	if (!sqlite3_get_autocommit(store_db(fuzz_st)))
		fuzz_fail("a transaction left open");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct api_request rq;
	struct api_response rs;
	char *text, *nl, *sp;

	if (fuzz_api == NULL)
		fuzz_init();
	text = fuzz_cstr(data, size);
	memset(&rq, 0, sizeof(rq));
	rq.method = "POST";
	rq.path = text;
	rq.body = "";
	if ((nl = strchr(text, '\n')) != NULL) {
		*nl = '\0';
		rq.body = nl + 1;
	}
	if ((sp = strchr(text, ' ')) != NULL) {
		*sp = '\0';
		rq.method = text;
		rq.path = sp + 1;
	}
	rq.len = strlen(rq.body);
	rq.too_long = rq.len > API_BODY_MAX;
	rq.authorization = fuzz_auth;
	rq.content_type = "application/json";
	rq.idempotency_key = size % 3 == 0 ? "fuzz-key" : NULL;
	rq.query = fuzz_query;
	api_handle(fuzz_api, &rq, &rs);
	fuzz_check(&rs);
	free(rs.body);
	free(text);
	return 0;
}
