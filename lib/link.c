/* Signed action links and the page's form: see link.h.  What a token or
 * a form body holds comes from anyone on the Internet, so every parse
 * here is bounded and strict (tests/fuzz/fuzz_link.c). */
#include "link.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <string.h>

#include "err.h"

/* Changes when the token's meaning does: old links then stop verifying
 * instead of meaning something else. */
#define LINK_CONTEXT "nudge-link-1"

static const char link_b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* 32 bytes -> 43 characters of unpadded base64url, NUL-terminated. */
static void
link_b64url(const unsigned char *in, char out[LINK_SIG_CHARS + 1])
{
	size_t i, o = 0;
	unsigned v;

	for (i = 0; i + 3 <= LINK_KEY_BYTES; i += 3) {
		v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8 | in[i + 2];
		out[o++] = link_b64[v >> 18 & 63];
		out[o++] = link_b64[v >> 12 & 63];
		out[o++] = link_b64[v >> 6 & 63];
		out[o++] = link_b64[v & 63];
	}
	/* 32 = 30 + 2: the last two bytes make three characters. */
	v = (unsigned)in[30] << 16 | (unsigned)in[31] << 8;
	out[o++] = link_b64[v >> 18 & 63];
	out[o++] = link_b64[v >> 12 & 63];
	out[o++] = link_b64[v >> 6 & 63];
	out[o] = '\0';
}

/* The signature of the token's first part (kind to expiry). */
static int
link_sign(const unsigned char *key, const char *dbid, const char *body,
    char sig[LINK_SIG_CHARS + 1])
{
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int maclen = 0;
	char msg[LINK_TOKEN_MAX + 512];
	int n;

	/* The database's identity is in the MAC, not in the token: a link
	 * made for one database never acts on another with the same key. */
	n = snprintf(msg, sizeof(msg), "%s\n%s\n%s", LINK_CONTEXT,
	    dbid != NULL ? dbid : "", body);
	if (n < 0 || (size_t)n >= sizeof(msg))
		return -1;
	if (HMAC(EVP_sha256(), key, LINK_KEY_BYTES, (const unsigned char *)msg,
	    (size_t)n, mac, &maclen) == NULL || maclen != LINK_KEY_BYTES)
		return -1;
	link_b64url(mac, sig);
	return 0;
}

static int
link_valid(const struct link *l)
{
	return (l->kind == 'f' || l->kind == 'p') && l->id > 0 &&
	    l->actions != 0 && (l->actions & ~(unsigned)LINK_ALL) == 0 &&
	    l->expires > 0;
}

int
link_make(const struct link *l, const unsigned char *key, const char *dbid,
    char out[LINK_TOKEN_MAX])
{
	char body[LINK_TOKEN_MAX], sig[LINK_SIG_CHARS + 1];
	int n;

	if (!link_valid(l))
		return -1;
	n = snprintf(body, sizeof(body), "%c%lld.%u.%lld", l->kind,
	    (long long)l->id, l->actions, (long long)l->expires);
	if (n < 0 || (size_t)n + 1 + LINK_SIG_CHARS >= LINK_TOKEN_MAX ||
	    link_sign(key, dbid, body, sig) != 0)
		return -1;
	memcpy(out, body, (size_t)n);
	out[n] = '.';
	memcpy(out + n + 1, sig, LINK_SIG_CHARS + 1);
	return 0;
}

/* Decimal digits at *p up to '.', no sign, no leading zero, at most
 * maxdig of them: the one spelling of each number, so one link has one
 * token. */
static int
link_number(const char **p, const char *end, int maxdig, int64_t *out)
{
	const char *s = *p;
	int64_t v = 0;
	int n = 0;

	if (s >= end || *s < '1' || *s > '9')
		return -1;
	while (s < end && *s >= '0' && *s <= '9') {
		if (++n > maxdig)
			return -1;
		v = v * 10 + (*s - '0');
		s++;
	}
	if (s >= end || *s != '.')
		return -1;
	*p = s + 1;
	*out = v;
	return 0;
}

int
link_parse(const char *token, size_t len, struct link *out,
    char sig[LINK_SIG_CHARS + 1])
{
	const char *p = token, *end = token + len;
	int64_t actions;
	size_t i;

	memset(out, 0, sizeof(*out));
	if (len >= LINK_TOKEN_MAX || len < 2 || (*p != 'f' && *p != 'p'))
		return -1;
	out->kind = *p++;
	/* 18 digits: within int64_t without an overflow check. */
	if (link_number(&p, end, 18, &out->id) != 0 ||
	    link_number(&p, end, 2, &actions) != 0 ||
	    link_number(&p, end, 12, &out->expires) != 0)
		return -1;
	out->actions = (unsigned)actions;
	if ((size_t)(end - p) != LINK_SIG_CHARS)
		return -1;
	for (i = 0; i < LINK_SIG_CHARS; i++)
		if (strchr(link_b64, p[i]) == NULL || p[i] == '\0')
			return -1;
	memcpy(sig, p, LINK_SIG_CHARS);
	sig[LINK_SIG_CHARS] = '\0';
	return link_valid(out) ? 0 : -1;
}

