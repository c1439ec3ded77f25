/*
 * nudge notify-test WHO: queue a test reminder due now on WHO's channels.
 * The daemon sends it like any other, so this proves the whole path:
 * CLI, wake-up, scheduler, outbox, channel, receiver.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "config.h"

static int
notify_test_exec(struct cli *c, const struct cli_args *a)
{
	const struct config_person *p;
	char *err = NULL;
	int64_t id;
	int rc;

	if ((rc = cli_ctx(c)) != CLI_OK || (rc = cli_uc_status(
	    uc_notify_test(&c->uc, a->arg[0], &p, &id, &err), &err)) != CLI_OK)
		return rc;
	cli_wake(c);
	if (c->json) {
		json_t *chans = json_array();
		for (size_t i = 0; i < p->nnotify; i++)
			json_array_append_new(chans,
			    json_string(p->notify[i]));
		return cli_print_json(json_pack("{s:I, s:s, s:o}", "id",
		    (json_int_t)id, "owner", p->handle, "channels", chans));
	}
	printf("test reminder %lld queued for %s; nudged sends it on:",
	    (long long)id, p->handle);
	for (size_t i = 0; i < p->nnotify; i++)
		printf(" %s", p->notify[i]);
	printf("\n(`nudge status` shows whether it was delivered)\n");
	return CLI_OK;
}

const struct cli_sub cli_notify_test_subs[] = {
	{ NULL, "WHO", 1, 1, notify_test_exec, NULL,
	    "queue a test reminder due now on WHO's channels", NULL },
	CLI_SUB_END,
};
