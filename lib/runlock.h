/*
 * The scheduler lock of a database: "<database>.lock", held with an
 * exclusive flock by the one nudged scheduling it, for its whole life.
 * The kernel drops it when the process ends however it ends, so the lock
 * says whether a scheduler runs; the clock (a heartbeat) cannot.  The
 * holder writes its pid into the file.
 */
#ifndef NUDGE_RUNLOCK_H
#define NUDGE_RUNLOCK_H

#include <stdint.h>

/*
 * Take the lock of database (creating the lock file) into *fd, kept
 * open for the process's life, and write our pid into it.  0 taken
 * (with *errp set, for the log, when the pid could not be written); 1
 * when another process holds it (*holder its pid, 0 if unknown); -1 on
 * an error.  A probe (below) holds the lock shared for an instant: a
 * taker tries again for a moment before it gives up.
 */
int runlock_take(const char *database, int *fd, int64_t *holder,
    char **errp);

/*
 * Is the lock of database held, and by which pid (*holder, 0 when the
 * file does not say)?  Never creates the lock file: none means never
 * held.  0, or -1 when it cannot tell (the file cannot be read).
 */
int runlock_probe(const char *database, int *held, int64_t *holder,
    char **errp);

#endif
