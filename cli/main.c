/*
 * nudge: log deals, promises and follow-ups; see what is due.
 * Global options, then one command group from the table below.
 */
#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "config.h"
#include "notice.h"
#include "store.h"
#include "timeutil.h"

/* Alphabetical; adding a command = one file, one row here.  Its
 * sub-commands and their options are tables in its file. */
const struct cli_command cli_commands[] = {
	{ "account", "an account's stay-in-touch reminders paused or resumed",
	    cli_account_subs },
	{ "accounts", "every account's last touch: who is going quiet",
	    cli_accounts_subs },
	{ "agenda", "what is coming, day by day", cli_agenda_subs },
	{ "calendar", "a person's calendar feed: its secret address, or "
	    "the feed", cli_calendar_subs },
	{ "config", "validate the configuration", cli_config_subs },
	{ "contact", "log a touch of an account (a call, a visit, a message)",
	    cli_contact_subs },
	{ "db", "the database's schema, integrity and backup", cli_db_subs },
	{ "deal", "deals and their stage", cli_deal_subs },
	{ "delivery", "deliveries queued, failing or dead; retry or dismiss",
	    cli_delivery_subs },
	{ "export", "every kind as JSON, or as CSV one kind per file",
	    cli_export_subs },
	{ "followup", "reminders to come back to a customer",
	    cli_followup_subs },
	{ "help", "the commands, or one command's options", cli_help_subs },
	{ "import", "an export, or deals, promises or follow-ups from CSV",
	    cli_import_subs },
	{ "link", "a follow-up's action link; the links' signing key",
	    cli_link_subs },
	{ "notify-test", "queue a test reminder on a person's channels",
	    cli_notify_test_subs },
	{ "promise", "promises made to customers and how they ended",
	    cli_promise_subs },
	{ "report", "the promise ledger per owner", cli_report_subs },
	{ "status", "the daemon, pending, failing and dead deliveries",
	    cli_status_subs },
	{ "token", "the HTTP API's tokens: add, list, revoke",
	    cli_token_subs },
	{ NULL, NULL, NULL },
};

const struct cli_opt cli_global_opts[] = {
	{ "config", 'c', "CONFIG", 0, 0,
	    "the configuration (default $NUDGE_CONFIG)" },
	{ "database", 'd', "DATABASE", 0, 0,
	    "this database, not the configuration's" },
	{ "json", 0, NULL, 0, 0, "print every result as JSON" },
	{ "help", 'h', NULL, 0, 0, "show this help" },
	{ "version", 'V', NULL, 0, 0, "print the version" },
	CLI_OPT_END,
};

/* NUDGE_NOW pins the clock (ISO 8601), so scripts and tests can replay a
 * day deterministically. */
static int
main_now(struct cli *c)
{
	const char *s = getenv("NUDGE_NOW");
	char *err = NULL;
	time_t t;

	c->now = time(NULL);
	if (s == NULL || *s == '\0')
		return 0;
	if (timeutil_parse_when(s, c->now, "UTC", 0, NULL, &t, &err) != 0) {
		fprintf(stderr, "nudge: NUDGE_NOW: %s\n", err);
		free(err);
		return -1;
	}
	c->now = t;
	return 0;
}

/* The library's passing remarks (a wall time the clocks skip) go to
 * stderr, beside the result. */
static void
main_notice(enum notice_level level, const char *msg)
{
	fprintf(stderr, "nudge: %s%s\n", level == NOTICE_WARN ? "warning: " :
	    "", msg);
}

/* Global options: 0 to go on to the command, else exit with *rc. */
static int
main_options(struct cli *c, int *argc, char ***argv, int *rc)
{
	struct option lo[CLI_OPTS_MAX + 3];
	char shorts[2 * CLI_OPTS_MAX + 8];
	int ch;

	/* '+': stop at the command name; its options are its own. */
	cli_getopt_table(cli_global_opts, 0, "+", lo, shorts);
	*rc = CLI_OK;
	while ((ch = getopt_long(*argc, *argv, shorts, lo, NULL)) != -1) {
		switch (ch) {
		case 'c': c->config_path = optarg; break;
		case 'd': c->db_path = optarg; break;
		case 'h': cli_help_commands(stdout); return 1;
		case 'V': printf("nudge %s\n", NUDGE_VERSION); return 1;
		case '?': cli_help_commands(stderr); *rc = CLI_USAGE; return 1;
		default: c->json = 1; break;    /* --json */
		}
	}
	*argc -= optind;
	*argv += optind;
	if (*argc < 1) {
		cli_help_commands(stderr);
		*rc = CLI_USAGE;
		return 1;
	}
	return 0;
}

/* The command line after the global options: its command, sub-command
 * and options, then the one call. */
static int
main_command(struct cli *c, int argc, char **argv)
{
	const struct cli_command *cmd;
	const struct cli_sub *sub;
	struct cli_args a;
	int i, rc;

	if ((cmd = cli_find_command(argv[0])) == NULL)
		return CLI_USAGE;
	if (cmd->subs[0].name == NULL)
		sub = cmd->subs;
	else if (argc > 1 && (strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0))
		return cli_help(cmd, NULL);
	else if ((sub = cli_find_sub(cmd, argc > 1 ? argv[1] : NULL)) == NULL)
		return CLI_USAGE;
	else {
		argc--;
		argv++;
	}
	/* --help anywhere before "--" answers for the command, whatever its
	 * own parser would make of it (never a file named "--help"). */
	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0)
			return cli_help(cmd, sub);
	if ((rc = cli_parse(c, cmd, sub, argc, argv, &a)) != CLI_OK)
		return rc < 0 ? CLI_OK : rc;
	return sub->exec(c, &a);
}

int
main(int argc, char **argv)
{
	struct cli c;
	int rc;

	memset(&c, 0, sizeof(c));
	/* Everything nudge stores is UTF-8: character widths for the tables
	 * (wcwidth) are UTF-8's whatever the locale; nothing else changes. */
	setlocale(LC_CTYPE, "C.UTF-8");
	notice_set_handler(main_notice);
	if (main_options(&c, &argc, &argv, &rc) != 0)
		return rc;
	if (c.config_path == NULL)
		c.config_path = config_default_path();
	if (main_now(&c) != 0)
		return CLI_USAGE;
	rc = main_command(&c, argc, argv);
	store_close(c.st);
	config_free(c.cfg);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("nudge: stdout");
		return rc != 0 ? rc : CLI_FAIL;
	}
	return rc;
}
