/*
 * Schema migrations.  migrations/NNNN_name.sql are embedded at build time
 * (tools/embed.c -> build/migrations_embedded.c) and applied in order, each
 * in its own transaction that also records PRAGMA user_version.
 */
#ifndef NUDGE_MIGRATE_H
#define NUDGE_MIGRATE_H

#include <sqlite3.h>

struct migration {
	int version;
	const char *name;
	const char *sql;
};

extern const struct migration migrations[];
extern const int migrations_count;

/* The schema version this binary writes. */
int migrate_latest(void);

/* Read PRAGMA user_version into *version. */
int migrate_current(sqlite3 *db, int *version, char **errp);

/*
 * Bring db up to `target` (migrate_latest() for the normal case; tests pass
 * an older one to build old databases).  A database newer than this binary
 * is refused.  *from gets the version found (may be NULL).
 */
int migrate_to(sqlite3 *db, int target, int *from, char **errp);

#endif
