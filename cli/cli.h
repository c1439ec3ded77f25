/*
 * What every nudge command shares: the parsed global options, the loaded
 * configuration and the open store, and how results and errors are shown.
 */
#ifndef NUDGE_CLI_H
#define NUDGE_CLI_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <time.h>

#include "timeutil.h"
#include "typed_offset.h"
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
	struct uc_ctx uc;       /* the use-cases' context: cli_ctx() */
};

/*
 * The use-case request member a value fills (cli_fill()), as the HTTP
 * API's body fields say theirs: an option row's after its help, a
 * sub-command's operand's after its synopsis.  Written as CLI_STR,
 * CLI_FLAG or CLI_ID; left out (CLI_TO_NONE), it fills none.
 */
enum cli_to_type { CLI_TO_NONE, CLI_TO_STR, CLI_TO_FLAG, CLI_TO_ID };
struct cli_to {
	unsigned char type;     /* enum cli_to_type */
	size_t at;              /* its offset (0: the request's first) */
};
/* offsetof(struct m, f), whose type must be T (else it does not build). */
#define CLI_FIELD(m, f, T) TYPED_OFFSET(struct m, f, T)
/* Member m of struct req: a string (NULL when not given), a flag (an int:
 * 1 when given) or a record ID (an int64_t parsed, named by the option
 * in its error).  Its type must be that, else it does not build. */
#define CLI_STR(req, m) .to = { CLI_TO_STR, CLI_FIELD(req, m, const char *) }
#define CLI_FLAG(req, m) .to = { CLI_TO_FLAG, CLI_FIELD(req, m, int) }
#define CLI_ID(req, m) .to = { CLI_TO_ID, CLI_FIELD(req, m, int64_t) }
/* Rows are written as far as they go: most fill no request member, and
 * their struct cli_to is then zero (CLI_TO_NONE), as C has it (the
 * Makefile builds cli/ without -Wmissing-field-initializers). */

/*
 * One option of a (sub-)command: its row in the one table from which the
 * getopt_long array, the usage line, --help and the completion check
 * (tests/integration/test_completion.sh) are all made.  A command reads
 * the value by the row's index (an enum beside the table).
 */
struct cli_opt {
	const char *name;       /* long name, without "--" */
	char letter;            /* short option, or 0 */
	const char *arg;        /* metavar ("WHO"); NULL: a flag */
	unsigned char group;    /* rows sharing a group > 0: give one at most */
	unsigned char need;     /* CLI_NEED: required (one of its group) */
	const char *help;       /* one line: what it does */
	struct cli_to to;       /* the request member it fills */
};
#define CLI_NEED 1
/* The row that ends a table of options, and one of sub-commands. */
#define CLI_OPT_END { .name = NULL }
#define CLI_SUB_END { .name = NULL }
/* Options a table may have; --json and --help come on top. */
#define CLI_OPTS_MAX 12

/* A sub-command ("promise add"), or a command without any (name NULL). */
struct cli_args;
struct cli_sub {
	const char *name;
	const char *operands;   /* "TEXT", "ID", NULL for none */
	int min_args, max_args;
	int (*exec)(struct cli *c, const struct cli_args *a);
	const struct cli_opt *opts;     /* ends with a row named NULL */
	const char *help;       /* one line: what it does */
	const char *synopsis;   /* NULL: made from operands and opts */
	struct cli_to to;       /* the member operand 0 fills */
};

/* One command group, e.g. "promise": its sub-commands end with a row
 * whose exec is NULL. */
struct cli_command {
	const char *name;
	const char *help;
	const struct cli_sub *subs;
};

/* A command line parsed against its table. */
struct cli_args {
	const struct cli_command *cmd;
	const struct cli_sub *sub;
	const char *v[CLI_OPTS_MAX];    /* per row: its value, "" for a
					   flag given, NULL when absent */
	char **arg;                     /* the operands */
	int n;
};

/* Parse argv (argv[0] the sub-command or command name) against sub's
 * table into a; --json sets c->json.  CLI_OK; -1 after printing --help;
 * or the exit status after printing the usage error (naming the missing
 * option, or the near miss of an unknown one). */
