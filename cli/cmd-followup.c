/* nudge followup: ad-hoc reminders to come back to a customer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "person.h"
#include "config.h"
#include "followup.h"

CLI_RECORD(followup, "follow-up", "follow-ups", "STATE", 9, state, "REMIND",
    remind_at, "TEXT", text, 0);

static void
followup_print_human(struct cli *c, const void *e)
{
	const struct followup *f = e;
	char buf[96];

	printf("follow-up %lld  %s\n", (long long)f->id, f->state);
	printf("  %s\n", f->text);
	printf("  owner   %s%s%s\n", f->owner,
	    f->account != NULL ? ", account " : "",
	    f->account != NULL ? f->account : "");
	printf("  remind  %s\n", cli_human_time(c, f->remind_at,
	    person_zone(c->cfg, f->owner), buf, sizeof(buf)));
	if (f->folded_into != 0)
		printf("  sent    as part of follow-up %lld\n",
		    (long long)f->folded_into);
	if (f->note != NULL)
		printf("  note    %s\n", f->note);
}

enum { FA_OWNER, FA_ACCOUNT, FA_DEAL, FA_AT, FA_IN, FA_FORCE };
static const struct cli_opt followup_add_opts[] = {
	[FA_OWNER] = CLI_OPT_OWNER_OF(uc_followup_add, "who is reminded"),
	[FA_ACCOUNT] = CLI_OPT_ACCOUNT(uc_followup_add, 1),
	[FA_DEAL] = CLI_OPT_DEAL(uc_followup_add, 1),
	[FA_AT] = { "at", 0, "WHEN", 2, CLI_NEED, "remind at this moment",
	    CLI_STR(uc_followup_add, at) },
	[FA_IN] = { "in", 0, "DURATION", 2, CLI_NEED,
	    "remind this long from now", CLI_STR(uc_followup_add, in) },
	[FA_FORCE] = { "force", 0, NULL, 0, 0, "accept a moment in the past",
	    CLI_FLAG(uc_followup_add, force) },
	CLI_OPT_END,
};

CLI_RECORD_ADD(followup, followup_print_human)

static const struct cli_opt followup_done_opts[] = {
	{ "note", 0, "TEXT", 0, 0, "how it went, kept with it" },
	CLI_OPT_END,
};
static const struct cli_opt followup_snooze_opts[] = {
	{ "until", 0, "WHEN", 0, 0, "remind again at this moment" },
	CLI_OPT_END,
};

/* done / cancel: the follow-up finished, done with its note or not. */
static enum uc_status
followup_done_or_cancel(struct cli *c, const struct cli_args *a,
    int64_t id, void *e, char **errp)
{
	int done = strcmp(a->sub->name, "done") == 0;

	return uc_followup_finish(&c->uc, id, done ? "done" : "cancelled",
	    done ? a->v[0] : NULL, e, errp);
}

CLI_RECORD_CHANGE(followup, followup_done_or_cancel, followup_print_human)

/* snooze: by the DURATION operand, or to --until's moment. */
static enum uc_status
followup_snooze_change(struct cli *c, const struct cli_args *a,
    int64_t id, void *e, char **errp)
{
	const char *until = a->v[0];

	return uc_followup_snooze(&c->uc, id, until == NULL ? a->arg[1] : NULL,
	    until, e, errp);
}

static int
followup_snooze_cmd(struct cli *c, const struct cli_args *a)
{
	struct followup f;

	/* Exactly one of the two ways, said before the ID is looked at. */
	if ((a->n == 2) == (a->v[0] != NULL))
		return cli_usage(a, "followup snooze takes an ID and "
		    "a DURATION, or an ID and --until WHEN");
	return cli_record_change(c, a, &followup_record,
	    followup_snooze_change, &f, followup_print_human);
}

enum { FL_OWNER, FL_DONE, FL_CANCELLED };
static const struct cli_opt followup_list_opts[] = {
	[FL_OWNER] = CLI_OPT_OWNER,
	[FL_DONE] = { "done", 0, NULL, 1, 0, "only done ones" },
	[FL_CANCELLED] = { "cancelled", 0, NULL, 1, 0, "only cancelled ones" },
	CLI_OPT_END,
};

CLI_RECORD_LIST(followup, state, FL_OWNER, FL_DONE, FL_CANCELLED)

static int
followup_show(struct cli *c, const struct cli_args *a)
{
	struct followup f;

	return cli_record_show(c, a, &followup_record, &f,
	    followup_print_human);
}

const struct cli_sub cli_followup_subs[] = {
	{ "add", "TEXT", 1, 1, followup_add, followup_add_opts,
	    "a reminder at a moment, moved into the owner's working hours",
	    NULL, CLI_STR(uc_followup_add, text) },
	{ "done", "ID", 1, 1, followup_done_or_cancel_cmd, followup_done_opts,
	    "it was done", NULL },
	{ "snooze", "ID", 1, 2, followup_snooze_cmd, followup_snooze_opts,
	    "remind again later", "ID (DURATION | --until WHEN)" },
	{ "cancel", "ID", 1, 1, followup_done_or_cancel_cmd, NULL,
	    "it is no longer needed", NULL },
	{ "show", "ID", 1, 1, followup_show, NULL, "one follow-up", NULL },
	{ "list", NULL, 0, 0, followup_list_cmd, followup_list_opts,
	    "the follow-ups, by reminder time", NULL },
	CLI_SUB_END,
};
