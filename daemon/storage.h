/*
 * The database as nudged sees it: a fault that makes every write fail
 * (disk full, read-only, I/O errors, the file gone) is backed off and
 * said once per change of state (lib/fault.h), and the file it opened is
 * checked each heartbeat to be the one at the configured path: removed
 * or replaced, nudged exits non-zero so that systemd starts it again on
 * the right file (docs/RELIABILITY.md, storage faults).
 */
#ifndef NUDGED_STORAGE_H
#define NUDGED_STORAGE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "fault.h"

struct storage_watch {
	char path[4096];        /* a copy: a reload frees the configuration */
	struct fault_state fault;
	dev_t dev;
	ino_t ino;
	int known;              /* dev and ino were read */
	int lockfd;             /* the scheduler lock's file, which carries
				 * the fault for `nudge status`; -1 none */
};

/* Remember which file path is now (just after opening it), and the lock
 * file (lib/runlock.h) to note a fault in. */
void storage_watch_start(struct storage_watch *w, const char *path,
    int lockfd);
/* A step failed with err (freed here): logged when the fault begins or
 * changes, and STATUS= and the lock file's note say it. */
void storage_failed(struct storage_watch *w, char *err, int64_t now_ms);
/* A step succeeded: logged when a fault clears. */
void storage_ok(struct storage_watch *w);
/* Whether the loop may touch the database now (not backing off). */
int storage_may_try(const struct storage_watch *w, int64_t now_ms);
/* Milliseconds until the next attempt, -1 when there is no fault or
 * its backoff is over. */
int64_t storage_wait_ms(const struct storage_watch *w, int64_t now_ms);
/* 1 (and a log line) when the path no longer names the file opened:
 * removed, its directory removed, or another file in its place. */
int storage_moved(const struct storage_watch *w);
/* STATUS= text for a fault; 0 when there is none. */
int storage_status(const struct storage_watch *w, char *buf, size_t len);

#endif