int cli_parse(struct cli *c, const struct cli_command *cmd,
    const struct cli_sub *sub, int argc, char **argv, struct cli_args *a);
/* The sub-command of cmd (one that has them) named name (NULL: none
 * given), or NULL after printing a usage error with a did-you-mean. */
const struct cli_sub *cli_find_sub(const struct cli_command *cmd,
    const char *name);
/* The command named name, or NULL after printing the error. */
const struct cli_command *cli_find_command(const char *name);

/* --json and --help, which every table takes after its own rows. */
extern const struct cli_opt cli_common_opts[];
/* Rows of a table. */
size_t cli_opts_count(const struct cli_opt *opts);
/* The getopt_long array of a table (with common, --json and --help too)
 * into lo (rows + 3), its short options after prefix into shorts
 * (2 * rows + 8 with the prefix). */
struct option;
void cli_getopt_table(const struct cli_opt *opts, int common,
    const char *prefix, struct option *lo, char *shorts);

/* --help: the usage and options of sub (NULL: of every sub-command of
 * cmd) on stdout; CLI_OK. */
int cli_help(const struct cli_command *cmd, const struct cli_sub *sub);
/* "usage: nudge promise add ...", "   or: ..." for only, or for every
 * sub-command of cmd (only NULL), on f. */
void cli_usage_lines(FILE *f, const struct cli_command *cmd,
    const struct cli_sub *only);
/* nudge's own usage: global options and the commands, on f. */
void cli_help_commands(FILE *f);
/* The usage line of sub on f: "nudge promise add TEXT --owner WHO ...". */
void cli_synopsis(FILE *f, const struct cli_command *cmd,
    const struct cli_sub *sub);

/* Load the configuration (once). Prints the error; returns an exit status. */
int cli_load_config(struct cli *c);
/* Load config and open the store: cli_open() to read (a database at
 * this binary's schema, never created nor migrated: none is an error
 * saying how to make one), cli_open_write() to write (created and
 * migrated as needed).  A file that is not nudge's is refused, exit 2,
 * untouched.  Exit status. */
int cli_open(struct cli *c);
int cli_open_write(struct cli *c);
/* cli_open() for a list narrowed to owner (NULL: everyone's), who must
 * be one of the people (else a usage error).  Exit status. */
int cli_open_owner(struct cli *c, const char *owner);

/* c->uc, the context a use-case is called in: the configuration loaded
 * (the store is opened by the use-case, into c->st).  Exit status. */
int cli_ctx(struct cli *c);
/* What a use-case returned as an exit status: CLI_OK, or its failure's
 * message printed (*errp freed) and CLI_USAGE for refused input,
 * CLI_FAIL for the rest. */
int cli_uc_status(enum uc_status st, char **errp);

/* Errors: "nudge: <msg>" on stderr.  cli_fail frees msg. */
int cli_fail(int status, char *msg);
int cli_failx(int status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Usage error for the command line a: message plus its usage line. */
int cli_usage(const struct cli_args *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The value of option row, --format text|csv|json (default text): json
 * sets c->json, *csv is 1 for csv.  CLI_OK or the usage error's status. */
int cli_format(struct cli *c, const struct cli_args *a, int row, int *csv);
/* The rows every table that has them shares: --format as cli_format()
 * reads it, and a list's --owner (cli_open_owner() checks the person). */
#define CLI_OPT_FORMAT { "format", 0, "text|csv|json", 0, 0, \
	"how to write it (default text)" }
#define CLI_OPT_OWNER { "owner", 0, "WHO", 0, 0, "only this person's" }
/* A new record's rows, filling struct req's members: its owner (who: what
 * the owner is to it), its account and the deal it belongs to (group g:
 * one of the two, or the account alone with g 0). */
#define CLI_OPT_OWNER_OF(req, who) { "owner", 0, "WHO", 0, CLI_NEED, \
	who " (a handle from the configuration)", CLI_STR(req, owner) }
