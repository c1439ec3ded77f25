/* nudge account pause|resume, and nudge accounts: who is going quiet. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cadence_view.h"
#include "config.h"
#include "export.h"

#define ACCOUNT_USAGE(...) cli_usage(cli_command("account"), __VA_ARGS__)

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

/* account pause ACCOUNT [--until WHEN] | account resume ACCOUNT */
static int
account_pause_cmd(struct cli *c, int argc, char **argv, int pause)
{
	static const struct option longopts[] = {
		{ "until", required_argument, NULL, 'u' },
		CLI_COMMON_LONGOPTS_END
	};
	struct uc_account_paused r;
	const char *until = NULL;
	struct uc_ctx ctx;
	enum uc_status st;
	char *err = NULL;
	int ch, rc;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'u': until = optarg; break;
		CLI_COMMON_CASES(c, "account");
		}
	}
	if (optind != argc - 1)
		return ACCOUNT_USAGE("account %s takes one ACCOUNT (quote it)",
		    argv[0]);
	if (!pause && until != NULL)
		return ACCOUNT_USAGE("account resume takes no --until");
	if ((rc = cli_ctx(c, &ctx)) != CLI_OK)
		return rc;
	st = pause ? uc_account_pause(&ctx, argv[optind], until, &r, &err) :
	    uc_account_resume(&ctx, argv[optind], &r, &err);
	if (st != UC_OK)
		return cli_uc_fail(st, err);
	cli_wake(c);
	account_print(c, argv[optind], pause, &r);
	return CLI_OK;
}

int
cmd_account(struct cli *c, int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "";

	if (strcmp(sub, "pause") == 0 || strcmp(sub, "resume") == 0)
		return account_pause_cmd(c, argc - 1, argv + 1,
		    strcmp(sub, "pause") == 0);
	if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0)
		return cli_help("account");
	return ACCOUNT_USAGE("unknown account command '%s'", sub);
}

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

/* accounts [--quiet] [--owner WHO] [--format text|csv|json] */
int
cmd_accounts(struct cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "quiet", no_argument, NULL, 'q' },
		{ "owner", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, 'f' },
		CLI_COMMON_LONGOPTS_END
	};
	const char *owner = NULL, *format = "text";
	struct cadence_view_row *v;
	char *err = NULL;
	int ch, rc, quiet = 0;
	size_t n;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'q': quiet = 1; break;
		case 'o': owner = optarg; break;
		case 'f': format = optarg; break;
		CLI_COMMON_CASES(c, "accounts");
		}
	}
	if (optind != argc)
		return cli_usage(cli_command("accounts"), "unexpected '%s'",
		    argv[optind]);
	if (strcmp(format, "text") != 0 && strcmp(format, "csv") != 0 &&
	    strcmp(format, "json") != 0)
		return cli_usage(cli_command("accounts"), "--format is text, "
		    "csv or json, not '%s'", format);
	if (strcmp(format, "json") == 0)
		c->json = 1;
	if ((rc = cli_open(c)) != CLI_OK)
		return rc;
	if (owner != NULL && cli_person(c, owner) == NULL)
		return CLI_USAGE;
	if (cadence_view(c->st, c->cfg, c->now, owner, quiet, &v, &n,
	    &err) != 0)
		return cli_fail(CLI_FAIL, err);
	if (c->json)
		cli_print_json(cadence_view_json(v, n, c->cfg->timezone));
	else if (strcmp(format, "csv") == 0)
		accounts_csv(v, n, c->cfg->timezone);
	else
		cadence_view_write_text(v, n, c->cfg->timezone, stdout);
	cadence_view_free(v, n);
	return CLI_OK;
}
