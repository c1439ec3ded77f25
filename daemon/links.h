/*
 * nudged's side of action links: the key (made at the first start with
 * the HTTP listener on, read again when `nudge link rotate-key` replaced
 * the file) and the database identity, for signing the links reminders
 * carry and checking the ones people open.  Loop thread, or an HTTP
 * thread holding the gate (daemon/gate.h).
 */
#ifndef NUDGED_LINKS_H
#define NUDGED_LINKS_H

#include <time.h>

#include "link.h"

struct config;
struct followup;

/* At start: the key (made if missing) and the identity of the database
 * st; 0 or -1. */
struct store;
int links_open(const struct config *cfg, struct store *st, char **errp);
void links_close(void);
/* The keys as the file has them now (re-read after a rotation), and the
 * database identity; NULL when links are off or the key is unreadable
 * (said in the log once). */
const struct link_keys *links_keys(const struct config *cfg,
    const char **dbid);
/* Replace each LINK_MARKER in *text with f's signed link, valid from now
 * for http.link_ttl; without the listener, with nothing.  0, or -1 when
 * out of memory (*text as it was). */
int links_expand(const struct config *cfg, const struct followup *f,
    time_t now, char **text);

#endif
