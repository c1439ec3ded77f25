#include "runstate.h"

#include <string.h>

#include "err.h"
#include "runlock.h"
#include "runstate.def"
#include "store.h"

static const char SQL_READ[] =
    "SELECT " STORE_DEF_SELECT(RUNSTATE_DEF) "FROM daemon WHERE id = 1";
static const char SQL_STARTED[] =
    "UPDATE daemon SET pid = ?1, version = ?2, started_at = ?3, "
    "heartbeat_at = ?3, stopped_at = NULL WHERE id = 1";
/* The daemon row's one column col set to ?1. */
#define SQL_SET(col) "UPDATE daemon SET " col " = ?1 WHERE id = 1"

STORE_DEF_ROW_TYPE(runstate_row, RUNSTATE_DEF, struct runstate,
    "daemon state", NULL);

int
runstate_read(struct store *st, struct runstate *rs, char **errp)
{
	int rc;

	rc = store_row(st, store_stmt(st, SQL_READ, errp), &runstate_row, rs,
	    errp);
	/* The row is made by the first migration: none is an error. */
	if (rc == 0)
		return store_err(st, errp, "reading daemon state");
	return rc < 0 ? -1 : 0;
}

void
runstate_clear(struct runstate *rs)
{
	runstate_row_clear(rs);
}

int
runstate_started(struct store *st, int64_t pid, const char *version,
    time_t now, char **errp)
{
	return store_exec(st, SQL_STARTED, STORE_ARGS(STORE_INT(pid),
	    STORE_TEXT(version), STORE_INT(now)), errp);
}

static int
runstate_set(struct store *st, const char *sql, int64_t v, char **errp)
{
	return store_exec(st, sql, STORE_ARGS(STORE_INT(v)), errp);
}

int
runstate_heartbeat(struct store *st, time_t now, char **errp)
{
	return runstate_set(st, SQL_SET("heartbeat_at"), now, errp);
}

int
runstate_set_cursor(struct store *st, int64_t cursor, char **errp)
{
	return runstate_set(st, SQL_SET("event_cursor"), cursor, errp);
}

int
runstate_stopped(struct store *st, time_t now, char **errp)
{
	return runstate_set(st, SQL_SET("stopped_at"), now, errp);
}

void
runstate_judge(const struct runstate *rs, int locked, int64_t holder,
    time_t now, struct runstate_health *h)
{
	memset(h, 0, sizeof(*h));
	h->alive = locked;
	h->pid = locked && holder != 0 ? holder : rs->pid;
	h->heartbeat_age = rs->heartbeat_at == 0 ? -1 :
	    now > rs->heartbeat_at ? (int64_t)now - rs->heartbeat_at : 0;
	if (locked)
		h->state = h->heartbeat_age > RUNSTATE_STUCK_AFTER ?
		    RUNSTATE_STUCK : RUNSTATE_RUNNING;
	else if (rs->started_at == 0)
		h->state = RUNSTATE_NEVER;
	else if (rs->stopped_at != 0)
		h->state = RUNSTATE_STOPPED;
	else
		h->state = RUNSTATE_CRASHED;
}

int
runstate_health(struct store *st, time_t now, struct runstate *rs,
    struct runstate_health *h, char **errp)
{
	int64_t holder;
	int locked;

	memset(rs, 0, sizeof(*rs));
	if (runlock_probe(store_path(st), &locked, &holder, errp) != 0 ||
	    runstate_read(st, rs, errp) != 0)
		return -1;
	runstate_judge(rs, locked, holder, now, h);
	if (locked && runlock_probe_note(store_path(st), h->fault,
	    sizeof(h->fault), errp) != 0)
		return -1;
	return 0;
}

const char *
runstate_state_name(enum runstate_state s)
{
	switch (s) {
	case RUNSTATE_RUNNING: return "running";
	case RUNSTATE_STUCK: return "stuck";
	case RUNSTATE_STOPPED: return "stopped";
	case RUNSTATE_CRASHED: return "crashed";
	case RUNSTATE_NEVER: break;
	}
	return "never started";
}
