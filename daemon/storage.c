#include "storage.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <systemd/sd-daemon.h>

#include "log.h"
#include "runlock.h"

void
storage_watch_start(struct storage_watch *w, const char *path, int lockfd)
{
	struct stat sb;

	memset(w, 0, sizeof(*w));
	w->lockfd = lockfd;
	snprintf(w->path, sizeof(w->path), "%s", path);
	if (stat(path, &sb) == 0) {
		w->dev = sb.st_dev;
		w->ino = sb.st_ino;
		w->known = 1;
	}
}

static void
storage_notify(const struct storage_watch *w)
{
	char status[512];

	int fault = storage_status(w, status, sizeof(status));

	if (fault)
		sd_notifyf(0, "STATUS=%s", status);
	else
		sd_notify(0, "STATUS=database writable again");
	/* In place, in the lock file's own bytes: on a full disk too. */
	if (w->lockfd >= 0 && runlock_note(w->lockfd, fault ? status : "") !=
	    0)
		log_warn("cannot note the database fault for nudge status");
}

void
storage_failed(struct storage_watch *w, char *err, int64_t now_ms)
{
	if (fault_failed(&w->fault, err, now_ms)) {
		log_warnx("database %s: %s (%s): retrying in %lld s, backing "
		    "off up to %d s; said again when it changes or clears",
		    w->path, err, fault_name(w->fault.kind),
		    (long long)(fault_backoff_ms(1) / 1000),
		    FAULT_MAX_MS / 1000);
		storage_notify(w);
	} else
		log_debug("database %s: still failing (%s), attempt %d; next "
		    "in %lld s", w->path, fault_name(w->fault.kind),
		    w->fault.failures,
		    (long long)(fault_backoff_ms(w->fault.failures) / 1000));
	free(err);
}

void
storage_ok(struct storage_watch *w)
{
	enum fault_kind kind = w->fault.kind;
	int failures = w->fault.failures;

	if (!fault_cleared(&w->fault))
		return;
	log_info("database %s: the fault (%s) cleared after %d failed "
	    "attempts", w->path, fault_name(kind), failures);
	storage_notify(w);
}

int
storage_may_try(const struct storage_watch *w, int64_t now_ms)
{
	return fault_may_try(&w->fault, now_ms);
}

int64_t
storage_wait_ms(const struct storage_watch *w, int64_t now_ms)
{
	if (w->fault.kind == FAULT_NONE || w->fault.retry_at_ms <= now_ms)
		return -1;
	return w->fault.retry_at_ms - now_ms;
}

int
storage_moved(const struct storage_watch *w)
{
	struct stat sb;

	if (!w->known)
		return 0;
	if (stat(w->path, &sb) != 0) {
		/* Only "not there": a permission or I/O error says nothing
		 * about which file it is. */
		if (errno != ENOENT && errno != ENOTDIR)
			return 0;
		log_warnx("database %s is gone (%s): the file nudged has open "
		    "is no longer the one the CLI writes; exiting with status "
		    "1 so that it is started again on the right file",
		    w->path, strerror(errno));
		return 1;
	}
	if (sb.st_dev == w->dev && sb.st_ino == w->ino)
		return 0;
	log_warnx("database %s was replaced by another file: exiting with "
	    "status 1 so that it is started again on the new one", w->path);
	return 1;
}

int
storage_status(const struct storage_watch *w, char *buf, size_t len)
{
	if (w->fault.kind == FAULT_NONE)
		return 0;
	snprintf(buf, len, "database fault (%s): %s; %d attempts failed, "
	    "backing off", fault_name(w->fault.kind), w->fault.what,
	    w->fault.failures);
	return 1;
}
