/* Checks on text people type: valid UTF-8, no control characters, a
 * documented length limit. */
#ifndef NUDGE_TEXT_H
#define NUDGE_TEXT_H

#include <stddef.h>
#include <stdint.h>

#define TEXT_MAX_BYTES 2000   /* promise, follow-up and deal text */
#define NAME_MAX_BYTES 200    /* account names, contacts, currencies */

/* 1 if s is well-formed UTF-8 (no overlongs, no surrogates). */
int text_valid_utf8(const char *s, size_t len);
/* what = "promise text" etc. for the message.  Empty, too long, invalid
 * UTF-8 or control characters (other than tab) are refused. */
int text_check(const char *s, size_t max, const char *what, char **errp);

/* A record id as people type it: decimal digits only (no sign, no space,
 * no 0x), 1 to INT64_MAX.  0, or -1 when s is not one. */
int text_parse_id(const char *s, int64_t *id);

/* Columns s takes on a terminal (wcwidth of each character: 2 for wide
 * East Asian ones, 0 for combining marks, 1 when the C library cannot
 * say, e.g. under a locale that is not UTF-8). */
size_t text_width(const char *s);
/* s cut to at most width columns into buf (len bytes), never inside a
 * character, "…" marking the cut.  Returns the columns of buf. */
size_t text_fit(const char *s, size_t width, char *buf, size_t len);

/* "Did you mean": whether cand is a nearer near miss of typed than *best
 * (start it at TEXT_NEAR_START): fewer edits than *best and than cand
 * has characters ("ab" is no near miss of "xy").  Updates *best.  Strings
 * past 32 bytes are never near. */
#define TEXT_NEAR_START 3
int text_nearer(const char *typed, const char *cand, size_t *best);

#endif
