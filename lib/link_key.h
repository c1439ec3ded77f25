/*
 * The key that signs action links (lib/link.h), in a file of its own,
 * mode 0600: two lines of hex, the current key and (after a rotation)
 * the previous one, which still verifies the links it signed until they
 * expire.  nudged creates the file at its first start with the HTTP
 * listener on; `nudge link rotate-key` rotates it.  Writes are a new
 * file renamed over the old, so a reader sees one or the other.
 */
#ifndef NUDGE_LINK_KEY_H
#define NUDGE_LINK_KEY_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "link.h"

/* The keys at path, creating the file with a fresh key when there is
 * none (*created then 1).  A file readable by others is refused. */
int link_keys_ensure(const char *path, struct link_keys *k, int *created,
    char **errp);
/* Read the keys at path: 0, or -1 (missing, unreadable, malformed, or
 * open to others).  *mtime (may be NULL) is the file's, to notice a
 * rotation. */
int link_keys_load(const char *path, struct link_keys *k, time_t *mtime,
    char **errp);
/* A new current key; the old one becomes the previous, or with revoke
 * is dropped with the previous (every link out there stops working). */
int link_keys_rotate(const char *path, int revoke, char **errp);
/*
 * What a link's signature binds it to besides the key: the database's
 * identity (daemon.database_id, 128 random bits made with it, migration
 * 0010), so a link works on that database and on a copy restored from its
 * export, and on no other, wherever the file is moved.  Caller frees;
 * NULL with *errp.
 */
struct store;
char *link_db_identity(struct store *st, char **errp);

/* The actions a follow-up's link offers: done and snooze, and for a
 * promise's follow-up kept and renegotiate too. */
unsigned link_followup_actions(int64_t promise_id);
/* public_url/l/TOKEN of l into buf: 0, or -1 (not a link, too long). */
int link_url(const char *public_url, const struct link_keys *k,
    const char *dbid, const struct link *l, char *buf, size_t len);

#endif
