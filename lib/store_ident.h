/*
 * Is this file a nudge database?  Read from the file as it is, before
 * nudge writes anything to it (journal mode, migrations): a file that is
 * somebody else's is refused and left byte for byte as it was.
 */
#ifndef NUDGE_STORE_IDENT_H
#define NUDGE_STORE_IDENT_H

#include <sqlite3.h>

/* PRAGMA application_id of a nudge database ("NUDG"), set by migration
 * 0009 (migrations/0009_identity_and_stop.sql says the same number). */
#define STORE_APPLICATION_ID 1314210887

enum store_ident {
	STORE_IDENT_EMPTY,      /* no schema yet: nudge may make one */
	STORE_IDENT_NUDGE,      /* nudge's: its id, or an older nudge's tables */
	STORE_IDENT_FOREIGN,    /* another program's, or not SQLite at all */
};

/*
 * What the database open on db is, and its schema version.  0, or -1
 * when it cannot be read (busy, I/O); a file that is not a database at
 * all is STORE_IDENT_FOREIGN.  *why says what makes it foreign (static
 * text) for the message.
 */
int store_ident(sqlite3 *db, enum store_ident *what, int *version,
    const char **why, char **errp);

#endif
