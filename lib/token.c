/* The API's bearer tokens: see token.h. */
#include "token.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "err.h"
#include "store.h"
#include "store_value.h"
#include "token.def"

static const char SQL_INSERT[] =
    "INSERT INTO api_tokens (name, scope, hash, created_at) "
    "VALUES (?1, ?2, ?3, ?4)";
static const char SQL_BY_NAME[] =
    "SELECT id FROM api_tokens WHERE name = ?1";
static const char SQL_DELETE[] =
    "DELETE FROM api_tokens WHERE name = ?1";
#define TOKEN_SELECT "SELECT " STORE_DEF_SELECT(TOKEN_DEF) "FROM api_tokens "
static const char SQL_LIST[] = TOKEN_SELECT "ORDER BY name";
static const char SQL_BY_HASH[] = TOKEN_SELECT "WHERE hash = ?1";
static const char SQL_TOUCH[] =
    "UPDATE api_tokens SET last_used_at = ?2 WHERE id = ?1";

STORE_DEF_ROW_TYPE(token_rows, TOKEN_DEF, struct api_token, "token",
    "listing tokens");
STORE_DEF_CLEAR_FREE(token_rows, struct api_token, token_clear,
    token_list_free)

int
token_name_check(const char *name, char **errp)
{
	static const char allowed[] = "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-";
	size_t n = strlen(name);

	if (n == 0 || n > TOKEN_NAME_MAX)
		return err_set(errp, "a token's name has 1 to %d characters",
		    TOKEN_NAME_MAX);
	if (strspn(name, allowed) != n)
		return err_set(errp, "token name '%s': letters, digits, "
		    "'.', '_' and '-' only", name);
	return 0;
}

int
token_scope_ok(const char *scope)
{
	return strcmp(scope, "read") == 0 || strcmp(scope, "write") == 0;
}

int
token_secret_make(char *buf, char **errp)
{
	unsigned char raw[32];
	size_t i, p = strlen(TOKEN_PREFIX);

	if (getrandom(raw, sizeof(raw), 0) != (ssize_t)sizeof(raw))
		return err_set(errp, "getrandom() failed");
	memcpy(buf, TOKEN_PREFIX, p);
	for (i = 0; i < sizeof(raw); i++)
		snprintf(buf + p + 2 * i, 3, "%02x", raw[i]);
	OPENSSL_cleanse(raw, sizeof(raw));
	return 0;
}

void
token_hash(const char *secret, char *hex)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, i;

	if (EVP_Digest(secret, strlen(secret), md, &mdlen, EVP_sha256(),
	    NULL) != 1)
		mdlen = 0;      /* no digest: an empty hash matches no row */
	hex[0] = '\0';
	for (i = 0; i < mdlen && 2 * i < TOKEN_HASH_LEN; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
}

int
token_insert(struct store *st, const char *name, const char *scope,
    const char *hash, time_t now, struct api_token *out, char **errp)
{
	int64_t id;
	int found;

	memset(out, 0, sizeof(*out));
	if ((found = store_value_int(st, SQL_BY_NAME,
	    STORE_ARGS(STORE_TEXT(name)), &id, "reading tokens", errp)) < 0)
		return -1;
	if (found) {
		err_set(errp, "a token named '%s' exists (revoke it first)",
		    name);
		return 1;
	}
	if (store_exec(st, SQL_INSERT, STORE_ARGS(STORE_TEXT(name),
	    STORE_TEXT(scope), STORE_TEXT(hash), STORE_INT(now)), errp) != 0)
		return -1;
	out->id = sqlite3_last_insert_rowid(store_db(st));
	out->created_at = now;
	if ((out->name = strdup(name)) == NULL ||
	    (out->scope = strdup(scope)) == NULL)
		return err_set(errp, "out of memory");
	return 0;
}

int
token_delete(struct store *st, const char *name, char **errp)
{
	if (store_exec(st, SQL_DELETE, STORE_ARGS(STORE_TEXT(name)),
	    errp) != 0)
		return -1;
	if (sqlite3_changes(store_db(st)) == 0) {
		err_set(errp, "no token named '%s'", name);
		return 1;
	}
	return 0;
}

int
token_list(struct store *st, struct api_token **v, size_t *n, char **errp)
{
	return store_list(st, SQL_LIST, NULL, 0, &token_rows, v, n, errp);
}

int
token_auth(struct store *st, const char *secret, time_t now,
    struct api_token *out, char **errp)
{
	char hex[TOKEN_HASH_LEN + 1];
	sqlite3_stmt *q;
	int rc;

	memset(out, 0, sizeof(*out));
	token_hash(secret, hex);
	if ((q = store_stmt(st, SQL_BY_HASH, errp)) == NULL)
		return -1;
	store_bind_text(q, 1, hex);
	if ((rc = store_row(st, q, &token_rows, out, errp)) <= 0)
		return rc;
	/* A write a minute at most: a busy client's GETs stay reads. */
	if (now - out->last_used_at >= 60 && store_exec(st, SQL_TOUCH,
	    STORE_ARGS(STORE_INT(out->id), STORE_INT(now)), NULL) == 0)
		out->last_used_at = now;
	return 1;
}
