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
#include "followup.h"
#include "store.h"

int
cmd_notify_test(struct cli *c, int argc, char **argv)
{
	const struct config_person *p;
	struct followup f;
	char *err = NULL, text[256];
	int rc, inserted;

	if (argc == 3 && strcmp(argv[2], "--json") == 0)
		c->json = 1;
	else if (argc != 2)
		return cli_usage(cli_command("notify-test"), "notify-test "
		    "takes one person");
	if ((rc = cli_open(c)) != CLI_OK)
		return rc;
	if ((p = cli_person(c, argv[1])) == NULL)
		return CLI_USAGE;
	memset(&f, 0, sizeof(f));
	snprintf(text, sizeof(text), "Test reminder for %s from nudge "
	    "notify-test: if you read this, your channels work.", p->handle);
	f.owner = p->handle;
	f.text = text;
	/* Now, not in working hours: a test is wanted when it is asked. */
	f.due_at = f.remind_at = c->now;
	if (store_begin(c->st, &err) != 0 ||
	    followup_insert(c->st, &f, c->now, &inserted, &err) != 0 ||
	    store_commit(c->st, &err) != 0) {
		store_rollback(c->st);
		free(f.state);
		return cli_fail(CLI_FAIL, err);
	}
	free(f.state);
	cli_wake(c);
	if (c->json) {
		json_t *chans = json_array();
		for (size_t i = 0; i < p->nnotify; i++)
			json_array_append_new(chans,
			    json_string(p->notify[i]));
		return cli_print_json(json_pack("{s:I, s:s, s:o}", "id",
		    (json_int_t)f.id, "owner", p->handle, "channels", chans));
	}
	printf("test reminder %lld queued for %s; nudged sends it on:",
	    (long long)f.id, p->handle);
	for (size_t i = 0; i < p->nnotify; i++)
		printf(" %s", p->notify[i]);
	printf("\n(`nudge status` shows whether it was delivered)\n");
	return CLI_OK;
}
