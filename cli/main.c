/*
 * nudge: log deals, promises and follow-ups; see what is due.
 * Global options, then one command group from the table below.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "config.h"
#include "notice.h"
#include "store.h"
#include "timeutil.h"

/* Alphabetical; adding a command = one file, one row here. */
const struct cli_command cli_commands[] = {
	{ "agenda", cmd_agenda, "agenda [--owner WHO] [--days N]" },
	{ "config", cmd_config, "config check" },
	{ "db", cmd_db, "db migrate | db check | db backup FILE" },
	{ "deal", cmd_deal,
	    "deal add TITLE --account NAME --owner WHO [--value AMOUNT] "
	    "[--currency CUR] [--closes WHEN]\n"
	    "       deal won|lost ID [--at WHEN] | deal show ID | "
	    "deal list [--owner WHO] [--open|--won|--lost]" },
	{ "delivery", cmd_delivery,
	    "delivery list [--dead|--failing] | delivery show ID\n"
	    "       delivery retry (ID | --all-dead) [--note TEXT] | "
	    "delivery dismiss ID [--note TEXT]" },
	{ "export", cmd_export,
	    "export [--format json|csv] [--accounts] [--deals] [--promises] "
	    "[--followups] [--output-dir DIR]" },
	{ "followup", cmd_followup,
	    "followup add TEXT --owner WHO (--account NAME | --deal ID) "
	    "(--at WHEN | --in DURATION)\n"
	    "       followup done ID [--note TEXT] | followup snooze ID "
	    "(DURATION | --until WHEN)\n"
	    "       followup cancel ID | followup show ID | followup list "
	    "[--owner WHO] [--done|--cancelled]" },
	{ "import", cmd_import,
	    "import FILE|DIR | --deals FILE | --promises FILE [--force] | "
	    "--followups FILE | --accounts FILE" },
	{ "link", cmd_link,
	    "link make ID [--ttl DURATION] | link rotate-key [--revoke]" },
	{ "notify-test", cmd_notify_test, "notify-test WHO" },
	{ "promise", cmd_promise,
	    "promise add TEXT --owner WHO (--account NAME | --deal ID) "
	    "--due WHEN [--to CONTACT] [--strict]\n"
	    "       promise kept ID [--at WHEN] | promise broken ID | "
	    "promise cancel ID | promise show ID\n"
	    "       promise renegotiate ID --due WHEN [--note TEXT]\n"
	    "       promise list [--owner WHO] [--open|--overdue|--kept]" },
	{ "report", cmd_report,
	    "report [--since WHEN] [--owner WHO] [--format text|csv|json] "
	    "[--plot FILE.png]" },
	{ "status", cmd_status, "status" },
	{ NULL, NULL, NULL },
};

static void
usage(FILE *f)
{
	const struct cli_command *cmd;

	fprintf(f, "usage: nudge [-c CONFIG] [-d DATABASE] [--json] "
	    "COMMAND ...\n\ncommands:\n");
	for (cmd = cli_commands; cmd->name != NULL; cmd++)
		fprintf(f, "  %s\n", cmd->usage);
	fprintf(f, "\n`nudge COMMAND --help` for one command; nudge(1) for "
	    "the whole story.\n");
}

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

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "database", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'J' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const struct cli_command *cmd;
	struct cli c;
	int ch, rc;

	memset(&c, 0, sizeof(c));
	notice_set_handler(main_notice);
	/* '+': stop at the command name; its options are its own. */
	while ((ch = getopt_long(argc, argv, "+c:d:hV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			c.config_path = optarg;
			break;
		case 'd':
			c.db_path = optarg;
			break;
		case 'J':
			c.json = 1;
			break;
		case 'h':
			usage(stdout);
			return CLI_OK;
		case 'V':
			printf("nudge %s\n", NUDGE_VERSION);
			return CLI_OK;
		default:
			usage(stderr);
			return CLI_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1) {
		usage(stderr);
		return CLI_USAGE;
	}
	if (c.config_path == NULL)
		c.config_path = config_default_path();
	if (main_now(&c) != 0)
		return CLI_USAGE;
	for (cmd = cli_commands; cmd->name != NULL; cmd++)
		if (strcmp(cmd->name, argv[0]) == 0)
			break;
	if (cmd->name == NULL) {
		fprintf(stderr, "nudge: unknown command '%s'\n", argv[0]);
		usage(stderr);
		return CLI_USAGE;
	}
	/* --help anywhere before "--" answers for the command, whatever its
	 * own parser would make of it (never a file named "--help"). */
	for (ch = 1; ch < argc && strcmp(argv[ch], "--") != 0; ch++)
		if (strcmp(argv[ch], "--help") == 0 ||
		    strcmp(argv[ch], "-h") == 0) {
			printf("usage: nudge %s\n", cmd->usage);
			return CLI_OK;
		}
	optind = 0;     /* reset getopt for the command */
	rc = cmd->exec(&c, argc, argv);
	store_close(c.st);
	config_free(c.cfg);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("nudge: stdout");
		return rc != 0 ? rc : CLI_FAIL;
	}
	return rc;
}
