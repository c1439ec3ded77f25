/*
 * The event loop: one libcurl multi handle polled together with a signalfd
 * and the CLI's wake-up socket, with a timeout computed from the next due
 * moment.  Nothing wakes the daemon while nothing is due except the
 * heartbeat (the systemd watchdog interval when set, else LOOP_HEARTBEAT).
 */
#ifndef NUDGED_LOOP_H
#define NUDGED_LOOP_H

#include <time.h>

struct config;
struct store;

struct loop_opts {
	const char *config_path;
	int once;               /* handle what is due now, then return */
	time_t once_now;        /* --once: the moment to act as (0: the clock) */
	int lockfd;             /* the scheduler lock held (lib/runlock.h) */
};

/* Runs until SIGTERM/SIGINT (or once).  Takes ownership of *cfg (it may be
 * replaced on SIGHUP) and frees it.  Returns the exit status. */
int loop_run(const struct loop_opts *o, struct config *cfg, struct store *st);

#endif
