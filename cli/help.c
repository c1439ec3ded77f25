/*
 * Usage lines and --help, made from the option tables: each option with
 * its one line, so --help, nudge(1), the README and the completion can be
 * held to the same list (tests/integration/test_manpages.sh,
 * test_completion.sh).
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

/* Where an option's line starts its help, and the widest left side. */
#define HELP_INDENT 4
#define HELP_LEFT_MAX 24

/* "--owner WHO", or "-h, --help": an option's left side. */
static int
help_left(const struct cli_opt *o, char *buf, size_t len)
{
	if (o->letter != 0)
		return snprintf(buf, len, "-%c, --%s%s%s", o->letter, o->name,
		    o->arg != NULL ? " " : "", o->arg != NULL ? o->arg : "");
	return snprintf(buf, len, "--%s%s%s", o->name, o->arg != NULL ?
	    " " : "", o->arg != NULL ? o->arg : "");
}

static void
help_option_lines(FILE *f, const struct cli_opt *opts)
{
	char left[64];
	int w;

	for (; opts != NULL && opts->name != NULL; opts++) {
		w = help_left(opts, left, sizeof(left));
		fprintf(f, "%*s%s", HELP_INDENT, "", left);
		if (w > HELP_LEFT_MAX)
			fprintf(f, "\n%*s", HELP_INDENT + HELP_LEFT_MAX + 2, "");
		else
			fprintf(f, "%*s", HELP_LEFT_MAX + 2 - w, "");
		fprintf(f, "%s\n", opts->help);
	}
}

/* The options of a group, "(--a A | --b B)" or "[--a | --b]". */
static void
help_group(FILE *f, const struct cli_opt *opts, size_t i)
{
	size_t j;
	int first = 1;

	fputs(opts[i].need ? " (" : " [", f);
	for (j = i; opts[j].name != NULL; j++) {
		if (opts[j].group != opts[i].group)
			continue;
		fprintf(f, "%s--%s%s%s", first ? "" : " | ", opts[j].name,
		    opts[j].arg != NULL ? " " : "",
		    opts[j].arg != NULL ? opts[j].arg : "");
		first = 0;
	}
	fputs(opts[i].need ? ")" : "]", f);
}

void
cli_synopsis(FILE *f, const struct cli_command *cmd,
    const struct cli_sub *sub)
{
	const struct cli_opt *o = sub->opts;
	size_t i, j;

	fprintf(f, "nudge %s%s%s", cmd->name, sub->name != NULL ? " " : "",
	    sub->name != NULL ? sub->name : "");
	if (sub->synopsis != NULL) {
		fprintf(f, " %s\n", sub->synopsis);
		return;
	}
	if (sub->operands != NULL)
		fprintf(f, " %s%s%s", sub->min_args == 0 ? "[" : "",
		    sub->operands, sub->min_args == 0 ? "]" : "");
	for (i = 0; o != NULL && o[i].name != NULL; i++) {
		/* A group is written once, where its first row is. */
		for (j = 0; j < i && (o[i].group == 0 ||
		    o[j].group != o[i].group); j++)
			;
		if (j < i)
			continue;
		if (o[i].group != 0)
			help_group(f, o, i);
		else
			fprintf(f, " %s--%s%s%s%s", o[i].need ? "" : "[",
			    o[i].name, o[i].arg != NULL ? " " : "",
			    o[i].arg != NULL ? o[i].arg : "",
			    o[i].need ? "" : "]");
	}
	fputc('\n', f);
}

void
cli_usage_lines(FILE *f, const struct cli_command *cmd,
    const struct cli_sub *only)
{
	const struct cli_sub *s;

	for (s = only != NULL ? only : cmd->subs; s->exec != NULL; s++) {
		fputs(s == cmd->subs || s == only ? "usage: " : "   or: ", f);
		cli_synopsis(f, cmd, s);
		if (only != NULL)
			break;
	}
}

int
cli_help(const struct cli_command *cmd, const struct cli_sub *sub)
{
	const struct cli_sub *s, *only = sub;

	cli_usage_lines(stdout, cmd, only);
	for (s = only != NULL ? only : cmd->subs; s->exec != NULL; s++) {
		printf("\n%s%s%s: %s\n", cmd->name, s->name != NULL ? " " : "",
		    s->name != NULL ? s->name : "", s->help);
		help_option_lines(stdout, s->opts);
		if (only != NULL)
			break;
	}
	printf("\noptions of every command:\n");
	help_option_lines(stdout, cli_common_opts);
	return CLI_OK;
}

void
cli_help_commands(FILE *f)
{
	const struct cli_command *cmd;
	const struct cli_sub *s;

	fprintf(f, "usage: nudge [-c CONFIG] [-d DATABASE] [--json] "
	    "COMMAND [ARGS]\n\noptions:\n");
	help_option_lines(f, cli_global_opts);
	fprintf(f, "\ncommands:\n");
	for (cmd = cli_commands; cmd->name != NULL; cmd++) {
		fprintf(f, "%*s%-12s %s\n", HELP_INDENT, "", cmd->name,
		    cmd->help);
		for (s = cmd->subs; s->name != NULL && s->exec != NULL; s++)
			fprintf(f, "%s%s", s == cmd->subs ? "                 " :
			    " | ", s->name);
		if (cmd->subs[0].name != NULL)
			fputc('\n', f);
	}
	fprintf(f, "\n`nudge help COMMAND` for one command and its options; "
	    "nudge(1) for the\nwhole story.\n");
}

/* nudge help [COMMAND [SUB]] */
static int
help_exec(struct cli *c, const struct cli_args *a)
{
	const struct cli_command *cmd;
	const struct cli_sub *sub = NULL;

	(void)c;
	if (a->n == 0) {
		cli_help_commands(stdout);
		return CLI_OK;
	}
	if ((cmd = cli_find_command(a->arg[0])) == NULL)
		return CLI_USAGE;
	if (a->n == 2 && cmd->subs[0].name != NULL &&
	    (sub = cli_find_sub(cmd, a->arg[1])) == NULL)
		return CLI_USAGE;
	return cli_help(cmd, sub);
}

const struct cli_sub cli_help_subs[] = {
	{ NULL, "COMMAND [SUB]", 0, 2, help_exec, NULL,
	    "the commands, or one command's options", NULL },
	CLI_SUB_END,
};
