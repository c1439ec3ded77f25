#include "runlock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "err.h"

/* How long a taker waits out a probe's instant of shared lock: tries
 * RUNLOCK_TRIES times, RUNLOCK_PAUSE_MS apart. */
#define RUNLOCK_TRIES 25
#define RUNLOCK_PAUSE_MS 20

static int
runlock_path(const char *database, char *path, size_t len, char **errp)
{
	if (snprintf(path, len, "%s.lock", database) >= (int)len)
		return err_set(errp, "%s: path too long", database);
	return 0;
}

/* The lock file of database opened to read, its path in path: 1 with
 * *fd, 0 when there is none (no scheduler ever ran there), -1. */
static int
runlock_open_read(const char *database, char *path, size_t len, int *fd,
    char **errp)
{
	if (runlock_path(database, path, len, errp) != 0)
		return -1;
	if ((*fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) >= 0)
		return 1;
	if (errno == ENOENT)
		return 0;
	return err_set(errp, "%s: cannot read the scheduler's lock: %s", path,
	    strerror(errno));
}

/* The pid written in the lock file fd; 0 when it holds none. */
static int64_t
runlock_read_pid(int fd)
{
	char buf[32];
	ssize_t n;

	n = pread(fd, buf, sizeof(buf) - 1, 0);
	buf[n > 0 ? n : 0] = '\0';
	return strtoll(buf, NULL, 10);
}

static int
runlock_try(int fd, int op)
{
	struct timespec pause = { 0, RUNLOCK_PAUSE_MS * 1000000L };
	int i;

	for (i = 0; i < RUNLOCK_TRIES; i++) {
		if (flock(fd, op | LOCK_NB) == 0)
			return 0;
		if (errno != EWOULDBLOCK)
			return -1;
		nanosleep(&pause, NULL);
	}
	return 1;
}

int
runlock_take(const char *database, int *fd, int64_t *holder, char **errp)
{
	char path[4096];
	int rc;

	*holder = 0;
	if (runlock_path(database, path, sizeof(path), errp) != 0)
		return -1;
	if ((*fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0660)) < 0)
		return err_set(errp, "%s: cannot open lock file: %s", path,
		    strerror(errno));
	if ((rc = runlock_try(*fd, LOCK_EX)) != 0) {
		if (rc > 0)
			*holder = runlock_read_pid(*fd);
		else
			err_set(errp, "%s: cannot lock: %s", path,
			    strerror(errno));
		close(*fd);
		*fd = -1;
		return rc;
	}
	/* Best effort: a status without it still knows the lock is held. */
	if (ftruncate(*fd, 0) != 0 || runlock_note(*fd, "") != 0)
		return err_set(errp, "%s: cannot record pid: %s", path,
		    strerror(errno)), 0;
	return 0;
}

int
runlock_note(int fd, const char *note)
{
	char buf[RUNLOCK_FILE_SIZE], *p;
	int n;

	/* "pid\nnote\n", padded with spaces to the whole size; the note on
	 * its one line. */
	memset(buf, ' ', sizeof(buf));
	n = snprintf(buf, sizeof(buf), "%ld\n%.*s\n", (long)getpid(),
	    RUNLOCK_NOTE_MAX, note);
	if (n < 0 || (size_t)n >= sizeof(buf))
		return -1;
	buf[n] = ' ';
	for (p = strchr(buf, '\n') + 1; p < buf + n - 1; p++)
		if ((unsigned char)*p < 0x20)
			*p = ' ';
	buf[sizeof(buf) - 1] = '\n';
	return pwrite(fd, buf, sizeof(buf), 0) == (ssize_t)sizeof(buf) ? 0 :
	    -1;
}

int
runlock_probe_note(const char *database, char *note, size_t size,
    char **errp)
{
	char path[4096], buf[RUNLOCK_FILE_SIZE + 1], *line, *end;
	ssize_t n;
	int fd, rc;

	note[0] = '\0';
	if ((rc = runlock_open_read(database, path, sizeof(path), &fd,
	    errp)) <= 0)
		return rc;
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	if ((line = strchr(buf, '\n')) == NULL)
		return 0;
	line++;
	if ((end = strchr(line, '\n')) != NULL)
		*end = '\0';
	end = line + strlen(line);
	while (end > line && end[-1] == ' ')
		end--;
	snprintf(note, size, "%.*s", (int)(end - line), line);
	return 0;
}

int
runlock_probe(const char *database, int *held, int64_t *holder, char **errp)
{
	char path[4096];
	int fd, rc;

	*held = 0;
	*holder = 0;
	if ((rc = runlock_open_read(database, path, sizeof(path), &fd,
	    errp)) <= 0)
		return rc;
	/* Shared, for an instant: two probes never see each other. */
	if (flock(fd, LOCK_SH | LOCK_NB) == 0) {
		close(fd);
		return 0;
	}
	if (errno != EWOULDBLOCK) {
		err_set(errp, "%s: cannot test the scheduler's lock: %s", path,
		    strerror(errno));
		close(fd);
		return -1;
	}
	*held = 1;
	*holder = runlock_read_pid(fd);
	close(fd);
	return 0;
}
