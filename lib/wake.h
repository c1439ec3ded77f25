/*
 * The CLI's wake-up call to the daemon: a datagram on a Unix socket in the
 * runtime directory.  The daemon polls the socket with everything else, so
 * a write from the CLI reschedules at once without the daemon polling the
 * database.  No daemon listening is not an error.
 */
#ifndef NUDGE_WAKE_H
#define NUDGE_WAKE_H

#include <stddef.h>

/* "<runtime_dir>/nudged.sock" into buf; -1 if it does not fit. */
int wake_socket_path(const char *runtime_dir, char *buf, size_t len,
    char **errp);
/* Fire and forget. */
void wake_send(const char *path);
/* Bind a non-blocking datagram socket at path (replacing a stale one);
 * the socket is 0660 so group members' CLIs can reach it. */
int wake_listen(const char *path, int *fd, char **errp);
/* Read and discard every pending datagram; returns how many. */
int wake_drain(int fd);

#endif
