/* Helpers shared by the command files: setup, errors, parsing, output. */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
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
	char *err = NULL;
	int rc;

	if ((rc = cli_ctx(c)) != CLI_OK)
		return rc;
	return cli_uc_status(open(&c->uc, &err), &err);
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
cli_open_owner(struct cli *c, const char *owner)
{
	int rc;

	if ((rc = cli_open(c)) != CLI_OK)
		return rc;
	if (owner != NULL && cli_person(c, owner) == NULL)
		return CLI_USAGE;
	return CLI_OK;
}

int
cli_ctx(struct cli *c)
{
	int rc;

	if ((rc = cli_load_config(c)) != CLI_OK)
		return rc;
	memset(&c->uc, 0, sizeof(c->uc));
	c->uc.cfg = c->cfg;
	c->uc.now = c->now;
	c->uc.st = &c->st;
	c->uc.db_path = c->db_path;
	return CLI_OK;
}

int
cli_uc_status(enum uc_status st, char **errp)
{
	if (st == UC_OK)
		return CLI_OK;
	return cli_fail(st == UC_REFUSED ? CLI_USAGE : CLI_FAIL, *errp);
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
cli_usage(const struct cli_args *a, const char *fmt, ...)
{
	va_list ap;

	fputs("nudge: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nusage: ", stderr);
	cli_synopsis(stderr, a->cmd, a->sub);
	fprintf(stderr, "(`nudge help %s` for the options)\n", a->cmd->name);
	return CLI_USAGE;
}

int
cli_format(struct cli *c, const struct cli_args *a, int row, int *csv)
{
	const char *f = a->v[row] != NULL ? a->v[row] : "text";

	*csv = strcmp(f, "csv") == 0;
	if (strcmp(f, "json") == 0)
		c->json = 1;
	else if (strcmp(f, "text") != 0 && !*csv)
		return cli_usage(a, "--format is text, csv or json, not '%s'",
		    f);
	return CLI_OK;
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
cli_arg_id(const struct cli_args *a, int i, const char *what, int64_t *id)
{
	return cli_parse_id(a->arg[i], what, id) == 0 ? CLI_OK : CLI_USAGE;
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

const char *
cli_table_time(struct cli *c, time_t t, const char *zone, char *buf,
    size_t len)
{
	cli_human_time(c, t, zone, buf, len);
	/* "Wed 2026-12-02 10:00 (in 3 days)": the moment, not how far. */
	if (strlen(buf) > CLI_TIME_COLS)
		buf[CLI_TIME_COLS] = '\0';
	return buf;
}

int
cli_color(void)
{
	const char *nc = getenv("NO_COLOR");

	return isatty(STDOUT_FILENO) && (nc == NULL || *nc == '\0');
}

int
cli_width(void)
{
	struct winsize ws;
	const char *cols = getenv("COLUMNS");
	char *end;
	long n;

	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ,
	    &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	if (cols != NULL && *cols != '\0') {
		n = strtol(cols, &end, 10);
		if (*end == '\0' && n > 0 && n <= 1000)
			return (int)n;
	}
	return 80;
}

void
cli_cell(const char *s, int width, int last)
{
	char buf[4 * 256];
	size_t w;

	if (width < 1)
		width = 1;
	w = text_fit(s != NULL ? s : "", (size_t)width, buf, sizeof(buf));
	if (last)
		printf("%s\n", buf);
	else
		printf("%s%*s ", buf, width - (int)w, "");
}

/* An empty list (n == 0) says so on a terminal, "no deals" (what =
 * "deals"); nothing into a pipe, and --json prints [].  1 when empty. */
static int
cli_empty(const struct cli *c, size_t n, const char *what)
{
	if (n == 0 && !c->json && isatty(STDOUT_FILENO))
		printf("no %s\n", what);
	return n == 0;
}

/* Cell i of a row of t, s: the last one as wide as the list has it. */
static void
cli_table_cell(const struct cli_table *t, size_t i, const char *s)
{
	int last = t->cols[i + 1].head == NULL;

	cli_cell(s, last ? t->last : t->cols[i].width, last);
}

int
cli_table_head(const struct cli *c, size_t n, const char *what,
    const struct cli_col *cols, struct cli_table *t)
{
	size_t i, k;

	if (cli_empty(c, n, what))
		return 0;
	/* The last column with width 0 takes what the terminal has left
	 * after the others and the space after each: asked once a list. */
	for (i = 0; cols[i + 1].head != NULL; i++)
		;
	t->cols = cols;
	t->last = cols[i].width;
	if (t->last == 0) {
		t->last = cli_width();
		for (k = 0; k < i; k++)
			t->last -= cols[k].width + 1;
	}
	for (i = 0; cols[i].head != NULL; i++)
		cli_table_cell(t, i, cols[i].head);
	return 1;
}

void
cli_table_row(const struct cli_table *t, const char *const *cells)
{
	size_t i;

	for (i = 0; t->cols[i].head != NULL; i++)
		cli_table_cell(t, i, cells[i]);
}
