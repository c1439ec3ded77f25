/*
 * nudge status: is the daemon running (lib/runstate.h decides: running,
 * stuck, stopped, crashed, never started), what is pending, what is
 * failing or dead.  Exits non-zero unless the daemon is running, can
 * write its database (no fault in its lock file) and no delivery is dead,
 * so it serves as a health check.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "config.h"
#include "followup.h"
#include "jsonout.h"
#include "migrate.h"
#include "outbox.h"
#include "runstate.h"
#include "store.h"

/* The daemon's part of --json: its state and the moments it says. */
static json_t *
status_daemon_json(struct cli *c, const struct runstate *rs,
    const struct runstate_health *h)
{
	json_t *d;

	d = json_pack("{s:s, s:b, s:I, s:I}", "state",
	    runstate_state_name(h->state), "alive", h->alive, "pid",
	    (json_int_t)h->pid, "heartbeat_age", (json_int_t)h->heartbeat_age);
	jsonout_set_time(d, "last_seen", rs->heartbeat_at, c->cfg->timezone);
	jsonout_set_time(d, "started_at", rs->started_at, c->cfg->timezone);
	jsonout_set_time(d, "stopped_at", rs->stopped_at, c->cfg->timezone);
	jsonout_set_str(d, "fault", h->fault[0] != '\0' ? h->fault : NULL);
	return d;
}

/* "daemon     running (pid 12, last seen ...)" and its kin. */
static void
status_daemon_text(struct cli *c, const struct runstate *rs,
    const struct runstate_health *h)
{
	char buf[96];

	printf("daemon     %s", runstate_state_name(h->state));
	switch (h->state) {
	case RUNSTATE_RUNNING:
	case RUNSTATE_STUCK:
		printf(" (pid %lld", (long long)h->pid);
		if (rs->heartbeat_at != 0)
			printf(", last heartbeat %s", cli_human_time(c,
			    rs->heartbeat_at, c->cfg->timezone, buf,
			    sizeof(buf)));
		printf(")%s", h->state == RUNSTATE_STUCK ? ": holds the "
		    "database but has not beaten for over 3 minutes" : "");
		if (h->fault[0] != '\0')
			printf("\n  fault    %s", h->fault);
		break;
	case RUNSTATE_STOPPED:
		printf(" (pid %lld stopped cleanly %s)", (long long)h->pid,
		    cli_human_time(c, rs->stopped_at, c->cfg->timezone, buf,
		    sizeof(buf)));
		break;
	case RUNSTATE_CRASHED:
		printf(" (pid %lld ended without stopping; last heartbeat %s)",
		    (long long)h->pid, cli_human_time(c, rs->heartbeat_at,
		    c->cfg->timezone, buf, sizeof(buf)));
		break;
	case RUNSTATE_NEVER:
		break;
	}
	printf("\n");
}

static int
status_exec(struct cli *c, const struct cli_args *a)
{
	struct outbox_counts oc;
	struct outbox_item *dead = NULL;
	struct runstate rs;
	struct runstate_health health;
	int64_t pending, next_at = 0;
	char *err = NULL, buf[96];
	size_t ndead = 0, i;
	int found, rc, version;
	json_t *o, *arr;

	(void)a;
	if ((rc = cli_open(c)) != CLI_OK)
		return rc;
	if (runstate_health(c->st, c->now, &rs, &health, &err) != 0 ||
	    followup_count_pending(c->st, &pending, &err) != 0 ||
	    followup_next_remind(c->st, &next_at, &found, &err) != 0 ||
	    outbox_count(c->st, 1, &oc, &err) != 0 ||
	    outbox_list_dead(c->st, 20, &dead, &ndead, &err) != 0 ||
	    store_schema_version(c->st, &version, &err) != 0)
		return cli_fail(CLI_FAIL, err);
	if (!found)
		next_at = 0;
	if (c->json) {
		o = json_pack("{s:o, s:s, s:s, s:s, s:i, s:s?, s:I, s:I, "
		    "s:I, s:I}", "daemon", status_daemon_json(c, &rs, &health),
		    "version", NUDGE_VERSION, "config",
		    c->cfg->path, "database", store_path(c->st),
		    "schema_version", version, "database_id",
		    rs.database_id, "pending",
		    (json_int_t)(pending + oc.queued), "failing",
		    (json_int_t)oc.failing, "dead", (json_int_t)oc.dead,
		    "delivered", (json_int_t)oc.delivered);
		jsonout_set_time(o, "next_due_at", next_at, c->cfg->timezone);
		arr = json_array();
		for (i = 0; i < ndead; i++)
			json_array_append_new(arr, json_pack("{s:I, s:I, s:s, "
			    "s:s, s:i, s:s?}", "id", (json_int_t)dead[i].id,
			    "followup", (json_int_t)dead[i].followup_id,
			    "channel", dead[i].channel, "delivery_id",
			    dead[i].delivery_id, "attempts", dead[i].attempts,
			    "last_error", dead[i].last_error));
		json_object_set_new(o, "dead_deliveries", arr);
		cli_print_json(o);
	} else {
		status_daemon_text(c, &rs, &health);
		printf("version    %s\nconfig     %s\ndatabase   %s "
		    "(schema %d)\n", NUDGE_VERSION, c->cfg->path,
		    store_path(c->st), version);
		printf("identity   %s\n", rs.database_id != NULL ?
		    rs.database_id : "none");
		printf("pending    %lld follow-ups, %lld deliveries queued\n",
		    (long long)pending, (long long)oc.queued);
		printf("next due   %s\n", cli_human_time(c, next_at,
		    c->cfg->timezone, buf, sizeof(buf)));
		printf("failing    %lld\ndead       %lld\n",
		    (long long)oc.failing, (long long)oc.dead);
		for (i = 0; i < ndead; i++)
			printf("  dead: delivery %lld, follow-up %lld via %s "
			    "after %d attempts: %s\n", (long long)dead[i].id,
			    (long long)dead[i].followup_id,
			    dead[i].channel, dead[i].attempts,
			    dead[i].last_error != NULL ? dead[i].last_error :
			    "?");
	}
	rc = health.state == RUNSTATE_RUNNING && health.fault[0] == '\0' &&
	    oc.dead == 0 ? CLI_OK : CLI_FAIL;
	outbox_list_free(dead, ndead);
	runstate_clear(&rs);
	return rc;
}

const struct cli_sub cli_status_subs[] = {
	{ NULL, NULL, 0, 0, status_exec, NULL, "the daemon's state, pending, "
	    "failing and dead deliveries, what is next", NULL },
	CLI_SUB_END,
};
