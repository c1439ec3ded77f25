/*
 * Command lines read against the option tables (struct cli_opt): the
 * getopt_long array is made from the table, and every refusal names what
 * is wrong: the missing option, the option given twice, the near miss of
 * an unknown command, sub-command or option.
 */
#include "cli.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

/* getopt's value for table row i (rows without a letter). */
#define CLI_VAL(i)      (256 + (int)(i))
#define CLI_VAL_JSON    CLI_VAL(CLI_OPTS_MAX)

const struct cli_opt cli_common_opts[] = {
	{ "json", 0, NULL, 0, 0, "print the result as JSON" },
	{ "help", 'h', NULL, 0, 0, "show this help" },
	CLI_OPT_END,
};

size_t
cli_opts_count(const struct cli_opt *opts)
{
	size_t n = 0;

	while (opts != NULL && opts[n].name != NULL)
		n++;
	return n;
}

/* One row into the getopt_long array and the short-option string. */
static void
cli_getopt_row(const struct cli_opt *o, int val, struct option *lo,
    char *shorts, size_t *k)
{
	lo->name = o->name;
	lo->has_arg = o->arg != NULL ? required_argument : no_argument;
	lo->flag = NULL;
	lo->val = o->letter != 0 ? o->letter : val;
	if (o->letter == 0)
		return;
	shorts[(*k)++] = o->letter;
	if (o->arg != NULL)
		shorts[(*k)++] = ':';
}

void
cli_getopt_table(const struct cli_opt *opts, int common, const char *prefix,
    struct option *lo, char *shorts)
{
	size_t n = cli_opts_count(opts), i, k = strlen(prefix);

	memcpy(shorts, prefix, k);
	for (i = 0; i < n; i++)
		cli_getopt_row(&opts[i], CLI_VAL(i), &lo[i], shorts, &k);
	if (common) {
		cli_getopt_row(&cli_common_opts[0], CLI_VAL_JSON, &lo[n++],
		    shorts, &k);
		cli_getopt_row(&cli_common_opts[1], 0, &lo[n++], shorts, &k);
	}
	memset(&lo[n], 0, sizeof(lo[n]));
	shorts[k] = '\0';
}

/* Value v (NULL: not given) at to's member of req; named what in its
 * error.  0, or -1 with the usage error said. */
static int
cli_put(const struct cli_to *to, const char *v, const char *what, void *req)
{
	char *at = (char *)req + to->at;
	int64_t id;
	int flag = v != NULL;

	if (to->type == CLI_TO_STR)
		memcpy(at, &v, sizeof(v));
	else if (to->type == CLI_TO_FLAG)
		memcpy(at, &flag, sizeof(flag));
	else if (to->type == CLI_TO_ID && v != NULL) {
		if (cli_parse_id(v, what, &id) != 0)
			return -1;
		memcpy(at, &id, sizeof(id));
	}
	return 0;
}

int
cli_fill(struct cli *c, const struct cli_args *a, void *req, size_t size)
{
	const struct cli_opt *o = a->sub->opts;
	size_t i, n = cli_opts_count(o);

	memset(req, 0, size);
	for (i = 0; i < n; i++)
		if (cli_put(&o[i].to, a->v[i], o[i].name, req) != 0)
			return CLI_USAGE;
	if (a->n > 0 && cli_put(&a->sub->to, a->arg[0], a->sub->operands,
	    req) != 0)
		return CLI_USAGE;
	return cli_ctx(c);
}

/* The row of a table getopt_long returned val for, or -1. */
static int
cli_row_of(const struct cli_opt *opts, size_t n, int val)
{
	size_t i;

	if (val >= CLI_VAL(0) && val < CLI_VAL(n))
		return val - CLI_VAL(0);
	for (i = 0; i < n; i++)
		if (opts[i].letter != 0 && opts[i].letter == val)
			return (int)i;
	return -1;
}

