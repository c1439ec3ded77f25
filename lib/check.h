/*
 * The over-promise check run when a promise is logged: phrases that set
 * expectations too high, the owner's load against their capacity, and a
 * lead time too tight for the owner's hours.  Each finding is a warning
 * with a machine-readable kind and a human reason.
 */
#ifndef NUDGE_CHECK_H
#define NUDGE_CHECK_H

#include <jansson.h>
#include <stdint.h>
#include <time.h>

struct config;
struct config_person;
struct store;

/*
 * Check a promise (text, owner, made, due) and return an array of warning
 * objects {"kind": "phrase"|"capacity"|"tight"|"outside_hours", "reason": ...}
 * in *warnings (new reference, possibly empty).
 */
int check_promise(struct store *st, const struct config *cfg,
    const struct config_person *owner, const char *text, time_t made,
    time_t due, json_t **warnings, char **errp);

/* Case-insensitive whole-word search of phrase in text (UTF-8 aware:
 * ASCII and Latin-1 letters fold, so "BÄSTA KÖP" is "bästa köp"; other
 * non-ASCII bytes compare exactly; all count as word characters).
 * Returns 1 when found. */
int check_phrase_match(const char *text, const char *phrase);

#endif
