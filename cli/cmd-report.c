/* nudge report: the promise ledger and follow-up outcomes per owner. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "export.h"
#include "config.h"
#include "effect.h"
#include "report.h"
#include "timeutil.h"

extern char **environ;

/* Default period: a quarter of a year of weeks for the trend. */

static void
report_csv(const struct report *r)
{
	char cells[REPORT_CSV_COLUMNS][32];
	const char *row[REPORT_CSV_COLUMNS];
	size_t i, k;

	export_csv_row(stdout, report_csv_header, REPORT_CSV_COLUMNS);
	for (i = 0; i <= r->nrows; i++) {
		report_row_cells(i < r->nrows ? &r->rows[i] : &r->team, cells);
		for (k = 0; k < REPORT_CSV_COLUMNS; k++)
			row[k] = cells[k];
		export_csv_row(stdout, row, REPORT_CSV_COLUMNS);
	}
}

/* The gnuplot script for the weekly rate, data inline. */
static void
report_plot_script(FILE *f, const struct report *r, const char *zone)
{
	char iso[TIMEUTIL_ISO_MAX];
	double rate;
	size_t i;

	/* The PNG goes to gnuplot's standard output, which is the file nudge
	 * opened: no file name reaches gnuplot (it would run "|cmd" names
	 * through a shell). */
	fprintf(f, "set terminal png size 900,420\n"
	    "set output\n"
	    "set title 'Promises kept on time, week by week'\n"
	    "set xdata time\nset timefmt '%%Y-%%m-%%d'\n"
	    "set format x '%%d %%b'\nset yrange [0:100]\n"
	    "set ylabel 'kept on time (%%)'\nset grid\nset key off\n"
	    "plot '-' using 1:2 with linespoints lw 2 pt 7\n");
	for (i = 0; i < r->nweeks; i++) {
		rate = report_rate(r->weeks[i].on_time, r->weeks[i].settled);
		if (rate < 0)
			continue;
		timeutil_format_iso(r->weeks[i].start, zone, iso, sizeof(iso));
		fprintf(f, "%.10s %.1f\n", iso, rate * 100.0);
	}
	fprintf(f, "e\n");
}

/*
 * Draw the trend with gnuplot, run directly (no shell) with the script on
 * its standard input and the file nudge opened as its standard output.
 */
static int
report_plot(const struct report *r, const char *zone, const char *path)
{
	posix_spawn_file_actions_t fa;
	char *argv[] = { "gnuplot", NULL };
	int fds[2], out, status, err, rc = CLI_FAIL;
	pid_t pid;
	FILE *f;

	if ((out = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0666)) < 0)
		return cli_failx(CLI_USAGE, "--plot %s: %s", path,
		    strerror(errno));
	if (pipe2(fds, O_CLOEXEC) != 0) {
		cli_failx(CLI_FAIL, "pipe: %s", strerror(errno));
		goto fail;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[0], STDIN_FILENO);
	posix_spawn_file_actions_adddup2(&fa, out, STDOUT_FILENO);
	err = posix_spawnp(&pid, "gnuplot", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fds[0]);
	if (err != 0) {
		close(fds[1]);
		if (err == ENOENT)
			cli_failx(CLI_FAIL, "--plot needs gnuplot, which is not "
			    "installed (apt-get install gnuplot-nox)");
		else
			cli_failx(CLI_FAIL, "running gnuplot: %s",
			    strerror(err));
		goto fail;
	}
	/* gnuplot may die early: a write then must not kill us. */
	signal(SIGPIPE, SIG_IGN);
	if ((f = fdopen(fds[1], "w")) == NULL) {
		close(fds[1]);
		waitpid(pid, &status, 0);
		cli_failx(CLI_FAIL, "fdopen: %s", strerror(errno));
		goto fail;
	}
	report_plot_script(f, r, zone);
	fclose(f);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		cli_failx(CLI_FAIL, "gnuplot failed to draw %s", path);
		goto fail;
	}
	if (close(out) != 0)
		return cli_failx(CLI_FAIL, "--plot %s: %s", path,
		    strerror(errno));
	return CLI_OK;
fail:
	/* Never leave a half-written picture behind. */
	close(out);
	unlink(path);
	return rc;
}

