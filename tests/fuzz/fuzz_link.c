/*
 * Action links: what follows /l/ in a URL and the body a page's form
 * posts both come from anyone.  Beyond crashes and leaks: a token that
 * parses makes the same token again when signed with the key it was
 * checked against (one spelling per link), verification never says
 * valid for a token no key signed, and the form parser's error contract
 * holds with every field NUL-terminated inside its buffer.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "link.h"

static void
fuzz_token(const char *s, size_t len)
{
	struct link_keys k;
	struct link l, again;
	char sig[LINK_SIG_CHARS + 1], tok[LINK_TOKEN_MAX];

	memset(&k, 0, sizeof(k));
	memset(k.cur, 0x5a, sizeof(k.cur));
	if (link_verify(s, len, &k, "fuzz", 0, &l) == LINK_VALID)
		fuzz_fail("a token signed by no one was valid");
	if (link_parse(s, len, &l, sig) != 0)
		return;
	/* Re-signed, it is the same token with the right signature. */
	if (link_make(&l, k.cur, "fuzz", tok) != 0)
		fuzz_fail("a parsed link cannot be made again");
	if (strlen(tok) != len || memcmp(tok, s, len - LINK_SIG_CHARS) != 0)
		fuzz_fail("a link has two spellings: %.*s and %s", (int)len,
		    s, tok);
	if (link_verify(tok, strlen(tok), &k, "fuzz", 0, &again) !=
	    LINK_VALID || again.id != l.id || again.actions != l.actions ||
	    again.expires != l.expires || again.kind != l.kind)
		fuzz_fail("a made link does not verify as itself");
}

static void
fuzz_form(const char *s, size_t len)
{
	struct link_form f;
	char *err = NULL;
	int rc;

	rc = link_form_parse(s, len, &f, &err);
	fuzz_check_err("link_form_parse", rc, err);
	if (rc == 0 && (memchr(f.action, '\0', sizeof(f.action)) == NULL ||
	    memchr(f.note, '\0', sizeof(f.note)) == NULL ||
	    memchr(f.date, '\0', sizeof(f.date)) == NULL ||
	    memchr(f.snooze, '\0', sizeof(f.snooze)) == NULL))
		fuzz_fail("a form field is not terminated");
	(void)link_action_bit(f.action);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Not NUL-terminated on purpose: both take a length. */
	char *copy = malloc(size + 1);

	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	fuzz_token(copy, size);
	fuzz_form(copy, size);
	free(copy);
	return 0;
}