#define CLI_OPT_ACCOUNT(req, g) { "account", 0, "NAME", g, CLI_NEED, \
	"the customer's account (made when new)", CLI_STR(req, account) }
#define CLI_OPT_DEAL(req, g) { "deal", 0, "ID", g, CLI_NEED, \
	"the deal it belongs to (and its account)", CLI_ID(req, deal_id) }

/* A use-case's request req (size bytes) from the command line a: zeroed,
 * each option whose row says a member (CLI_STR, CLI_FLAG, CLI_ID) and
 * operand 0 (as the sub-command's row says) put there; then cli_ctx().
 * The exit status (a bad ID said as a usage error). */
int cli_fill(struct cli *c, const struct cli_args *a, void *req,
    size_t size);

/* Parse a positive record id. */
int cli_parse_id(const char *s, const char *what, int64_t *id);
/* The same for operand i of a; the exit status (printed when bad). */
int cli_arg_id(const struct cli_args *a, int i, const char *what,
    int64_t *id);
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
/* "Wed 2026-12-02 10:00" for a table's column of CLI_TIME_COLS. */
#define CLI_TIME_COLS 20
const char *cli_table_time(struct cli *c, time_t t, const char *zone,
    char *buf, size_t len);
/* Columns of the terminal on stdout, else $COLUMNS, else 80. */
int cli_width(void);
/* One cell of a table: s cut to width columns with "…" (never inside a
 * character) and padded to it, then a space; the last cell ends the
 * line instead. */
void cli_cell(const char *s, int width, int last);
/* A column of a table: its heading and its width; the last column's
 * width 0 takes what the terminal has left.  A table ends with
 * CLI_COL_END. */
struct cli_col {
	const char *head;
	int width;
};
#define CLI_COL_END { NULL, 0 }
/* A table as a list prints it: its columns, and the width of the last
 * (a width 0 worked out from the terminal once, for every row). */
struct cli_table {
	const struct cli_col *cols;
	int last;
};
/* The headings of the table cols (into t) for a list of n rows of what,
 * as text (not --json): 1 when its rows are to be printed, 0 for an
 * empty list (on a terminal "no <what>", into a pipe nothing). */
int cli_table_head(const struct cli *c, size_t n, const char *what,
    const struct cli_col *cols, struct cli_table *t);
/* One row of the table t, cells[i] in column i. */
void cli_table_row(const struct cli_table *t, const char *const *cells);

/* How a list command prints its records: with --json an array of each
 * one's json(), else the table cols of each one's row() (printed with
 * cli_table_row() into t), or, empty, "no <what>" on a terminal.  A
 * record kind (cli/records.c) is one whose list is its first member. */
struct cli_list {
	const char *what;
	const struct cli_col *cols;
	json_t *(*json)(struct cli *c, const struct cli_list *l,
	    const void *e);
	void (*row)(struct cli *c, const struct cli_list *l,
	    const struct cli_table *t, const void *e);
	size_t size;                    /* bytes of one record */
	void (*free_list)(void *v, size_t n);   /* frees the n at v */
};
/* name_list_drop(): free_fn (a model's X_list_free()) as a cli_list's
 * free_list, and name_list_print: the cli_list of records of type T
 * freed by it, shown as cols, json and row say. */
#define CLI_LIST_FREE(name, free_fn)                                        \
	static void name##_list_drop(void *v, size_t n)                     \
	{                                                                   \
		free_fn(v, n);                                              \
	}
#define CLI_LIST(name, T, free_fn, what, cols, json, row)                  \
	CLI_LIST_FREE(name, free_fn)                                        \
	static const struct cli_list name##_list_print = {                  \
		what, cols, json, row, sizeof(T), name##_list_drop,         \
	}
/* What a list function returned (listed 0, or -1 with err): the list v
 * of n printed as l says and freed, or err said.  Exit status. */
int cli_list_out(struct cli *c, const struct cli_list *l, int listed,
    char *err, void *v, size_t n);

