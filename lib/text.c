#include "text.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "err.h"

int
text_valid_utf8(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, n, k;
	unsigned cp, min;

	while (i < len) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((s[i] & 0xe0) == 0xc0) {
			n = 1; cp = s[i] & 0x1f; min = 0x80;
		} else if ((s[i] & 0xf0) == 0xe0) {
			n = 2; cp = s[i] & 0x0f; min = 0x800;
		} else if ((s[i] & 0xf8) == 0xf0) {
			n = 3; cp = s[i] & 0x07; min = 0x10000;
		} else
			return 0;
		if (i + n >= len)
			return 0;
		for (k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += n + 1;
	}
	return 1;
}

int
text_check(const char *s, size_t max, const char *what, char **errp)
{
	size_t len = strlen(s), i;

	if (len == 0)
		return err_set(errp, "%s is empty", what);
	if (len > max)
		return err_set(errp, "%s is %zu bytes long; the limit is %zu",
		    what, len, max);
	if (!text_valid_utf8(s, len))
		return err_set(errp, "%s is not valid UTF-8", what);
	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] < 0x20 && s[i] != '\t') ||
		    s[i] == 0x7f)
			return err_set(errp, "%s contains a control character "
			    "at byte %zu", what, i + 1);
	return 0;
}

int
text_parse_id(const char *s, int64_t *id)
{
	const char *p;
	char *end;
	long long v;

	/* strtoll alone would take " 1", "+1" and "-0". */
	for (p = s; *p >= '0' && *p <= '9'; p++)
		;
	if (p == s || *p != '\0')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || v <= 0)
		return -1;
	*id = v;
	return 0;
}

/* Edit distance: names are short, so the O(n*m) table on the stack is
 * fine; longer strings are simply not similar. */
static size_t
text_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, d[33][33], best;

	if (la > 32 || lb > 32)
		return SIZE_MAX;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++)
		for (j = 1; j <= lb; j++) {
			best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			d[i][j] = best;
		}
	return d[la][lb];
}

int
text_nearer(const char *typed, const char *cand, size_t *best)
{
	size_t d = text_distance(typed, cand);

	if (d >= *best || d >= strlen(cand))
		return 0;
	*best = d;
	return 1;
}

/* The character at s: its bytes, its code point into *cp.  A byte that
 * does not start a well-formed sequence is one character of its own. */
static size_t
text_char(const char *s, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n, i;

	n = u[0] < 0x80 ? 1 : (u[0] & 0xe0) == 0xc0 ? 2 :
	    (u[0] & 0xf0) == 0xe0 ? 3 : (u[0] & 0xf8) == 0xf0 ? 4 : 1;
	*cp = n == 1 ? u[0] : u[0] & (0x7f >> n);
	for (i = 1; i < n; i++) {
		if ((u[i] & 0xc0) != 0x80) {
			*cp = u[0];
			return 1;
		}
		*cp = (*cp << 6) | (u[i] & 0x3f);
	}
	return n;
}

static size_t
text_char_width(uint32_t cp)
{
	int w = cp < 0x20 || cp == 0x7f ? 0 : wcwidth((wchar_t)cp);

	return w < 0 ? 1 : (size_t)w;
}

size_t
text_width(const char *s)
{
	size_t w = 0;
	uint32_t cp;

	while (*s != '\0') {
		s += text_char(s, &cp);
		w += text_char_width(cp);
	}
	return w;
}

size_t
text_fit(const char *s, size_t width, char *buf, size_t len)
{
	static const char ellipsis[] = "\u2026";
	size_t used = 0, w = 0, n, cw, room;
	int cut = text_width(s) > width;
	uint32_t cp;

	if (len == 0)
		return 0;
	/* Room for the text, and for "…" when it is cut. */
	room = cut ? (width > 0 ? width - 1 : 0) : width;
	while (*s != '\0') {
		n = text_char(s, &cp);
		cw = text_char_width(cp);
		if (w + cw > room || used + n + sizeof(ellipsis) > len)
			break;
		memcpy(buf + used, s, n);
		used += n;
		w += cw;
		s += n;
	}
	if (*s != '\0' && width > 0 && used + sizeof(ellipsis) <= len) {
		memcpy(buf + used, ellipsis, sizeof(ellipsis) - 1);
		used += sizeof(ellipsis) - 1;
		w++;
	}
	buf[used] = '\0';
	return w;
}
