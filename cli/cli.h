/*
 * What every nudge command shares: the parsed global options, the loaded
 * configuration and the open store, and how results and errors are shown.
 */
#ifndef NUDGE_CLI_H
#define NUDGE_CLI_H

#include <getopt.h>
#include <jansson.h>
#include <stdint.h>
#include <time.h>

#include "timeutil.h"
#include "usecase.h"

struct config;
struct config_person;
struct store;

/* Exit statuses (documented in nudge(1)). */
#define CLI_OK      0
#define CLI_FAIL    1   /* anything that is not the user's input */
#define CLI_USAGE   2   /* bad usage or bad input: nothing was written */

struct cli {
	const char *config_path;
	const char *db_path;    /* -d overrides the config's database */
	int json;
	time_t now;
	struct config *cfg;
	struct store *st;
};

/* One command group, e.g. "promise".  exec gets argv with argv[0] the
 * group name and returns an exit status. */
struct cli_command {
	const char *name;
	int (*exec)(struct cli *c, int argc, char **argv);
	const char *usage;
};

/* Long options every command accepts after its name. */
#define CLI_COMMON_LONGOPTS \
	{ "json", no_argument, NULL, 'J' }, \
	{ "help", no_argument, NULL, 'h' }
/* ... and the end of a command's table of them. */
#define CLI_COMMON_LONGOPTS_END CLI_COMMON_LONGOPTS, { NULL, 0, NULL, 0 }

/* The cases every command's option switch ends with: --json, --help
 * (its usage, exit 0), and an option it does not take. */
#define CLI_COMMON_CASES(c, name) \
	case 'J': (c)->json = 1; break; \
	case 'h': return cli_help(name); \
	default: return cli_usage(cli_command(name), "bad option")

/* Print the usage line of command `name`; CLI_OK. */
int cli_help(const char *name);

/* Load the configuration (once). Prints the error; returns an exit status. */
int cli_load_config(struct cli *c);
/* Load config and open the store: cli_open() to read (a database at
 * this binary's schema, never created nor migrated: none is an error
 * saying how to make one), cli_open_write() to write (created and
 * migrated as needed).  A file that is not nudge's is refused, exit 2,
 * untouched.  Exit status. */
int cli_open(struct cli *c);
int cli_open_write(struct cli *c);

/* The use-case context of c: its configuration loaded (the store is
 * opened by the use-case, into c->st).  Exit status. */
int cli_ctx(struct cli *c, struct uc_ctx *ctx);
/* A use-case that did not succeed: its message printed, its exit status
 * (CLI_USAGE for refused input, CLI_FAIL for the rest).  Frees err. */
int cli_uc_fail(enum uc_status rc, char *err);

/* Errors: "nudge: <msg>" on stderr.  cli_fail frees msg. */
int cli_fail(int status, char *msg);
int cli_failx(int status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Usage error for a command: message plus its usage line. */
int cli_usage(const struct cli_command *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Parse a positive record id. */
int cli_parse_id(const char *s, const char *what, int64_t *id);
/* "GROUP SUB ID [--json]": argv[-1] must be the group name.  Returns 0
 * with *id set, 1 after printing --help, -1 after printing the error. */
int cli_parse_only_id(struct cli *c, int argc, char **argv, const char *what,
    int64_t *id);
/* The same with an optional --at WHEN into *at (left alone without). */
int cli_parse_id_at(struct cli *c, int argc, char **argv, const char *what,
    int64_t *id, const char **at);
/* The person for handle, or a usage error listing the known ones. */
const struct config_person *cli_person(struct cli *c, const char *handle);
/* Parse WHEN in the person's zone (the team's without one); default_min
 * is the time of day used when only a date is given.  Prints the error. */
int cli_parse_when(struct cli *c, const struct config_person *p,
    const char *s, int default_min, const char *what, time_t *out);

/* Wake the daemon after a committed write (never fails). */
void cli_wake(struct cli *c);

/* Print a JSON value (and decref it). */
int cli_print_json(json_t *v);
/* ISO 8601 of t in zone into buf ("-" for 0). */
const char *cli_iso(time_t t, const char *zone, char *buf, size_t len);
/* "Wed 2026-12-02 10:00 (in 3 days)" for people. */
const char *cli_human_time(struct cli *c, time_t t, const char *zone,
    char *buf, size_t len);
/* Colour only on a terminal and never with NO_COLOR. */
int cli_color(void);

/* Command groups, one file each. */
int cmd_agenda(struct cli *c, int argc, char **argv);
int cmd_config(struct cli *c, int argc, char **argv);
int cmd_db(struct cli *c, int argc, char **argv);
int cmd_deal(struct cli *c, int argc, char **argv);
int cmd_delivery(struct cli *c, int argc, char **argv);
int cmd_export(struct cli *c, int argc, char **argv);
int cmd_followup(struct cli *c, int argc, char **argv);
int cmd_import(struct cli *c, int argc, char **argv);
int cmd_link(struct cli *c, int argc, char **argv);
int cmd_notify_test(struct cli *c, int argc, char **argv);
int cmd_promise(struct cli *c, int argc, char **argv);
int cmd_report(struct cli *c, int argc, char **argv);
int cmd_status(struct cli *c, int argc, char **argv);

extern const struct cli_command cli_commands[];
/* The table row for name (which must exist). */
const struct cli_command *cli_command(const char *name);

#endif