/*
 * A kind of record listed by owner (deal, promise, follow-up): a model m
 * with its struct m, m_list(st, filter, ...), m_list_free(), m_get(),
 * m_clear() and m_json().  Its table is ID, the state, OWNER, ACCOUNT
 * (with_account), a moment in the owner's zone and a text; the fields
 * are read at their offsets.
 */
struct cli_record {
	struct cli_list list;           /* first: its list is the record */
	const char *noun;               /* "deal": an ID operand's */
	int with_account;
	size_t id, state, owner, account, when, text;
	json_t *(*json)(const void *e, const char *zone);
	int (*get)(struct store *st, const void *filter, void **v, size_t *n,
	    char **errp);
	void (*clear)(void *e);
	int (*get_id)(struct store *st, int64_t id, void *e, char **errp);
};
/* A record kind's list's json and row (l is a struct cli_record's). */
json_t *cli_record_json(struct cli *c, const struct cli_list *l,
    const void *e);
void cli_record_row(struct cli *c, const struct cli_list *l,
    const struct cli_table *t, const void *e);
/* The ACCOUNT column of a record kind's table, with_account 1 or 0. */
#define CLI_RECORD_ACCOUNT_1 { "ACCOUNT", 12 },
#define CLI_RECORD_ACCOUNT_0
/* m_record: model m as a cli_record ("deal", "deals", "STAGE" 5 wide
 * at stage, "CLOSES" at closes_at, "TITLE" at title, ACCOUNT or not:
 * with_account a literal 1 or 0). */
#define CLI_RECORD(m, noun, what, shead, swidth, state, whead, when, thead, \
    text, with_account)                                                     \
	static json_t *m##_record_json(const void *e, const char *zone)     \
	{                                                                   \
		return m##_json(e, zone);                                   \
	}                                                                   \
	static int m##_record_get(struct store *st, const void *f,          \
	    void **v, size_t *n, char **errp)                               \
	{                                                                   \
		struct m *l = NULL;                                         \
		int rc = m##_list(st, f, &l, n, errp);                      \
		*v = l;                                                     \
		return rc;                                                  \
	}                                                                   \
	static int m##_record_get_id(struct store *st, int64_t id, void *e, \
	    char **errp)                                                    \
	{                                                                   \
		return m##_get(st, id, e, errp);                            \
	}                                                                   \
	static void m##_record_clear(void *e)                               \
	{                                                                   \
		m##_clear(e);                                               \
	}                                                                   \
	CLI_LIST_FREE(m, m##_list_free)                                     \
	static const struct cli_col m##_record_cols[] = {                   \
		{ "ID", 5 }, { shead, swidth }, { "OWNER", 8 },             \
		CLI_RECORD_ACCOUNT_##with_account { whead, CLI_TIME_COLS }, \
		{ thead, 0 }, CLI_COL_END,                                  \
	};                                                                  \
	static const struct cli_record m##_record = {                       \
		{ what, m##_record_cols, cli_record_json, cli_record_row,   \
		    sizeof(struct m), m##_list_drop }, noun, with_account,  \
		CLI_FIELD(m, id, int64_t), CLI_FIELD(m, state, char *),     \
		CLI_FIELD(m, owner, char *), CLI_FIELD(m, account, char *), \
		CLI_FIELD(m, when, int64_t), CLI_FIELD(m, text, char *),    \
		m##_record_json, m##_record_get, m##_record_clear,          \
		m##_record_get_id,                                          \
	}
/* A list command's end: the records of r filter picks (for owner, NULL:
 * everyone's, who must be one of the people) printed.  Exit status. */
int cli_record_list(struct cli *c, const struct cli_record *r,
    const void *filter, const char *owner);
/* How record e is said for people (--json: its JSON in its owner's
 * zone). */
typedef void cli_human_fn(struct cli *c, const void *e);
/* What a use-case writing record e gave: its failure said, or the daemon
 * woken and e printed (human() or its JSON).  Clears e; exit status. */
int cli_record_done(struct cli *c, const struct cli_record *r,
    enum uc_status st, char **errp, void *e, cli_human_fn *human);
