/*
 * Signed action links: what a reminder's {{link}} points at.  A link
 * names one follow-up or promise, the actions it may do, and when it
 * stops working; an HMAC-SHA256 over all of that and the database's
 * identity proves nudged made it.  Pure functions (no I/O, no clock):
 * the key file is lib/link_key.h's, the pages lib/link_page.h's.
 *
 * The token is what follows "/l/" in the URL:
 *
 *     f42.3.1767225600.<43 characters of base64url>
 *     | |  | |          the signature
 *     | |  | the expiry, epoch seconds
 *     | |  the actions, LINK_* bits in decimal
 *     | the id
 *     the kind: f a follow-up, p a promise
 *
 * Only these characters, so the link survives mail clients that wrap or
 * re-encode URLs, and nothing in it needs escaping.
 */
#ifndef NUDGE_LINK_H
#define NUDGE_LINK_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define LINK_DONE        0x01   /* follow-up: done, with a note */
#define LINK_SNOOZE      0x02   /* follow-up: to a later moment */
#define LINK_KEPT        0x04   /* promise: kept */
#define LINK_RENEGOTIATE 0x08   /* promise: a new due date, with a note */
#define LINK_ALL         0x0f

/* What a rule's {{link}} leaves in the follow-up's text, for nudged to
 * replace with the signed link of the reminder it sends. */
#define LINK_MARKER      "{{link}}"

#define LINK_KEY_BYTES   32
#define LINK_SIG_CHARS   43     /* 32 bytes in unpadded base64url */
/* "f" + 19 digits + "." + 2 + "." + 20 + "." + 43, and the NUL. */
#define LINK_TOKEN_MAX   96

struct link {
	char kind;              /* 'f' follow-up, 'p' promise */
	int64_t id;             /* > 0 */
	unsigned actions;       /* LINK_* bits, at least one */
	int64_t expires;        /* epoch seconds */
};

/* The keys a link is checked against: the current one signs, the
 * previous one (until the links it signed expire) still verifies. */
struct link_keys {
	unsigned char cur[LINK_KEY_BYTES];
	unsigned char prev[LINK_KEY_BYTES];
	int has_prev;
};

enum link_verdict {
	LINK_VALID = 0,
	LINK_MALFORMED,         /* not a token at all */
	LINK_FORGED,            /* well formed, but no key signed it */
	LINK_EXPIRED,           /* signed, but its time is over */
};

/* The token of l, signed with key for database identity dbid, into out
 * (LINK_TOKEN_MAX bytes): 0, or -1 when l is not a link (kind, id,
 * actions). */
int link_make(const struct link *l, const unsigned char *key,
    const char *dbid, char out[LINK_TOKEN_MAX]);
/* What token says, checked against keys (the signature compared in
 * constant time) and now.  *out is filled for LINK_VALID and for
 * LINK_EXPIRED (the page says what it was for). */
enum link_verdict link_verify(const char *token, size_t len,
    const struct link_keys *keys, const char *dbid, time_t now,
    struct link *out);
/* Parse only (no signature): 0, or -1 when malformed. */
int link_parse(const char *token, size_t len, struct link *out,
    char sig[LINK_SIG_CHARS + 1]);

/* What the page's form posts (application/x-www-form-urlencoded). */
#define LINK_FORM_MAX    8192   /* bytes of body read, no more */
#define LINK_FIELD_MAX   2048   /* one value, decoded */

struct link_form {
	char action[16];        /* "done", "snooze", "kept", "renegotiate" */
	char snooze[16];        /* "1h", "tomorrow", "week", "date" */
	char date[32];          /* YYYY-MM-DD (an <input type=date>) */
	char note[LINK_FIELD_MAX + 1];
};

/* Parse a form body: 0, or -1 with *errp naming the field (a value too
 * long, bad %-escapes, a field twice).  Unknown fields are ignored. */
int link_form_parse(const char *body, size_t len, struct link_form *f,
    char **errp);
/* The bit of the action named by s, 0 for none. */
unsigned link_action_bit(const char *s);

#endif
