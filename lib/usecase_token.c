/* The HTTP API's tokens: made (the secret shown once) and revoked. */
#include "usecase.h"

#include <openssl/crypto.h>
#include <string.h>

#include "err.h"
#include "store.h"
#include "token.h"
#include "usecase_txn.h"

struct token_add {
	const char *name, *scope, *hash;
	struct api_token *out;
};

static enum uc_status
token_add_step(struct uc_ctx *ctx, void *arg, char **errp)
{
	struct token_add *a = arg;

	switch (token_insert(*ctx->st, a->name, a->scope, a->hash, ctx->now,
	    a->out, errp)) {
	case 0:
		return UC_OK;
	case 1:
		return uc_refuse(ctx, UC_CONFLICT);
	default:
		return UC_FAILED;
	}
}

enum uc_status
uc_token_add(struct uc_ctx *ctx, const char *name, const char *scope,
    char *secret, struct api_token *out, char **errp)
{
	char hash[TOKEN_HASH_LEN + 1];
	struct token_add a = { name, scope, hash, out };
	enum uc_status rc;

	memset(out, 0, sizeof(*out));
	secret[0] = '\0';
	if (token_name_check(name, errp) != 0)
		return UC_REFUSED;
	if (!token_scope_ok(scope))
		return err_set(errp, "--scope %s: read or write", scope),
		    UC_REFUSED;
	if (token_secret_make(secret, errp) != 0)
		return UC_FAILED;
	token_hash(secret, hash);
	if ((rc = uc_in_transaction(ctx, token_add_step, &a, errp)) != UC_OK)
		OPENSSL_cleanse(secret, TOKEN_SECRET_LEN);
	return rc;
}

static enum uc_status
token_revoke_step(struct uc_ctx *ctx, void *arg, char **errp)
{
	switch (token_delete(*ctx->st, arg, errp)) {
	case 0:
		return UC_OK;
	case 1:
		return uc_refuse(ctx, UC_NOT_FOUND);
	default:
		return UC_FAILED;
	}
}

enum uc_status
uc_token_revoke(struct uc_ctx *ctx, const char *name, char **errp)
{
	if (token_name_check(name, errp) != 0)
		return UC_REFUSED;
	return uc_in_transaction(ctx, token_revoke_step, (void *)name, errp);
}