/* Whether key signed the token whose first part is body. */
static int
link_signed_by(const unsigned char *key, const char *dbid, const char *body,
    const char *sig)
{
	char want[LINK_SIG_CHARS + 1];

	return link_sign(key, dbid, body, want) == 0 &&
	    CRYPTO_memcmp(want, sig, LINK_SIG_CHARS) == 0;
}

enum link_verdict
link_verify(const char *token, size_t len, const struct link_keys *keys,
    const char *dbid, time_t now, struct link *out)
{
	char sig[LINK_SIG_CHARS + 1], body[LINK_TOKEN_MAX];
	size_t blen;
	int ok;

	if (link_parse(token, len, out, sig) != 0)
		return LINK_MALFORMED;
	blen = len - LINK_SIG_CHARS - 1;
	memcpy(body, token, blen);
	body[blen] = '\0';
	ok = link_signed_by(keys->cur, dbid, body, sig);
	/* Both tried either way: the time taken says nothing of which. */
	ok |= keys->has_prev && link_signed_by(keys->prev, dbid, body, sig);
	if (!ok) {
		memset(out, 0, sizeof(*out));
		return LINK_FORGED;
	}
	return now >= out->expires ? LINK_EXPIRED : LINK_VALID;
}

unsigned
link_action_bit(const char *s)
{
	static const struct { const char *name; unsigned bit; } names[] = {
		{ "done", LINK_DONE }, { "snooze", LINK_SNOOZE },
		{ "kept", LINK_KEPT }, { "renegotiate", LINK_RENEGOTIATE },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i].name) == 0)
			return names[i].bit;
	return 0;
}

static int
link_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode [s, end) (+ is a space, %XX a byte) into out (size bytes): its
 * length, or -1 for a bad escape, a NUL, or a value that does not fit. */
static long
link_decode(const char *s, const char *end, char *out, size_t size)
{
	size_t n = 0;
	int hi, lo;
	char c;

	for (; s < end; s++) {
		c = *s;
		if (c == '+')
			c = ' ';
		else if (c == '%') {
			if (end - s < 3 || (hi = link_hex(s[1])) < 0 ||
			    (lo = link_hex(s[2])) < 0)
				return -1;
			c = (char)(hi << 4 | lo);
			s += 2;
		}
		if (c == '\0' || n + 1 >= size)
			return -1;
		out[n++] = c;
	}
	out[n] = '\0';
	return (long)n;
}

/* The field named [name, eq) of f, and its size; NULL if not one. */
static char *
link_form_field(struct link_form *f, const char *name, size_t nlen,
    size_t *size)
{
	static const char *const names[] = { "action", "snooze", "date",
	    "note" };
	char *fields[] = { f->action, f->snooze, f->date, f->note };
	size_t sizes[] = { sizeof(f->action), sizeof(f->snooze),
	    sizeof(f->date), sizeof(f->note) };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i]) == nlen &&
		    memcmp(names[i], name, nlen) == 0) {
			*size = sizes[i];
			return fields[i];
		}
	return NULL;
}

int
link_form_parse(const char *body, size_t len, struct link_form *f,
    char **errp)
{
	const char *p = body, *end = body + len, *amp, *eq;
	unsigned seen = 0, bit;
	size_t size;
	char *field;

	memset(f, 0, sizeof(*f));
	if (len > LINK_FORM_MAX)
		return err_set(errp, "the form is longer than %d bytes",
		    LINK_FORM_MAX);
	while (p < end) {
		if ((amp = memchr(p, '&', (size_t)(end - p))) == NULL)
			amp = end;
		if ((eq = memchr(p, '=', (size_t)(amp - p))) == NULL)
			eq = amp;
		if ((field = link_form_field(f, p, (size_t)(eq - p),
		    &size)) != NULL) {
			/* A field twice is a form nudge did not write. */
			bit = 1u << (unsigned)(field == f->action ? 0 :
			    field == f->snooze ? 1 : field == f->date ? 2 : 3);
			if (seen & bit)
				return err_set(errp, "form field '%.*s' given "
				    "twice", (int)(eq - p), p);
			seen |= bit;
			if (link_decode(eq < amp ? eq + 1 : amp, amp, field,
			    size) < 0)
				return err_set(errp, "form field '%.*s': bad "
				    "encoding or longer than %zu bytes",
				    (int)(eq - p), p, size - 1);
		}
		p = amp < end ? amp + 1 : end;
	}
	return 0;
}
