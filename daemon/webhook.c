#include "webhook.h"

#include <jansson.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/opensslv.h>
#include <openssl/params.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chat_format.h"
#include "config.h"
#include "err.h"
#include "reminder.h"
#include "transfer.h"

/* EVP_MAC_init() without a key starts a keyed HMAC again only since
 * 3.0.3 (openssl/openssl#17811); before, each signature after the first
 * would be wrong. */
#if OPENSSL_VERSION_NUMBER < 0x30000030L
#error "nudged needs OpenSSL 3.0.3 or later"
#endif

/*
 * The keyed HMAC of the last secret used.  Decoding the key, fetching
 * HMAC and SHA-256 and keying them took more time than the MAC of the
 * body itself, for every delivery; now each signature starts this one
 * again from its key.
 * One entry: a deployment has one webhook secret or a few, and a change
 * (another channel) only re-keys it.  Wiped when replaced, and by
 * webhook_forget() at a reload and at exit, as the secrets are.
 */
static struct {
	char *secret;
	EVP_MAC_CTX *ctx;
} webhook_keyed;

/* The JSON body of the last reminder, its keys kept for the next one
 * (loop thread only, like webhook_keyed; webhook_forget() frees it). */
static json_t *webhook_reused_body;

static int
webhook_key(const char *secret, EVP_MAC_CTX **ctx, char **errp)
{
	unsigned char key[512];
	char digest[] = "SHA256";
	OSSL_PARAM params[2];
	EVP_MAC *mac = NULL;
	EVP_MAC_CTX *c = NULL;
	char *copy = NULL;
	const char *k64;
	size_t k64len;
	int keylen, ok;

	if (webhook_keyed.secret != NULL &&
	    strcmp(webhook_keyed.secret, secret) == 0) {
		*ctx = webhook_keyed.ctx;
		return 0;
	}
	if (strncmp(secret, "whsec_", 6) != 0)
		return err_set(errp, "webhook secret must start with whsec_");
	k64 = secret + 6;
	k64len = strlen(k64);
	if (k64len == 0 || k64len % 4 != 0 || k64len / 4 * 3 > sizeof(key))
		return err_set(errp, "webhook secret is not valid base64");
	keylen = EVP_DecodeBlock(key, (const unsigned char *)k64,
	    (int)k64len);
	if (keylen < 0)
		return err_set(errp, "webhook secret is not valid base64");
	/* EVP_DecodeBlock counts padding bytes as data: drop them. */
	if (k64[k64len - 1] == '=')
		keylen--;
	if (k64[k64len - 2] == '=')
		keylen--;
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
	    digest, 0);
	params[1] = OSSL_PARAM_construct_end();
	ok = (mac = EVP_MAC_fetch(NULL, "HMAC", NULL)) != NULL &&
	    (c = EVP_MAC_CTX_new(mac)) != NULL &&
	    EVP_MAC_init(c, key, (size_t)keylen, params) &&
	    (copy = strdup(secret)) != NULL;
	explicit_bzero(key, sizeof(key));
	EVP_MAC_free(mac);      /* the context keeps its own reference */
	if (!ok) {
		EVP_MAC_CTX_free(c);
		return err_set(errp, "HMAC-SHA256 failed");
	}
	webhook_forget();
	webhook_keyed.secret = copy;
	webhook_keyed.ctx = c;
	*ctx = c;
	return 0;
}

int
webhook_has_key(void)
{
	return webhook_keyed.secret != NULL;
}

void
webhook_forget(void)
{
	json_decref(webhook_reused_body);
	webhook_reused_body = NULL;
	if (webhook_keyed.secret != NULL) {
		explicit_bzero(webhook_keyed.secret,
		    strlen(webhook_keyed.secret));
		free(webhook_keyed.secret);
	}
	EVP_MAC_CTX_free(webhook_keyed.ctx);
	webhook_keyed.secret = NULL;
	webhook_keyed.ctx = NULL;
}

int
webhook_sign(const char *secret, const char *id, long long ts,
    const char *body, char **header, char **errp)
{
	unsigned char sig[EVP_MAX_MD_SIZE];
	unsigned char b64[4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1];
	EVP_MAC_CTX *ctx = NULL;
	char stamp[32];
	size_t siglen = 0;
	int ok, n;

	*header = NULL;
	if (webhook_key(secret, &ctx, errp) != 0)
		return -1;
	snprintf(stamp, sizeof(stamp), "%lld", ts);
	/* Initialised without a key, the keyed context starts again from
	 * its key (a copy of it cost an allocation and four digest copies).
	 * The signed content is id.timestamp.body, fed in pieces rather
	 * than copied into one string. */
	ok = EVP_MAC_init(ctx, NULL, 0, NULL) &&
	    EVP_MAC_update(ctx, (const unsigned char *)id, strlen(id)) &&
	    EVP_MAC_update(ctx, (const unsigned char *)".", 1) &&
	    EVP_MAC_update(ctx, (const unsigned char *)stamp,
	    strlen(stamp)) &&
	    EVP_MAC_update(ctx, (const unsigned char *)".", 1) &&
	    EVP_MAC_update(ctx, (const unsigned char *)body, strlen(body)) &&
	    EVP_MAC_final(ctx, sig, &siglen, sizeof(sig));
	if (!ok)
		return err_set(errp, "HMAC-SHA256 failed");
	n = EVP_EncodeBlock(b64, sig, (int)siglen);
	if ((*header = malloc(3 + (size_t)n + 1)) == NULL)
		return err_set(errp, "out of memory");
	memcpy(*header, "v1,", 3);
	memcpy(*header + 3, b64, (size_t)n + 1);
	return 0;
}

