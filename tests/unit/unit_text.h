/*
 * Shared by the unit tests that check a text they got (a report, an
 * email, a body) for the pieces it must and must not hold: one table of
 * strings each instead of a hand-written strstr() assertion per piece,
 * and a failure that names the piece and shows the text.  Include after
 * <cmocka.h>.  A record's text fields, likewise, as one table of what
 * each must be.
 */
#ifndef NUDGE_TEST_UNIT_TEXT_H
#define NUDGE_TEST_UNIT_TEXT_H

#include <stdio.h>
#include <string.h>

/* Every string of `in` is in text and none of `out` is (both NULL-ended,
 * either NULL for none); `what` names the text in a failure. */
static inline void
ut_expect_text(const char *what, const char *text, const char *const *in,
    const char *const *out)
{
	size_t i;

	if (text == NULL)
		fail_msg("%s: no text", what);
	for (i = 0; in != NULL && in[i] != NULL; i++)
		if (strstr(text, in[i]) == NULL)
			fail_msg("%s: no \"%s\" in:\n%s", what, in[i], text);
	for (i = 0; out != NULL && out[i] != NULL; i++)
		if (strstr(text, out[i]) != NULL)
			fail_msg("%s: \"%s\" should not be in:\n%s", what,
			    out[i], text);
}

/* got[i] is want[i] for each of the n fields (NULL: none, on either
 * side); `what` names the record in a failure. */
static inline void
ut_expect_fields(const char *what, const char *const *got,
    const char *const *want, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (got[i] == NULL ? want[i] != NULL : want[i] == NULL ||
		    strcmp(got[i], want[i]) != 0)
			fail_msg("%s: field %zu is %s%s%s, want %s%s%s", what, i,
			    got[i] ? "\"" : "", got[i] ? got[i] : "NULL",
			    got[i] ? "\"" : "", want[i] ? "\"" : "",
			    want[i] ? want[i] : "NULL", want[i] ? "\"" : "");
}

#endif
