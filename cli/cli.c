/* Helpers shared by the command files: setup, errors, parsing, output. */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "person.h"
#include "store.h"
#include "text.h"
#include "wake.h"

int
cli_load_config(struct cli *c)
{
	char *err = NULL;

	if (c->cfg != NULL)
		return CLI_OK;
	if (config_load(c->config_path, &c->cfg, &err) != 0)
		return cli_fail(CLI_USAGE, err);
	return CLI_OK;
}

/* The store through the use-cases' opener, so a file that is not nudge's
 * is refused (exit 2) the same way on every path. */
static int
cli_open_store(struct cli *c, enum uc_status (*open)(struct uc_ctx *,
    char **))
{
	struct uc_ctx ctx;
	enum uc_status st;
	char *err = NULL;
	int rc;

	if ((rc = cli_ctx(c, &ctx)) != CLI_OK)
		return rc;
	if ((st = open(&ctx, &err)) != UC_OK)
		return cli_uc_fail(st, err);
	return CLI_OK;
}

int
cli_open(struct cli *c)
{
	return cli_open_store(c, uc_store_read);
}

int
cli_open_write(struct cli *c)
{
	return cli_open_store(c, uc_store);
}

int
cli_ctx(struct cli *c, struct uc_ctx *ctx)
{
	int rc;

	if ((rc = cli_load_config(c)) != CLI_OK)
		return rc;
	ctx->cfg = c->cfg;
	ctx->now = c->now;
	ctx->st = &c->st;
	ctx->db_path = c->db_path;
	return CLI_OK;
}

int
cli_uc_fail(enum uc_status rc, char *err)
{
	return cli_fail(rc == UC_REFUSED ? CLI_USAGE : CLI_FAIL, err);
}

const struct cli_command *
cli_command(const char *name)
{
	const struct cli_command *cmd;

	for (cmd = cli_commands; cmd->name != NULL; cmd++)
		if (strcmp(cmd->name, name) == 0)
			return cmd;
	abort();
}

int
cli_help(const char *name)
{
	printf("usage: nudge %s\n", cli_command(name)->usage);
	return CLI_OK;
}

int
cli_fail(int status, char *msg)
{
	fprintf(stderr, "nudge: %s\n", msg != NULL ? msg : "unknown error");
	free(msg);
	return status;
}

int
cli_failx(int status, const char *fmt, ...)
{
	va_list ap;

	fputs("nudge: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return status;
}

int
cli_usage(const struct cli_command *cmd, const char *fmt, ...)
{
	va_list ap;

	fputs("nudge: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nusage: nudge %s\n", cmd->usage);
	return CLI_USAGE;
}

int
cli_parse_id(const char *s, const char *what, int64_t *id)
{
	if (text_parse_id(s, id) != 0) {
		cli_failx(CLI_USAGE, "bad %s id '%s' (expected a positive "
		    "number)", what, s);
		return -1;
	}
	return 0;
}

int
cli_parse_id_at(struct cli *c, int argc, char **argv, const char *what,
    int64_t *id, const char **at)
{
	static const struct option with_at[] = {
		{ "at", required_argument, NULL, 'a' },
		CLI_COMMON_LONGOPTS_END
	};
	static const struct option plain[] = { CLI_COMMON_LONGOPTS_END };
	const struct cli_command *cmd = cli_command(argv[-1]);
	int ch;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "h", at != NULL ? with_at : plain,
	    NULL)) != -1) {
		switch (ch) {
		case 'a': *at = optarg; break;
		case 'J': c->json = 1; break;
		case 'h': cli_help(argv[-1]);
			return 1;
		default: cli_usage(cmd, "bad option");
			return -1;
		}
	}
	if (optind != argc - 1) {
		cli_usage(cmd, "%s %s takes one ID", argv[-1], argv[0]);
		return -1;
	}
	return cli_parse_id(argv[optind], what, id);
}

int
cli_parse_only_id(struct cli *c, int argc, char **argv, const char *what,
    int64_t *id)
{
	return cli_parse_id_at(c, argc, argv, what, id, NULL);
}

const struct config_person *
cli_person(struct cli *c, const char *handle)
{
	const struct config_person *p;
	char *err = NULL;

	if ((p = person_find(c->cfg, handle, &err)) == NULL)
		cli_fail(CLI_USAGE, err);
	return p;
}

int
cli_parse_when(struct cli *c, const struct config_person *p, const char *s,
    int default_min, const char *what, time_t *out)
{
	char *err = NULL;

	if (person_parse_when(c->cfg, p, s, c->now, default_min, what, out,
	    &err) != 0)
		return cli_fail(CLI_USAGE, err), -1;
	return 0;
}

void
cli_wake(struct cli *c)
{
	char path[256];

	if (wake_socket_path(c->cfg->runtime_dir, path, sizeof(path),
	    NULL) == 0)
		wake_send(path);
}

int
cli_print_json(json_t *v)
{
	if (v == NULL)
		return cli_failx(CLI_FAIL, "out of memory");
	json_dumpf(v, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
	json_decref(v);
	return CLI_OK;
}

const char *
cli_iso(time_t t, const char *zone, char *buf, size_t len)
{
	if (t == 0 || timeutil_format_iso(t, zone, buf, len) != 0)
		snprintf(buf, len, "-");
	return buf;
}

const char *
cli_human_time(struct cli *c, time_t t, const char *zone, char *buf,
    size_t len)
{
	static const char *const wd[] = { "Mon", "Tue", "Wed", "Thu", "Fri",
		"Sat", "Sun" };
	char iso[64], rel[64];

	if (t == 0)
		return snprintf(buf, len, "-"), buf;
	if (timeutil_format_iso(t, zone, iso, sizeof(iso)) != 0)
		return snprintf(buf, len, "?"), buf;
	if (timeutil_format_relative(t, c->now, rel, sizeof(rel)) != 0)
		rel[0] = '\0';
	/* iso = YYYY-MM-DDTHH:MM:SS+hh:mm */
	snprintf(buf, len, "%s %.10s %.5s (%s)",
	    wd[timeutil_local_weekday(zone, t)], iso, iso + 11, rel);
	return buf;
}

int
cli_color(void)
{
	const char *nc = getenv("NO_COLOR");

	return isatty(STDOUT_FILENO) && (nc == NULL || *nc == '\0');
}
