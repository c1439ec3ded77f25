/*
 * The scheduler lock of a database: "<database>.lock", held with an
 * exclusive flock by the one nudged scheduling it, for its whole life.
 * The kernel drops it when the process ends however it ends, so the lock
 * says whether a scheduler runs; the clock (a heartbeat) cannot.  The
 * holder writes its pid into the file, and a note of what troubles it
 * (a database it cannot write): the file is RUNLOCK_FILE_SIZE bytes from
 * the start, so the note is written in place, without a block more, on
 * a full disk too.
 */
#ifndef NUDGE_RUNLOCK_H
#define NUDGE_RUNLOCK_H

#include <stddef.h>
#include <stdint.h>

#define RUNLOCK_FILE_SIZE 256
/* The longest note kept (the rest of the file is the pid's line). */
#define RUNLOCK_NOTE_MAX 200

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
/* The holder's note (note[0] == '\0': none) into note[size], read from
 * its lock file when held; 0, or -1 when it cannot tell. */
int runlock_probe_note(const char *database, char *note, size_t size,
    char **errp);

/* As the holder of fd: the note ("" for none), cut at RUNLOCK_NOTE_MAX
 * bytes.  0, or -1 (errno set). */
int runlock_note(int fd, const char *note);

#endif
