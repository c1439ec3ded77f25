/*
 * nudge status: is the daemon alive, what is pending, what is failing or
 * dead.  Exits non-zero when the daemon is not alive or a delivery is dead,
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

/* The daemon beats at least this often (see daemon/loop.c); three missed
 * beats mean it is gone. */
#define STATUS_HEARTBEAT_MAX_AGE 180

static int
status_exec(struct cli *c, const struct cli_args *a)
{
	struct outbox_counts oc;
	struct outbox_item *dead = NULL;
	struct runstate rs;
	int64_t pending, next_at = 0;
	char *err = NULL, buf[96];
	size_t ndead = 0, i;
	int found, alive, rc, version;
	json_t *o, *arr;

	(void)a;
	if ((rc = cli_open(c)) != CLI_OK)
		return rc;
	if (runstate_read(c->st, &rs, &err) != 0 ||
	    followup_count_pending(c->st, &pending, &err) != 0 ||
	    followup_next_remind(c->st, &next_at, &found, &err) != 0 ||
	    outbox_count(c->st, 1, &oc, &err) != 0 ||
	    outbox_list_dead(c->st, 20, &dead, &ndead, &err) != 0 ||
	    store_schema_version(c->st, &version, &err) != 0)
		return cli_fail(CLI_FAIL, err);
	if (!found)
		next_at = 0;
	alive = rs.heartbeat_at != 0 &&
	    c->now - rs.heartbeat_at <= STATUS_HEARTBEAT_MAX_AGE;
	if (c->json) {
		o = json_pack("{s:{s:b, s:I}, s:s, s:s, s:s, s:i, s:I, s:I, "
		    "s:I, s:I}", "daemon", "alive", alive, "pid",
		    (json_int_t)rs.pid, "version", NUDGE_VERSION, "config",
		    c->cfg->path, "database", store_path(c->st),
		    "schema_version", version, "pending",
		    (json_int_t)(pending + oc.queued), "failing",
		    (json_int_t)oc.failing, "dead", (json_int_t)oc.dead,
		    "delivered", (json_int_t)oc.delivered);
		jsonout_set_time(json_object_get(o, "daemon"), "last_seen",
		    rs.heartbeat_at, c->cfg->timezone);
		jsonout_set_time(json_object_get(o, "daemon"), "started_at",
		    rs.started_at, c->cfg->timezone);
		jsonout_set_time(o, "next_due_at", next_at, c->cfg->timezone);
		arr = json_array();
		for (i = 0; i < ndead; i++)
			json_array_append_new(arr, json_pack("{s:I, s:s, s:s, "
			    "s:i, s:s?}", "followup",
			    (json_int_t)dead[i].followup_id, "channel",
			    dead[i].channel, "delivery_id",
			    dead[i].delivery_id, "attempts", dead[i].attempts,
			    "last_error", dead[i].last_error));
		json_object_set_new(o, "dead_deliveries", arr);
		cli_print_json(o);
	} else {
		printf("daemon     %s", alive ? "alive" : "NOT RUNNING");
		if (rs.heartbeat_at != 0)
			printf(" (pid %lld, last seen %s)", (long long)rs.pid,
			    cli_human_time(c, rs.heartbeat_at,
			    c->cfg->timezone, buf, sizeof(buf)));
		printf("\nversion    %s\nconfig     %s\ndatabase   %s "
		    "(schema %d)\n", NUDGE_VERSION, c->cfg->path,
		    store_path(c->st), version);
		printf("pending    %lld follow-ups, %lld deliveries queued\n",
		    (long long)pending, (long long)oc.queued);
		printf("next due   %s\n", cli_human_time(c, next_at,
		    c->cfg->timezone, buf, sizeof(buf)));
		printf("failing    %lld\ndead       %lld\n",
		    (long long)oc.failing, (long long)oc.dead);
		for (i = 0; i < ndead; i++)
			printf("  dead: follow-up %lld via %s after %d "
			    "attempts: %s\n", (long long)dead[i].followup_id,
			    dead[i].channel, dead[i].attempts,
			    dead[i].last_error != NULL ? dead[i].last_error :
			    "?");
	}
	rc = alive && oc.dead == 0 ? CLI_OK : CLI_FAIL;
	outbox_list_free(dead, ndead);
	runstate_clear(&rs);
	return rc;
}

const struct cli_sub cli_status_subs[] = {
	{ NULL, NULL, 0, 0, status_exec, NULL, "daemon heartbeat, pending, "
	    "failing and dead deliveries, the next due moment", NULL },
	CLI_SUB_END,
};