/* "--ownr": an unknown option, with the table's near miss. */
static int
cli_unknown_option(const struct cli_args *a, const char *word)
{
	const struct cli_opt *o;
	const char *near = NULL;
	size_t best = TEXT_NEAR_START, len;
	char typed[40];

	len = strcspn(word, "=");
	snprintf(typed, sizeof(typed), "%.*s", (int)(len < 39 ? len : 39),
	    word + strspn(word, "-"));
	for (o = a->sub->opts; o != NULL && o->name != NULL; o++)
		if (text_nearer(typed, o->name, &best))
			near = o->name;
	for (o = cli_common_opts; o->name != NULL; o++)
		if (text_nearer(typed, o->name, &best))
			near = o->name;
	if (near != NULL)
		return cli_usage(a, "unknown option '%.*s'; did you mean "
		    "'--%s'?", (int)len, word, near);
	return cli_usage(a, "unknown option '%.*s'", (int)len, word);
}

/* "--a, --b or --c": the options of group g, on f. */
static void
cli_group_names(FILE *f, const struct cli_opt *opts, size_t n, int g)
{
	size_t i, left = 0;

	for (i = 0; i < n; i++)
		left += opts[i].group == g;
	for (i = 0; i < n; i++)
		if (opts[i].group == g) {
			left--;
			fprintf(f, "--%s%s", opts[i].name, left > 1 ? ", " :
			    left == 1 ? " or " : "");
		}
}

/* Whether row i, or another of its group, was given. */
static int
cli_given(const struct cli_args *a, size_t n, size_t i)
{
	const struct cli_opt *opts = a->sub->opts;
	size_t j;

	for (j = 0; j < n; j++)
		if ((j == i || (opts[i].group != 0 &&
		    opts[j].group == opts[i].group)) && a->v[j] != NULL)
			return 1;
	return 0;
}

/* Name every required option (or group) not given, on f; 0 when none. */
static int
cli_missing(FILE *f, const struct cli_args *a, size_t n)
{
	const struct cli_opt *opts = a->sub->opts;
	size_t miss[CLI_OPTS_MAX], i, j, k = 0;

	for (i = 0; i < n; i++) {
		if (opts[i].need != CLI_NEED || cli_given(a, n, i))
			continue;
		/* A group is named once, at its first row. */
		for (j = 0; j < k; j++)
			if (opts[i].group != 0 &&
			    opts[miss[j]].group == opts[i].group)
				break;
		if (j == k)
			miss[k++] = i;
	}
	for (j = 0; j < k; j++) {
		i = miss[j];
		fprintf(f, "%s", j == 0 ? "" : j + 1 < k ? ", " : " and ");
		if (opts[i].group == 0)
			fprintf(f, "--%s", opts[i].name);
		else {
			fprintf(f, "one of ");
			cli_group_names(f, opts, n, opts[i].group);
		}
	}
	return k > 0;
}

/* Two of a group given: the first group found, or 0. */
static int
cli_crowded_group(const struct cli_args *a, size_t n)
{
	const struct cli_opt *opts = a->sub->opts;
	size_t i, j;

	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (opts[i].group != 0 &&
			    opts[j].group == opts[i].group &&
			    a->v[i] != NULL && a->v[j] != NULL)
				return opts[i].group;
	return 0;
}

/* "promise add" (or "status"), for messages. */
static const char *
cli_full_name(const struct cli_args *a, char *buf, size_t len)
{
	if (a->sub->name == NULL)
		snprintf(buf, len, "%s", a->cmd->name);
	else
		snprintf(buf, len, "%s %s", a->cmd->name, a->sub->name);
	return buf;
}

/* After the options: the operands, the required options, the
 * alternatives.  CLI_OK or the usage error's status. */
static int
cli_check(const struct cli_args *a, size_t n)
{
	const struct cli_sub *sub = a->sub;
	char name[64], *msg = NULL;
	size_t size = 0;
	FILE *f;
	int g, rc;

	cli_full_name(a, name, sizeof(name));
	if (a->n > sub->max_args && sub->max_args == 0)
		return cli_usage(a, "unexpected '%s'", a->arg[0]);
	if (a->n < sub->min_args || a->n > sub->max_args)
		return cli_usage(a, "%s takes %s%s%s", name,
		    sub->min_args == 1 && sub->max_args == 1 ? "one " : "",
		    sub->operands, a->n > sub->max_args ?
		    " (quote words that belong together)" : "");
	if ((f = open_memstream(&msg, &size)) == NULL)
		return cli_failx(CLI_FAIL, "out of memory");
	if (cli_missing(f, a, n))
		g = -1;
	else if ((g = cli_crowded_group(a, n)) != 0) {
		fprintf(f, "give one of ");
		cli_group_names(f, sub->opts, n, g);
		fprintf(f, ", not two");
	}
	if (fclose(f) != 0) {
		free(msg);
		return cli_failx(CLI_FAIL, "out of memory");
	}
	rc = g == 0 ? CLI_OK : g < 0 ? cli_usage(a, "%s needs %s", name, msg) :
	    cli_usage(a, "%s: %s", name, msg);
	free(msg);
	return rc;
}