enum { RP_SINCE, RP_OWNER, RP_FORMAT, RP_PLOT, RP_EFFECT, RP_HORIZON };
static const struct cli_opt report_opts[] = {
	[RP_SINCE] = { "since", 0, "WHEN", 0, 0,
	    "start (12 weeks ago; --effect: horizon+365d)" },
	[RP_OWNER] = { "owner", 0, "WHO", 0, 0, "only this person" },
	[RP_FORMAT] = CLI_OPT_FORMAT,
	[RP_PLOT] = { "plot", 0, "FILE.png", 0, 0,
	    "draw the weekly trend with gnuplot" },
	[RP_EFFECT] = { "effect", 0, NULL, 0, 0,
	    "does it pay off: who bought again, and after what" },
	[RP_HORIZON] = { "horizon", 0, "DURATION", 0, 0,
	    "--effect: bought again within it (default effect_horizon, "
	    "180d)" },
	CLI_OPT_END,
};

/* --since into *from (left as it is without): CLI_OK, or CLI_USAGE said
 * when it does not parse or is in the future. */
static int
report_since_opt(struct cli *c, const struct config_person *person,
    const char *since, time_t *from)
{
	char *err = NULL;

	switch (report_since(c->cfg, person, since, "--since", c->now, from,
	    &err)) {
	case 0:
		return CLI_OK;
	case 1:
		return cli_failx(CLI_USAGE, "--since %s is in the future",
		    since);
	default:
		return cli_fail(CLI_USAGE, err);
	}
}

/* `report --effect`: the period ends now; by default it starts a year
 * before the horizon, so that its deals have all had their horizon. */
static int
report_effect(struct cli *c, const struct cli_args *a,
    const struct config_person *person, int csv)
{
	const char *since = a->v[RP_SINCE];
	int64_t horizon = c->cfg->effect_horizon.seconds;
	struct effect e;
	char *err = NULL;
	time_t from;
	int rc;

	if (a->v[RP_PLOT] != NULL)
		return cli_usage(a, "--effect is written as text, CSV or JSON: "
		    "no --plot");
	if (a->v[RP_HORIZON] != NULL && effect_parse_horizon(a->v[RP_HORIZON],
	    &horizon, &err) != 0)
		return cli_fail(CLI_USAGE, err);
	from = c->now - (time_t)horizon - EFFECT_PERIOD_DEFAULT;
	if ((rc = report_since_opt(c, person, since, &from)) != CLI_OK)
		return rc;
	if (effect_build(c->st, c->cfg, a->v[RP_OWNER], from, c->now, horizon,
	    &e, &err) != 0)
		return cli_fail(CLI_FAIL, err);
	if (c->json)
		return cli_print_json(effect_json(&e, c->cfg->timezone));
	if (csv)
		effect_write_csv(&e, stdout);
	else
		effect_write_text(&e, c->cfg->timezone, stdout);
	return CLI_OK;
}

static int
report_exec(struct cli *c, const struct cli_args *a)
{
	const char *since = a->v[RP_SINCE], *owner = a->v[RP_OWNER],
	    *plot = a->v[RP_PLOT];
	const struct config_person *person = NULL;
	struct report r;
	char *err = NULL;
	time_t from;
	int rc, csv;

	if ((rc = cli_format(c, a, RP_FORMAT, &csv)) != CLI_OK ||
	    (rc = cli_open(c)) != CLI_OK)
		return rc;
	if (owner != NULL && (person = cli_person(c, owner)) == NULL)
		return CLI_USAGE;
	if (a->v[RP_EFFECT] != NULL)
		return report_effect(c, a, person, csv);
	if (a->v[RP_HORIZON] != NULL)
		return cli_usage(a, "--horizon goes with --effect");
	from = c->now - REPORT_DEFAULT_PERIOD;
	if ((rc = report_since_opt(c, person, since, &from)) != CLI_OK)
		return rc;
	if (report_build(c->st, c->cfg, owner, from, c->now, &r, &err) != 0)
		return cli_fail(CLI_FAIL, err);
	rc = CLI_OK;
	if (plot != NULL)
		rc = report_plot(&r, c->cfg->timezone, plot);
	if (rc != CLI_OK)
		;
	else if (c->json)
		cli_print_json(report_json(&r, c->cfg->timezone));
	else if (csv)
		report_csv(&r);
	else
		report_write_text(&r, c->cfg->timezone, stdout);
	report_free(&r);
	return rc;
}

const struct cli_sub cli_report_subs[] = {
	{ NULL, NULL, 0, 0, report_exec, report_opts,
	    "the promise ledger and follow-up outcomes per owner", NULL },
	CLI_SUB_END,
};
