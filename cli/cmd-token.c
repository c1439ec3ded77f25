/*
 * nudge token: the HTTP API's bearer tokens (docs/API.md).  `token add
 * NAME --scope read|write` prints the secret once: the database keeps
 * only its SHA-256.  `token list` shows each with its last use; `token
 * revoke NAME` makes the API refuse it from now on.
 */
#include <openssl/crypto.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "config.h"
#include "jsonout.h"
#include "token.h"

static json_t *
token_json(struct cli *c, const struct api_token *t)
{
	json_t *o = json_pack("{s:s, s:s}", "name", t->name, "scope",
	    t->scope);

	jsonout_set_time(o, "created", t->created_at, c->cfg->timezone);
	jsonout_set_time(o, "last_used", t->last_used_at, c->cfg->timezone);
	return o;
}

enum { TA_SCOPE };
static const struct cli_opt token_add_opts[] = {
	[TA_SCOPE] = { "scope", 0, "SCOPE", 0, CLI_NEED,
	    "read (GET only) or write (everything)" },
	CLI_OPT_END,
};

static int
token_add_cmd(struct cli *c, const struct cli_args *a)
{
	char secret[TOKEN_SECRET_LEN + 1], *err = NULL;
	struct api_token t;
	json_t *o;
	int rc;

	if ((rc = cli_ctx(c)) != CLI_OK)
		return rc;
	if ((rc = cli_uc_status(uc_token_add(&c->uc, a->arg[0],
	    a->v[TA_SCOPE], secret, &t, &err), &err)) != CLI_OK) {
		token_clear(&t);
		return rc;
	}
	if (c->json) {
		o = token_json(c, &t);
		json_object_set_new(o, "token", json_string(secret));
		rc = cli_print_json(o);
	} else {
		printf("%s\n", secret);
		fprintf(stderr, "nudge: token '%s' (%s): shown once, keep it "
		    "now; only its hash is stored\n", t.name, t.scope);
	}
	OPENSSL_cleanse(secret, sizeof(secret));
	token_clear(&t);
	return rc;
}

static const struct cli_col token_cols[] = {
	{ "NAME", 20 }, { "SCOPE", 6 }, { "LAST USED", CLI_TIME_COLS },
	CLI_COL_END,
};

static json_t *
token_list_json(struct cli *c, const struct cli_list *l, const void *e)
{
	(void)l;
	return token_json(c, e);
}

static void
token_list_row(struct cli *c, const struct cli_list *l,
    const struct cli_table *t, const void *e)
{
	const struct api_token *tok = e;
	char buf[96];

	(void)l;
	cli_table_row(t, (const char *const[]){ tok->name, tok->scope,
	    tok->last_used_at == 0 ? "never" : cli_table_time(c,
	    tok->last_used_at, c->cfg->timezone, buf, sizeof(buf)) });
}

CLI_LIST(token, struct api_token, token_list_free, "tokens", token_cols,
    token_list_json, token_list_row);

static int
token_list_cmd(struct cli *c, const struct cli_args *a)
{
	struct api_token *v = NULL;
	char *err = NULL;
	size_t n = 0;
	int rc;

	(void)a;
	if ((rc = cli_open(c)) != CLI_OK)
		return rc;
	rc = token_list(c->st, &v, &n, &err);
	return cli_list_out(c, &token_list_print, rc, err, v, n);
}

static int
token_revoke_cmd(struct cli *c, const struct cli_args *a)
{
	char *err = NULL;
	int rc;

	if ((rc = cli_ctx(c)) != CLI_OK || (rc = cli_uc_status(
	    uc_token_revoke(&c->uc, a->arg[0], &err), &err)) != CLI_OK)
		return rc;
	if (c->json)
		return cli_print_json(json_pack("{s:s, s:b}", "name",
		    a->arg[0], "revoked", 1));
	printf("token '%s' revoked\n", a->arg[0]);
	return CLI_OK;
}

const struct cli_sub cli_token_subs[] = {
	{ "add", "NAME", 1, 1, token_add_cmd, token_add_opts,
	    "a new API token, printed once", NULL },
	{ "list", NULL, 0, 0, token_list_cmd, NULL,
	    "the API's tokens, their scope and last use", NULL },
	{ "revoke", "NAME", 1, 1, token_revoke_cmd, NULL,
	    "the API refuses this token from now on", NULL },
	CLI_SUB_END,
};
