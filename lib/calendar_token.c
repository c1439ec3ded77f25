#include "calendar_token.h"

#include <string.h>

#include <openssl/evp.h>

#include "err.h"
#include "event_pack.h"
#include "random_hex.h"
#include "store.h"
#include "store_value.h"

static const char SQL_LIVE[] =
    "SELECT created_at FROM calendar_tokens "
    "WHERE owner = ?1 AND revoked_at IS NULL";
static const char SQL_OWNER[] =
    "SELECT owner FROM calendar_tokens "
    "WHERE token_hash = ?1 AND revoked_at IS NULL";
static const char SQL_INSERT[] =
    "INSERT INTO calendar_tokens (owner, token_hash, created_at) "
    "VALUES (?1, ?2, ?3)";
/* The live one's id, found and revoked in one step. */
static const char SQL_REVOKE[] =
    "UPDATE calendar_tokens SET revoked_at = ?2 "
    "WHERE owner = ?1 AND revoked_at IS NULL RETURNING id";

int
calendar_token_new(char *tok, char **errp)
{
	if (random_hex(tok, CALENDAR_TOKEN_LEN / 2, errp) != 0)
		return err_prefix(errp, "making a calendar token");
	return 0;
}

int
calendar_token_shape(const char *s)
{
	size_t i;

	for (i = 0; i < CALENDAR_TOKEN_LEN; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return s[i] == '\0';
}

int
calendar_token_hash(const char *tok, char *hash, char **errp)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	if (EVP_Digest(tok, strlen(tok), md, &len, EVP_sha256(), NULL) != 1 ||
	    len * 2 != CALENDAR_TOKEN_LEN)
		return err_set(errp, "hashing a calendar token failed");
	hex_encode(md, len, hash);
	return 0;
}

int
calendar_token_live(struct store *st, const char *owner, int64_t *created_at,
    char **errp)
{
	return store_value_int(st, SQL_LIVE, STORE_ARGS(STORE_TEXT(owner)),
	    created_at, "reading calendar tokens", errp);
}

int
calendar_token_owner(struct store *st, const char *hash, char **owner,
    char **errp)
{
	return store_value_text(st, SQL_OWNER, STORE_ARGS(STORE_TEXT(hash)),
	    owner, "calendar token", errp);
}

int
calendar_token_insert(struct store *st, const char *owner, const char *hash,
    time_t now, int64_t *id, char **errp)
{
	if (store_insert(st, SQL_INSERT, STORE_ARGS(STORE_TEXT(owner),
	    STORE_TEXT(hash), STORE_INT(now)), id, errp) != 0)
		return -1;
	return event_append_packed(st, now, "calendar.created",
	    "calendar_token", *id, errp, "{s:s}", "owner", owner);
}

int
calendar_token_revoke(struct store *st, const char *owner, time_t now,
    int64_t *id, char **errp)
{
	int found = store_value_int(st, SQL_REVOKE,
	    STORE_ARGS(STORE_TEXT(owner), STORE_INT(now)), id,
	    "revoking a calendar token", errp);

	if (found <= 0)
		return found;
	return event_append_packed(st, now, "calendar.revoked",
	    "calendar_token", *id, errp, "{s:s}", "owner", owner);
}
