/*
 * The daemon's persisted run state (one row): who runs, its heartbeat and
 * clean stop for `nudge status`, and the scheduler's cursor into the
 * event log; and what they and the scheduler's lock say of the daemon
 * (the logic of `nudge status`, for any front end that asks).
 */
#ifndef NUDGE_RUNSTATE_H
#define NUDGE_RUNSTATE_H

#include <stdint.h>
#include <time.h>

struct store;

struct runstate {
	int64_t pid;
	char *version;
	int64_t started_at;
	int64_t heartbeat_at;
	int64_t event_cursor;
	int64_t stopped_at;     /* the last clean stop; 0 since a start */
};

int runstate_read(struct store *st, struct runstate *rs, char **errp);
void runstate_clear(struct runstate *rs);
int runstate_started(struct store *st, int64_t pid, const char *version,
    time_t now, char **errp);
int runstate_heartbeat(struct store *st, time_t now, char **errp);
int runstate_set_cursor(struct store *st, int64_t cursor, char **errp);
/* A clean stop: its deliveries drained, nothing left half done. */
int runstate_stopped(struct store *st, time_t now, char **errp);

/*
 * Is the scheduler running?  Asked of its lock (lib/runlock.h), which the
 * kernel drops the moment the process ends, so the answer is true at
 * once; the heartbeat's age is a second signal: running, but stuck.
 */
enum runstate_state {
	RUNSTATE_NEVER,         /* never started on this database */
	RUNSTATE_RUNNING,       /* holds the lock, beating */
	RUNSTATE_STUCK,         /* holds the lock, no beat for too long */
	RUNSTATE_STOPPED,       /* not running; its last stop was clean */
	RUNSTATE_CRASHED,       /* not running; it was, and did not stop */
};

/* The daemon beats at least once a minute (daemon/loop.c): three missed
 * beats and a process still holding the lock is stuck. */
#define RUNSTATE_STUCK_AFTER 180

struct runstate_health {
	enum runstate_state state;
	int alive;              /* a process holds the lock (running or stuck) */
	int64_t pid;            /* the holder's; else the last one recorded */
	int64_t heartbeat_age;  /* seconds since the last beat; -1: none */
};

/* The state of a daemon whose row is rs, locked or not, at now. */
void runstate_judge(const struct runstate *rs, int locked, int64_t holder,
    time_t now, struct runstate_health *h);
/* The lock of the store's database probed and its row read (into *rs,
 * cleared by the caller), judged at now. */
int runstate_health(struct store *st, time_t now, struct runstate *rs,
    struct runstate_health *h, char **errp);
/* "running", "stuck", "stopped", "crashed", "never started". */
const char *runstate_state_name(enum runstate_state s);

#endif
