/*
 * The daemon's persisted run state (one row): who runs, its heartbeat for
 * `nudge status`, and the scheduler's cursor into the event log.
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
};

int runstate_read(struct store *st, struct runstate *rs, char **errp);
void runstate_clear(struct runstate *rs);
int runstate_started(struct store *st, int64_t pid, const char *version,
    time_t now, char **errp);
int runstate_heartbeat(struct store *st, time_t now, char **errp);
int runstate_set_cursor(struct store *st, int64_t cursor, char **errp);

#endif
