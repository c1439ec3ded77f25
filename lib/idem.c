/* The API's idempotency keys: see idem.h. */
#include "idem.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "store.h"

static const char SQL_GET[] =
    "SELECT request_hash, status, body FROM api_idempotency "
    "WHERE token_id = ?1 AND key = ?2 AND created_at >= ?3";
static const char SQL_PUT[] =
    "INSERT OR REPLACE INTO api_idempotency (token_id, key, request_hash, "
    "status, body, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char SQL_PURGE[] =
    "DELETE FROM api_idempotency WHERE created_at < ?1";

int
idem_key_check(const char *key, char **errp)
{
	size_t i, n = strlen(key);

	if (n == 0 || n > IDEM_KEY_MAX)
		return err_set(errp, "Idempotency-Key: 1 to %d characters",
		    IDEM_KEY_MAX);
	for (i = 0; i < n; i++)
		if (key[i] < 0x21 || key[i] > 0x7e)
			return err_set(errp, "Idempotency-Key: visible ASCII "
			    "characters only");
	return 0;
}

void
idem_request_hash(const char *method, const char *path, const char *body,
    size_t len, char *hex)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, i;
	EVP_MD_CTX *m = EVP_MD_CTX_new();

	hex[0] = '\0';
	/* NUL bytes part the fields: no two requests hash alike. */
	if (m == NULL || EVP_DigestInit_ex(m, EVP_sha256(), NULL) != 1 ||
	    EVP_DigestUpdate(m, method, strlen(method) + 1) != 1 ||
	    EVP_DigestUpdate(m, path, strlen(path) + 1) != 1 ||
	    EVP_DigestUpdate(m, body, len) != 1 ||
	    EVP_DigestFinal_ex(m, md, &mdlen) != 1)
		mdlen = 0;
	EVP_MD_CTX_free(m);
	for (i = 0; i < mdlen && 2 * i < IDEM_HASH_LEN; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
}

int
idem_get(struct store *st, int64_t token_id, const char *key, time_t now,
    struct idem_entry *out, char **errp)
{
	sqlite3_stmt *q;
	const unsigned char *h;
	int rc, oom = 0;

	memset(out, 0, sizeof(*out));
	if ((q = store_stmt(st, SQL_GET, errp)) == NULL)
		return -1;
	sqlite3_bind_int64(q, 1, token_id);
	store_bind_text(q, 2, key);
	sqlite3_bind_int64(q, 3, (int64_t)now - IDEM_KEEP);
	if ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		h = sqlite3_column_text(q, 0);
		snprintf(out->hash, sizeof(out->hash), "%s",
		    h != NULL ? (const char *)h : "");
		out->status = sqlite3_column_int(q, 1);
		out->body = store_column_dup(q, 2, &oom);
	}
	sqlite3_reset(q);
	if (oom)
		return err_set(errp, "out of memory");
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_err(st, errp, "reading idempotency keys");
	return rc == SQLITE_ROW;
}

int
idem_put(struct store *st, int64_t token_id, const char *key,
    const char *hash, int status, const char *body, time_t now,
    char **errp)
{
	if (store_exec(st, SQL_PURGE, STORE_ARGS(STORE_INT((int64_t)now -
	    IDEM_KEEP)), errp) != 0)
		return -1;
	return store_exec(st, SQL_PUT, STORE_ARGS(STORE_INT(token_id),
	    STORE_TEXT(key), STORE_TEXT(hash), STORE_INT(status),
	    STORE_TEXT(body), STORE_INT(now)), errp);
}

void
idem_clear(struct idem_entry *e)
{
	free(e->body);
	memset(e, 0, sizeof(*e));
}
