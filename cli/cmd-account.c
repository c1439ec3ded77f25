/* nudge account pause|resume, and nudge accounts: who is going quiet. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cadence_view.h"
#include "config.h"
#include "export.h"

static void
account_print(struct cli *c, const char *account, int pause,
    const struct uc_account_paused *r)
{
	const char *zone = c->cfg->timezone;
	char until[96], due[96];

	if (c->json) {
		cli_print_json(json_pack("{s:s, s:I, s:b, s:s?, s:s?}",
		    "account", account, "account_id",
		    (json_int_t)r->account_id, "paused", pause, "until",
		    r->until != 0 ? cli_iso(r->until, zone, until,
		    sizeof(until)) : NULL, "next_due", r->next_due != 0 ?
		    cli_iso(r->next_due, zone, due, sizeof(due)) : NULL));
		return;
	}
	if (!pause)
		printf("%s: resumed\n", account);
	else if (r->until != 0)
		printf("%s: paused until %s\n", account, cli_human_time(c,
		    r->until, zone, until, sizeof(until)));
	else
		printf("%s: paused until resumed\n", account);
	if (r->next_due != 0)
		printf("  stay in touch by %s\n", cli_human_time(c,
		    r->next_due, zone, due, sizeof(due)));
}

enum { AP_UNTIL };
static const struct cli_opt account_pause_opts[] = {
	[AP_UNTIL] = { "until", 0, "WHEN", 0, 0,
	    "paused until then (default until resumed)" },
	CLI_OPT_END,
};

/* account pause ACCOUNT [--until WHEN] | account resume ACCOUNT */
static int
account_pause_cmd(struct cli *c, const struct cli_args *a)
{
	int pause = strcmp(a->sub->name, "pause") == 0, rc;
	const char *account = a->arg[0];
	struct uc_account_paused r;
	char *err = NULL;

	if ((rc = cli_ctx(c)) != CLI_OK || (rc = cli_uc_status(pause ?
	    uc_account_pause(&c->uc, account, a->v[AP_UNTIL], &r, &err) :
	    uc_account_resume(&c->uc, account, &r, &err), &err)) != CLI_OK)
		return rc;
	cli_wake(c);
	account_print(c, account, pause, &r);
	return CLI_OK;
}

const struct cli_sub cli_account_subs[] = {
	{ "pause", "ACCOUNT", 1, 1, account_pause_cmd, account_pause_opts,
	    "no stay-in-touch reminder for ACCOUNT for now", NULL },
	{ "resume", "ACCOUNT", 1, 1, account_pause_cmd, NULL,
	    "ACCOUNT's stay-in-touch reminders again", NULL },
	CLI_SUB_END,
};

static void
accounts_csv(const struct cadence_view_row *v, size_t n, const char *zone)
{
	char cells[CADENCE_VIEW_COLUMNS][TIMEUTIL_ISO_MAX + 64];
	const char *row[CADENCE_VIEW_COLUMNS];
	size_t i, k;

	export_csv_row(stdout, cadence_view_csv_header, CADENCE_VIEW_COLUMNS);
	for (i = 0; i < n; i++) {
		cadence_view_cells(&v[i], zone, cells);
		for (k = 0; k < CADENCE_VIEW_COLUMNS; k++)
			row[k] = cells[k];
		export_csv_row(stdout, row, CADENCE_VIEW_COLUMNS);
	}
}

enum { AS_QUIET, AS_OWNER, AS_FORMAT };
static const struct cli_opt accounts_opts[] = {
	[AS_QUIET] = { "quiet", 0, NULL, 0, 0,
	    "only those gone quiet longer than their cadence" },
	[AS_OWNER] = { "owner", 0, "WHO", 0, 0,
	    "only those whose reminder goes to WHO" },
	[AS_FORMAT] = CLI_OPT_FORMAT,
	CLI_OPT_END,
};

static int
accounts_exec(struct cli *c, const struct cli_args *a)
{
	const char *owner = a->v[AS_OWNER];
	struct cadence_view_row *v;
	char *err = NULL;
	int rc, csv;
	size_t n;

	if ((rc = cli_format(c, a, AS_FORMAT, &csv)) != CLI_OK ||
	    (rc = cli_open_owner(c, owner)) != CLI_OK)
		return rc;
	if (cadence_view(c->st, c->cfg, c->now, owner, a->v[AS_QUIET] != NULL,
	    &v, &n, &err) != 0)
		return cli_fail(CLI_FAIL, err);
	if (c->json)
		cli_print_json(cadence_view_json(v, n, c->cfg->timezone));
	else if (csv)
		accounts_csv(v, n, c->cfg->timezone);
	else
		cadence_view_write_text(v, n, c->cfg->timezone, stdout);
	cadence_view_free(v, n);
	return CLI_OK;
}

const struct cli_sub cli_accounts_subs[] = {
	{ NULL, NULL, 0, 0, accounts_exec, accounts_opts,
	    "every account's last touch and cadence: who is going quiet",
	    NULL },
	CLI_SUB_END,
};