/* One option getopt_long returned: its value kept, or the error. */
static int
cli_take(struct cli *c, struct cli_args *a, size_t n, int ch, char **argv)
{
	int row;

	if (ch == CLI_VAL_JSON) {
		c->json = 1;
		return CLI_OK;
	}
	if (ch == 'h')
		return cli_help(a->cmd, a->sub), -1;
	if (ch == '?')
		return optopt != 0 ? cli_usage(a, "unknown option '-%c'",
		    optopt) : cli_unknown_option(a, argv[optind - 1]);
	if (ch == ':') {
		row = cli_row_of(a->sub->opts, n, optopt);
		return cli_usage(a, "--%s needs a value%s%s%s", row >= 0 ?
		    a->sub->opts[row].name : argv[optind - 1], row >= 0 ?
		    " (" : "", row >= 0 ? a->sub->opts[row].arg : "",
		    row >= 0 ? ")" : "");
	}
	row = cli_row_of(a->sub->opts, n, ch);
	if (row < 0)
		return cli_usage(a, "bad option");
	if (a->v[row] != NULL)
		return cli_usage(a, "--%s is given twice",
		    a->sub->opts[row].name);
	a->v[row] = a->sub->opts[row].arg != NULL ? optarg : "";
	return CLI_OK;
}

int
cli_parse(struct cli *c, const struct cli_command *cmd,
    const struct cli_sub *sub, int argc, char **argv, struct cli_args *a)
{
	struct option lo[CLI_OPTS_MAX + 3];
	char shorts[2 * CLI_OPTS_MAX + 8];
	size_t n = cli_opts_count(sub->opts);
	int ch, rc;

	memset(a, 0, sizeof(*a));
	a->cmd = cmd;
	a->sub = sub;
	if (n > CLI_OPTS_MAX)
		abort();        /* a table too long for CLI_OPTS_MAX */
	/* ':' first: a missing value is told apart from an unknown option;
	 * opterr 0: every message is ours. */
	cli_getopt_table(sub->opts, 1, ":", lo, shorts);
	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, shorts, lo, NULL)) != -1)
		if ((rc = cli_take(c, a, n, ch, argv)) != CLI_OK)
			return rc;
	a->arg = argv + optind;
	a->n = argc - optind;
	return cli_check(a, n);
}

const struct cli_command *
cli_find_command(const char *name)
{
	const struct cli_command *cmd, *near = NULL;
	size_t best = TEXT_NEAR_START;

	for (cmd = cli_commands; cmd->name != NULL; cmd++) {
		if (strcmp(cmd->name, name) == 0)
			return cmd;
		if (text_nearer(name, cmd->name, &best))
			near = cmd;
	}
	if (near != NULL)
		cli_failx(CLI_USAGE, "unknown command '%s'; did you mean "
		    "'%s'?", name, near->name);
	else
		cli_failx(CLI_USAGE, "unknown command '%s'", name);
	fprintf(stderr, "(`nudge help` lists the commands)\n");
	return NULL;
}

const struct cli_sub *
cli_find_sub(const struct cli_command *cmd, const char *name)
{
	const struct cli_sub *sub, *near = NULL;
	size_t best = TEXT_NEAR_START;

	for (sub = cmd->subs; sub->exec != NULL && name != NULL; sub++) {
		if (strcmp(sub->name, name) == 0)
			return sub;
		if (text_nearer(name, sub->name, &best))
			near = sub;
	}
	if (name == NULL || name[0] == '\0' || name[0] == '-')
		cli_failx(CLI_USAGE, "%s needs a sub-command", cmd->name);
	else if (near != NULL)
		cli_failx(CLI_USAGE, "unknown %s command '%s'; did you mean "
		    "'%s %s'?", cmd->name, name, cmd->name, near->name);
	else
		cli_failx(CLI_USAGE, "unknown %s command '%s'", cmd->name, name);
	cli_usage_lines(stderr, cmd, NULL);
	return NULL;
}