/* `m add` as its exec m_add: struct uc_m_add filled from the command
 * line, uc_m_add() called with an m to write, and that said as
 * cli_record_done() says it (human: for people). */
typedef enum uc_status cli_add_fn(struct uc_ctx *ctx, const void *req,
    void *e, char **errp);
int cli_record_add(struct cli *c, const struct cli_args *a,
    const struct cli_record *r, void *req, size_t size, cli_add_fn *add,
    void *e, cli_human_fn *human);
/* m_list_cmd: `m list`, the records of m filtered by the owner option
 * at row who and by the state named by the one flag given of rows first
 * to last, into the filter's member state_member (the flags' names are
 * the states; none given: the filter's default). */
#define CLI_RECORD_LIST(m, state_member, who, first, last)                   \
	static int m##_list_cmd(struct cli *c, const struct cli_args *a)    \
	{                                                                   \
		struct m##_filter f = { .owner = a->v[who], .state_member = \
		    cli_given_name(a, first, last) };                       \
		return cli_record_list(c, &m##_record, &f, f.owner);        \
	}
#define CLI_RECORD_ADD(m, human)                                            \
	static enum uc_status m##_record_add(struct uc_ctx *ctx,            \
	    const void *req, void *e, char **errp)                          \
	{                                                                   \
		return uc_##m##_add(ctx, req, e, errp);                     \
	}                                                                   \
	static int m##_add(struct cli *c, const struct cli_args *a)         \
	{                                                                   \
		struct uc_##m##_add req;                                    \
		struct m e;                                                 \
		return cli_record_add(c, a, &m##_record, &req, sizeof(req), \
		    m##_record_add, &e, human);                             \
	}
/* A command changing the record operand 0 of a names (deal won, promise
 * kept, follow-up snoozed): its kind's one use-case called on record id
 * with what a gives, into record e.  The use-case's status. */
typedef enum uc_status cli_change_fn(struct cli *c, const struct cli_args *a,
    int64_t id, void *e, char **errp);
/* The ID read (in the context of the change), change() called into e,
 * and that said as cli_record_done() says it.  Exit status. */
int cli_record_change(struct cli *c, const struct cli_args *a,
    const struct cli_record *r, cli_change_fn *change, void *e,
    cli_human_fn *human);
/* change_cmd: a command of kind m whose change is change(), said as
 * human() says it. */
#define CLI_RECORD_CHANGE(m, change, human)                                 \
	static int change##_cmd(struct cli *c, const struct cli_args *a)    \
	{                                                                   \
		struct m e;                                                 \
		return cli_record_change(c, a, &m##_record, change, &e,     \
		    human);                                                 \
	}
/* Record e of kind r that operand 0 of a names (its id in *id), read
 * from the store opened to read.  Exit status, the error said. */
int cli_record_get(struct cli *c, const struct cli_args *a,
    const struct cli_record *r, void *e, int64_t *id);
/* `show ID`: that record (held in e) printed as human() says it (or its
 * JSON), then cleared.  Exit status. */
int cli_record_show(struct cli *c, const struct cli_args *a,
    const struct cli_record *r, void *e, cli_human_fn *human);
/* The name of the first option of rows from..to given (a list's --open,
 * --won: the state it asks for), or NULL. */
const char *cli_given_name(const struct cli_args *a, int from, int to);

/* Colour only on a terminal and never with NO_COLOR. */
int cli_color(void);

/* Command groups, one file each: their sub-command tables. */
extern const struct cli_sub cli_account_subs[], cli_accounts_subs[],
    cli_agenda_subs[], cli_calendar_subs[], cli_config_subs[],
    cli_contact_subs[], cli_db_subs[], cli_deal_subs[], cli_delivery_subs[],
    cli_export_subs[], cli_followup_subs[], cli_import_subs[],
    cli_link_subs[], cli_notify_test_subs[], cli_promise_subs[],
    cli_report_subs[], cli_status_subs[], cli_token_subs[], cli_help_subs[];
/* nudge's own options, before the command. */
extern const struct cli_opt cli_global_opts[];

extern const struct cli_command cli_commands[];

#endif