/* A chat format's body (daemon/chat_format.h); caller frees. */
static char *
webhook_chat_body(enum config_webhook_format format, const struct reminder *r)
{
	struct chat_message m = {
		.who = r->owner != NULL && r->owner->name != NULL ?
		    r->owner->name : r->followup.owner,
		.text = r->followup.text,
		.account = r->followup.account,
		.due_at = r->followup.due_at,
		.zone = r->zone,
		.link = r->link,
		.promise = r->followup.promise_id != 0,
		.lang = reminder_lang(r),
	};

	return chat_format_body(format, &m);
}

/* The body as a string (caller frees).  Into a buffer on the stack
 * first: json_dumps() grows its own by doubling, six reallocations for a
 * typical 600-byte body, then copies it once more. */
char *
webhook_dump(const json_t *body)
{
	char buf[4096], *out;
	size_t n = json_dumpb(body, buf, sizeof(buf), JSON_COMPACT);

	if (n == 0 || n >= sizeof(buf))
		return json_dumps(body, JSON_COMPACT);
	if ((out = malloc(n + 1)) == NULL)
		return NULL;
	memcpy(out, buf, n);
	out[n] = '\0';
	return out;
}

/* "Name: value"; an empty value removes a header curl would add.  Put
 * together by hand: snprintf() was a thousand instructions a header. */
static int
webhook_header(struct transfer *t, const char *name, const char *value)
{
	char line[1024];
	struct curl_slist *l;
	size_t nlen = strlen(name), vlen = strlen(value), n = nlen;

	if (nlen + vlen + 3 > sizeof(line))
		return -1;
	memcpy(line, name, nlen);
	line[n++] = ':';
	if (vlen > 0)
		line[n++] = ' ';
	memcpy(line + n, value, vlen + 1);
	if ((l = curl_slist_append(t->headers, line)) == NULL)
		return -1;
	t->headers = l;
	return 0;
}

int
webhook_prepare(struct transfer *t, const struct config_channel *ch,
    const struct reminder *r, const char *secret, time_t now,
    long timeout_ms, char **errp)
{
	char ts[32], *sig = NULL;
	int rc;

	if (ch->format != CONFIG_WEBHOOK_JSON) {
		t->body = webhook_chat_body(ch->format, r);
	} else {
		/* One object filled again for every reminder: making and
		 * freeing its thirty keys was a fifth of the body's cost. */
		if (webhook_reused_body == NULL &&
		    (webhook_reused_body = json_object()) == NULL)
			return err_set(errp, "out of memory");
		rc = reminder_json_fill(webhook_reused_body, r,
		    t->delivery_id, now);
		t->body = rc < 0 ? NULL : webhook_dump(webhook_reused_body);
		if (rc != 0) {
			json_decref(webhook_reused_body);
			webhook_reused_body = NULL;
		}
	}
	if (t->body == NULL)
		return err_set(errp, "out of memory");
	snprintf(ts, sizeof(ts), "%lld", (long long)now);
	if (webhook_header(t, "Content-Type", "application/json") != 0 ||
	    webhook_header(t, "User-Agent", "nudged/" NUDGE_VERSION) != 0 ||
	    webhook_header(t, "webhook-id", t->delivery_id) != 0 ||
	    webhook_header(t, "webhook-timestamp", ts) != 0 ||
	    webhook_header(t, "Expect", "") != 0)
		return err_set(errp, "cannot build the request headers "
		    "(out of memory, or a header over 1 KB)");
	if (secret != NULL) {
		if (webhook_sign(secret, t->delivery_id, (long long)now,
		    t->body, &sig, errp) != 0)
			return err_prefix(errp, "%s", ch->secret_file);
		if (webhook_header(t, "webhook-signature", sig) != 0) {
			free(sig);
			return err_set(errp, "out of memory");
		}
		free(sig);
	}
	curl_easy_setopt(t->easy, CURLOPT_POSTFIELDS, t->body);
	curl_easy_setopt(t->easy, CURLOPT_HTTPHEADER, t->headers);
	if (t->configured)
		return 0;
	curl_easy_setopt(t->easy, CURLOPT_URL, ch->url);
	curl_easy_setopt(t->easy, CURLOPT_TIMEOUT_MS, timeout_ms);
	curl_easy_setopt(t->easy, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(t->easy, CURLOPT_FOLLOWLOCATION, 0L);
	transfer_tls(t, ch);
	return 0;
}
