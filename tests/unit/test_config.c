/*
 * The configuration loader: the shipped example loads, defaults apply,
 * every key of a full file lands where it should, relative paths resolve
 * against the file's directory, and every kind of mistake is reported as
 * "FILE:LINE: ..." with the key and what is wrong.
 *
 * Realistic files live in tests/unit/fixtures/config/ (the tests run from
 * the repository root).  The table of one-line mistakes writes each case
 * to a temporary file in /tmp (mkstemps) and removes it afterwards.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <ctype.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "config_table.h"
#include "effect.h"
#include "timeutil.h"
#include "words.h"

#define FIXTURES "tests/unit/fixtures/config"

/* The common first line of the inline cases: a log channel. */
#define LOG "channels = ( { name = \"log\"; type = \"log\"; } );\n"

/*
 * What a test put in /tmp, removed by the teardown even when an assertion
 * jumps out of the test half way.
 */
static char tmp_dir[64], tmp_file[64];

static int
remove_tmp(void **state)
{
	static const char *const names[] = { "n.conf", "s.secret",
		"bad.conf", NULL };
	char p[128];
	size_t i;

	(void)state;
	if (tmp_file[0] != '\0')
		unlink(tmp_file);
	if (tmp_dir[0] != '\0') {
		for (i = 0; names[i] != NULL; i++) {
			snprintf(p, sizeof(p), "%s/%s", tmp_dir, names[i]);
			unlink(p);
		}
		rmdir(tmp_dir);
	}
	tmp_dir[0] = tmp_file[0] = '\0';
	return 0;
}

/* Absolute path of a fixture-relative path, as the loader stores it. */
static void
fixture_abs(const char *rel, char *buf, size_t len)
{
	char dir[PATH_MAX];

	assert_non_null(realpath(FIXTURES, dir));
	assert_true((size_t)snprintf(buf, len, "%s/%s", dir, rel) < len);
}

static int32_t
day(const char *iso)
{
	int32_t d = 0;
	char *err = NULL;

	assert_int_equal(timeutil_parse_date(iso, &d, &err), 0);
	return d;
}

/* Load path, which must fail with a message that starts with
 * "<shown>:<line>: " and contains `what`. */
static void
expect_error(const char *path, const char *shown, int line, const char *what,
    const char *label)
{
	struct config *cfg = (struct config *)0x1;
	char *err = NULL, prefix[PATH_MAX + 32];

	if (config_load(path, &cfg, &err) == 0) {
		config_free(cfg);
		fail_msg("%s: loaded, but should fail with \"%s\"", label,
		    what);
	}
	assert_null(cfg);
	if (err == NULL)
		fail_msg("%s: failed without a message", label);
	if (line > 0)
		snprintf(prefix, sizeof(prefix), "%s:%d: ", shown, line);
	else
		snprintf(prefix, sizeof(prefix), "%s", shown);
	if (strncmp(err, prefix, strlen(prefix)) != 0 ||
	    strstr(err, what) == NULL) {
		print_error("%s:\n   got: %s\nwanted: %s...%s\n", label, err,
		    prefix, what);
		free(err);
		fail();
	}
	free(err);
}

static void
test_example_config_loads(void **state)
{
	struct config *cfg = NULL;
	const struct config_person *anna, *erik;
	const struct config_rule *r;
	char *err = NULL;
	size_t i;
	int sc = 0, heads_up = 0, at_target = 0, due_day = 0, overdue = 0;

	(void)state;
	if (config_load("etc/nudge.conf", &cfg, &err) != 0)
		fail_msg("etc/nudge.conf: %s", err);
	assert_null(err);
	assert_string_equal(cfg->database, "/var/lib/nudge/nudge.db");
	assert_string_equal(cfg->runtime_dir, "/run/nudge");
	assert_string_equal(cfg->timezone, "Europe/Stockholm");
	assert_true(cfg->path[0] == '/');
	assert_non_null(strstr(cfg->path, "/etc/nudge.conf"));
	assert_null(cfg->ops);
	/* As shipped it needs no secret files: only the log channel. */
	assert_int_equal(cfg->nchannels, 1);
	assert_int_equal(config_channel(cfg, "log")->type, CONFIG_CHANNEL_LOG);

	anna = config_person(cfg, "anna");
	erik = config_person(cfg, "erik");
	assert_non_null(anna);
	assert_non_null(erik);
	assert_int_equal(anna->hours_start, 8 * 60);
	assert_int_equal(anna->hours_end, 17 * 60);
	assert_int_equal(anna->days, TIMEUTIL_WEEKDAYS);
	assert_int_equal(anna->capacity, 5);
	assert_int_equal(anna->nholidays, 8);   /* 6 shared + 2 own */
	assert_int_equal(erik->nholidays, 6);
	assert_string_equal(erik->timezone, "Europe/Stockholm");
	assert_int_equal(erik->days, TIMEUTIL_WEEKDAYS & ~TIMEUTIL_FRIDAY);

	/* The playbook of the brief. */
	for (i = 0; i < cfg->nrules; i++) {
		r = &cfg->rules[i];
		if (r->second_chocolate) {
			sc++;
			assert_string_equal(r->on, "deal.won");
			assert_int_equal(r->offset.business_days, 3);
			assert_int_equal(r->at_min, 10 * 60);
			assert_true(r->ngestures >= 3);
		}
		if (strcmp(r->on, "promise.target") == 0 && r->before &&
		    r->offset.business_days == 1)
			heads_up++;
		if (strcmp(r->on, "promise.target") == 0 && !r->before)
			at_target++;
		if (strcmp(r->on, "promise.due") == 0)
			due_day++;
		if (strcmp(r->on, "promise.overdue") == 0) {
			overdue++;
			assert_true(r->has_repeat);
			assert_int_equal(r->repeat.business_days, 1);
			assert_string_equal(r->escalate_to, "erik");
			assert_int_equal(r->escalate_after, 2);
		}
	}
	assert_int_equal(sc, 1);
	assert_int_equal(heads_up, 1);
	assert_int_equal(at_target, 1);
	assert_int_equal(due_day, 1);
	assert_int_equal(overdue, 1);
	assert_non_null(config_person(cfg, "anna"));
	assert_int_equal(cfg->promises.slack_percent, 25);
	assert_int_equal(cfg->promises.max_slack.business_days, 3);
	assert_int_equal(cfg->delivery.attempts, 8);
	assert_int_equal(cfg->delivery.max_backoff.seconds, 6 * 3600);
	config_free(cfg);
}

/* The delivery settings: attempts, then backoff, max_backoff, timeout
 * and late_after in elapsed seconds (days folded in). */
static void
expect_delivery(const struct config *cfg, int attempts, int64_t backoff,
    int64_t max_backoff, int64_t timeout, int64_t late_after)
{
	assert_int_equal(cfg->delivery.attempts, attempts);
	assert_int_equal(cfg->delivery.backoff.seconds, backoff);
	assert_int_equal(cfg->delivery.max_backoff.seconds, max_backoff);
	assert_int_equal(cfg->delivery.max_backoff.days, 0);
	assert_int_equal(cfg->delivery.timeout.seconds, timeout);
	assert_int_equal(cfg->delivery.late_after.seconds, late_after);
}

static void
test_defaults(void **state)
{
	struct config *cfg = NULL;
	const struct config_person *p;
	char *err = NULL, expect[PATH_MAX];
	size_t i;
	int tomorrow = 0, imorgon = 0;

	(void)state;
	if (config_load(FIXTURES "/minimal.conf", &cfg, &err) != 0)
		fail_msg("%s", err);
	fixture_abs("minimal.conf", expect, sizeof(expect));
	assert_string_equal(cfg->path, expect);
	assert_string_equal(cfg->database, "/var/lib/nudge/nudge.db");
	assert_string_equal(cfg->runtime_dir, "/run/nudge");
	assert_string_equal(cfg->timezone, "UTC");
	assert_null(cfg->ops);
	assert_int_equal(cfg->nrules, 0);
	/* effect_horizon's default, "180d". */
	assert_int_equal(cfg->effect_horizon.seconds, 180 * 86400);

	p = config_person(cfg, "bo");
	assert_non_null(p);
	assert_null(p->name);
	assert_null(p->email);
	assert_string_equal(p->timezone, "UTC");
	assert_int_equal(p->hours_start, 9 * 60);
	assert_int_equal(p->hours_end, 17 * 60);
	assert_int_equal(p->days, TIMEUTIL_WEEKDAYS);
	assert_int_equal(p->nnotify, 1);
	assert_string_equal(p->notify[0], "log");
	assert_null(p->notify[1]);
	assert_int_equal(p->capacity, 0);
	assert_int_equal(p->digest_min, -1);
	/* Everyone gets the weekly summary the top level sets, but who says
	 * false. */
	assert_int_equal(p->weekly_summary, 1);
	assert_int_equal(p->language, LANG_EN);
	assert_int_equal(p->nholidays, 0);
	assert_int_equal(p->line, 4);

	assert_int_equal(cfg->promises.slack_percent, 25);
	assert_int_equal(cfg->promises.min_slack.seconds, 4 * 3600);
	assert_int_equal(cfg->promises.max_slack.business_days, 3);
	assert_int_equal(cfg->promises.max_slack.seconds, 0);
	assert_int_equal(cfg->promises.strict, 0);
	assert_true(cfg->promises.nphrases > 10);
	assert_null(cfg->promises.phrases[cfg->promises.nphrases]);
	for (i = 0; i < cfg->promises.nphrases; i++) {
		tomorrow += strcmp(cfg->promises.phrases[i], "tomorrow") == 0;
		imorgon += strcmp(cfg->promises.phrases[i], "imorgon") == 0;
	}
	assert_int_equal(tomorrow, 1);
	assert_int_equal(imorgon, 1);

	expect_delivery(cfg, 8, 30, 6 * 3600, 10, 24 * 3600);
	config_free(cfg);
}

/* Every key of fixtures/config/full.conf, including the relative paths. */
static void
test_full_file(void **state)
{
	struct config *cfg = NULL;
	const struct config_person *anna, *bo, *carl;
	const struct config_channel *c;
	const struct config_rule *r;
	char *err = NULL, expect[PATH_MAX];

	(void)state;
	if (config_load(FIXTURES "/full.conf", &cfg, &err) != 0)
		fail_msg("%s", err);
	fixture_abs("data/nudge.db", expect, sizeof(expect));
	assert_string_equal(cfg->database, expect);
	fixture_abs("run", expect, sizeof(expect));
	assert_string_equal(cfg->runtime_dir, expect);
	assert_string_equal(cfg->timezone, "America/New_York");
	assert_string_equal(cfg->ops, "ops");
	/* Weeks of elapsed time, folded into seconds. */
	assert_int_equal(cfg->effect_horizon.seconds, 26 * 7 * 86400);
	assert_int_equal(cfg->effect_horizon.days, 0);

	assert_int_equal(cfg->nchannels, 6);
	c = config_channel(cfg, "mail");
	assert_int_equal(c->type, CONFIG_CHANNEL_EMAIL);
	assert_string_equal(c->url, "smtp://mail.example.com:587");
	assert_string_equal(c->from, "nudge <nudge@example.com>");
	assert_string_equal(c->username, "nudge");
	fixture_abs("secrets/smtp.secret", expect, sizeof(expect));
	assert_string_equal(c->password_file, expect);
	assert_null(c->secret_file);
	assert_int_equal(c->tls_required, 1);
	assert_int_equal(c->tls_verify, 0);
	c = config_channel(cfg, "local-mail");
	assert_int_equal(c->tls_required, 0);
	assert_int_equal(c->tls_verify, 1);
	assert_null(c->username);
	assert_null(c->password_file);
	c = config_channel(cfg, "chat");
	assert_int_equal(c->type, CONFIG_CHANNEL_WEBHOOK);
	assert_int_equal(c->format, CONFIG_WEBHOOK_SLACK);
	assert_null(c->secret_file);
	c = config_channel(cfg, "crm");
	assert_int_equal(c->format, CONFIG_WEBHOOK_JSON);   /* default */
	fixture_abs("secrets/hook.secret", expect, sizeof(expect));
	assert_string_equal(c->secret_file, expect);        /* "./" dropped */
	assert_int_equal(c->line, 18);
	assert_null(c->ca_file);                    /* the system's CAs */
	c = config_channel(cfg, "ops");
	fixture_abs("ca.pem", expect, sizeof(expect));
	assert_string_equal(c->ca_file, expect);
	assert_null(config_channel(cfg, "nope"));

	anna = config_person(cfg, "anna");
	assert_string_equal(anna->name, "Anna Lind");
	assert_string_equal(anna->email, "anna@example.com");
	assert_string_equal(anna->timezone, "Europe/Stockholm");
	assert_int_equal(anna->hours_start, 8 * 60);
	assert_int_equal(anna->hours_end, 17 * 60);
	assert_int_equal(anna->nnotify, 2);
	assert_string_equal(anna->notify[0], "mail");
	assert_string_equal(anna->notify[1], "chat");
	assert_int_equal(anna->capacity, 5);
	assert_int_equal(anna->digest_min, 8 * 60 + 30);
	assert_int_equal(anna->weekly_summary, 1);
	/* shared 12-25, 12-24, 12-25 plus own 07-06, 12-24: sorted, unique */
	assert_int_equal(anna->nholidays, 3);
	assert_int_equal(anna->holidays[0], day("2026-07-06"));
	assert_int_equal(anna->holidays[1], day("2026-12-24"));
	assert_int_equal(anna->holidays[2], day("2026-12-25"));
	assert_int_equal(anna->line, 25);
	bo = config_person(cfg, "bo.berg");
	assert_string_equal(bo->timezone, "America/New_York");
	assert_int_equal(bo->hours_start, 0);
	assert_int_equal(bo->hours_end, 24 * 60);
	assert_int_equal(bo->days, TIMEUTIL_ALL_DAYS);
	assert_int_equal(bo->nholidays, 2);
	carl = config_person(cfg, "carl_1");
	assert_int_equal(carl->days, TIMEUTIL_SATURDAY | TIMEUTIL_SUNDAY |
	    TIMEUTIL_MONDAY);
	assert_string_equal(carl->notify[0], "log");

	assert_int_equal(cfg->nrules, 4);
	r = &cfg->rules[0];
	assert_string_equal(r->name, "second-chocolate");
	assert_string_equal(r->on, "deal.won");
	assert_int_equal(r->before, 0);
	assert_int_equal(r->offset.business_days, 3);
	assert_int_equal(r->at_min, 10 * 60);
	assert_int_equal(r->second_chocolate, 1);
	assert_int_equal(r->ngestures, 2);
	assert_string_equal(r->gestures[1], "a tip");
	assert_null(r->notify);
	assert_int_equal(r->nnotify, 0);
	assert_int_equal(r->has_repeat, 0);
	assert_null(r->escalate_to);
	r = &cfg->rules[1];
	assert_int_equal(r->before, 1);
	assert_int_equal(r->offset.business_days, 1);
	assert_int_equal(r->at_min, -1);
	assert_int_equal(r->nnotify, 2);
	assert_string_equal(r->notify[0], "crm");
	assert_non_null(strchr(r->message, '\n'));
	r = &cfg->rules[2];
	assert_int_equal(r->offset.seconds, 5400);
	assert_int_equal(r->has_repeat, 1);
	assert_int_equal(r->repeat.business_days, 1);
	assert_string_equal(r->escalate_to, "bo.berg");
	assert_int_equal(r->escalate_after, 2);
	r = &cfg->rules[3];
	assert_int_equal(r->repeat.days, 2);
	assert_string_equal(r->escalate_to, "anna");
	assert_int_equal(r->escalate_after, 1);             /* default */

	assert_int_equal(cfg->promises.slack_percent, 30);
	assert_int_equal(cfg->promises.min_slack.seconds, 0);
	assert_int_equal(cfg->promises.max_slack.days, 2);
	assert_int_equal(cfg->promises.nphrases, 2);
	assert_string_equal(cfg->promises.phrases[1], "trust me");
	assert_int_equal(cfg->promises.strict, 1);

	expect_delivery(cfg, 3, 60, 86400, 30, 2 * 86400);
	config_free(cfg);
}

/* A config named without a directory resolves against the working
 * directory; @include against the including file's directory. */
static void
test_relative_to_file_and_include(void **state)
{
	struct config *cfg = NULL;
	char *err = NULL, cwd[PATH_MAX], expect[PATH_MAX + 16], tmp[128];
	FILE *f;

	(void)state;
	if (config_load(FIXTURES "/include.conf", &cfg, &err) != 0)
		fail_msg("%s", err);
	assert_non_null(config_channel(cfg, "log"));
	assert_string_equal(config_person(cfg, "dora")->notify[0], "log");
	config_free(cfg);

	assert_non_null(getcwd(cwd, sizeof(cwd)));
	snprintf(tmp_dir, sizeof(tmp_dir), "/tmp/nudge-test-config-XXXXXX");
	assert_non_null(mkdtemp(tmp_dir));
	snprintf(tmp, sizeof(tmp), "%s/n.conf", tmp_dir);
	f = fopen(tmp, "w");
	assert_non_null(f);
	fputs(LOG "database = \"n.db\";\nruntime_dir = \".\";\n", f);
	fclose(f);
	assert_int_equal(chdir(tmp_dir), 0);
	cfg = NULL;
	err = NULL;
	if (config_load("n.conf", &cfg, &err) != 0) {
		assert_int_equal(chdir(cwd), 0);
		fail_msg("%s", err);
	}
	assert_int_equal(chdir(cwd), 0);
	assert_non_null(realpath(tmp_dir, expect));
	strcat(expect, "/n.db");
	assert_string_equal(cfg->database, expect);
	assert_non_null(realpath(tmp_dir, expect));
	strcat(expect, "/.");
	assert_string_equal(cfg->runtime_dir, expect);
	assert_non_null(realpath(tmp_dir, expect));
	strcat(expect, "/n.conf");
	assert_string_equal(cfg->path, expect);
	config_free(cfg);
}

/*
 * @include of an absolute path reads that path (libconfig 1.5 alone
 * looked for "<dir>//abs/path"); a mistake in it is named by its path and
 * line, and a syntax error at the end of the main file by the main file's
 * line after its last.
 */
static void
test_absolute_include(void **state)
{
	struct config *cfg = NULL;
	char *err = NULL, fixtures[PATH_MAX], tmp[128], bad[128];
	FILE *f;

	(void)state;
	assert_non_null(realpath(FIXTURES, fixtures));
	snprintf(tmp_dir, sizeof(tmp_dir), "/tmp/nudge-test-config-XXXXXX");
	assert_non_null(mkdtemp(tmp_dir));
	snprintf(tmp, sizeof(tmp), "%s/n.conf", tmp_dir);
	snprintf(bad, sizeof(bad), "%s/bad.conf", tmp_dir);
	assert_non_null(f = fopen(tmp, "w"));
	fprintf(f, "database = \"n.db\";\n@include \"%s/included/channels.conf\""
	    "\npeople = ( { handle = \"dora\"; } );\n", fixtures);
	fclose(f);
	if (config_load(tmp, &cfg, &err) != 0)
		fail_msg("%s", err);
	assert_non_null(config_channel(cfg, "log"));
	config_free(cfg);

	/* The included file's second line is the mistake. */
	assert_non_null(f = fopen(bad, "w"));
	fputs("\n  rules = 5;\n", f);
	fclose(f);
	assert_non_null(f = fopen(tmp, "w"));
	fprintf(f, LOG "@include \"%s\"\npeople = ( { handle = \"dora\"; } );\n",
	    bad);
	fclose(f);
	cfg = NULL;
	assert_int_equal(config_load(tmp, &cfg, &err), -1);
	if (strstr(err, "bad.conf:2: 'rules' must be") == NULL ||
	    err[0] != '/')
		fail_msg("got: %s", err);
	free(err);
	err = NULL;

	/* A string the main file leaves open: the line after its last. */
	assert_non_null(f = fopen(tmp, "w"));
	fprintf(f, "@include \"%s/included/channels.conf\"\n"
	    "people = ( { handle = \"anna; } );\n", fixtures);
	fclose(f);
	assert_int_equal(config_load(tmp, &cfg, &err), -1);
	if (strstr(err, "n.conf:3: syntax error") == NULL)
		fail_msg("got: %s", err);
	free(err);
}

static void
test_cannot_read(void **state)
{
	(void)state;
	expect_error("/nonexistent/nudge.conf", "cannot read configuration "
	    "/nonexistent/nudge.conf: ", 0, "No such file or directory",
	    "missing file");
	expect_error(FIXTURES, "cannot read configuration " FIXTURES ": ", 0,
	    "directory", "directory");
}

/* Realistic files in fixtures/config/, each with one mistake. */
static void
test_fixture_mistakes(void **state)
{
	static const struct {
		const char *file;
		int line;
		const char *what;
	} cases[] = {
		{ "bad-typo.conf", 12, "unknown key 'hourz' in person 'erik' "
		    "(known: handle, name, email, timezone, hours, days, "
		    "notify, capacity, digest, holidays, weekly_summary, "
		    "language); did you mean 'hours'?" },
		{ "bad-capacity.conf", 7, "'capacity' must be an integer "
		    "(person 'anna': " },
		{ "bad-secret-dir.conf", 4, "'secret_file' in channel 'crm': "
		    "/" },
		{ "bad-secret-dir.conf", 4, "fixtures/config/secrets is not a "
		    "regular file" },
		{ "bad-secret-missing.conf", 5, "'password_file' in channel "
		    "'mail': cannot read /" },
		{ "bad-secret-missing.conf", 5, "fixtures/config/secrets/"
		    "nonexistent.secret: No such file or directory" },
		{ "bad-syntax.conf", 3, "syntax error" },
		/* Found by tests/fuzz/fuzz_config.c. */
		{ "bad-include-dir.conf", 3, "@include \"included\": /" },
		{ "bad-include-dir.conf", 3, "fixtures/config/included is not a "
		    "regular file" },
		{ "bad-include-missing.conf", 3, "cannot open the @included "
		    "file /" },
		{ "bad-ca-missing.conf", 4, "'ca_file' in channel 'hook': "
		    "cannot read /" },
		{ "bad-ca-missing.conf", 4, "fixtures/config/no-such-ca.pem: "
		    "No such file or directory" },
		{ "bad-ca-unverified.conf", 4, "'ca_file' in channel 'hook': "
		    "ca_file is of no use with tls_verify = false" },
		{ "bad-ca-http.conf", 4, "'ca_file' in channel 'hook': "
		    "ca_file is of no use without TLS (an http:// url)" },
		{ "bad-ca-cleartext.conf", 4, "'ca_file' in channel 'mail': "
		    "ca_file is of no use without TLS (tls = \"none\")" },
		{ "bad-include-missing.conf", 3, "fixtures/config/included/"
		    "no-such.conf: No such file or directory" },
	};
	char path[256], label[300];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(path, sizeof(path), FIXTURES "/%s", cases[i].file);
		snprintf(label, sizeof(label), "%s (case %zu)", path, i);
		expect_error(path, path, cases[i].line, cases[i].what, label);
	}
}

/* A mistake in an included file names that file and its line. */
static void
test_include_mistake(void **state)
{
	struct config *cfg = NULL;
	char *err = NULL;

	(void)state;
	assert_int_equal(config_load(FIXTURES "/bad-include.conf", &cfg,
	    &err), -1);
	assert_null(cfg);
	/* The included file is shown as a path one can open; relative paths
	 * in it are relative to the main file, like all of them. */
	if (strstr(err, "fixtures/config/included/bad-channels.conf:4: "
	    "'secret_file' in channel 'hook': cannot read /") == NULL ||
	    strstr(err, "fixtures/config/missing.secret: No such file") ==
	    NULL || err[0] != '/')
		fail_msg("got: %s", err);
	free(err);

	/* A syntax error in an included file, the same way. */
	err = NULL;
	assert_int_equal(config_load(FIXTURES "/bad-include-syntax.conf",
	    &cfg, &err), -1);
	assert_null(cfg);
	if (strstr(err, "fixtures/config/included/bad-syntax.conf:3: syntax "
	    "error") == NULL || err[0] != '/')
		fail_msg("got: %s", err);
	free(err);
}

/*
 * One mistake per case, written to a temporary file.  `line` is where the
 * message must point; `what` a part of it that says what is wrong.
 */
static void
test_mistakes(void **state)
{
	static const struct {
		const char *text;
		int line;
		const char *what;
	} cases[] = {
		/* top level */
		{ "databse = \"x.db\";\n", 1, "unknown key 'databse' at the "
		    "top level (known: database, timezone, runtime_dir, "
		    "holidays, ops, weekly_summary, effect_horizon, people, "
		    "channels, rules, promises, delivery, cadences, http); did "
		    "you mean "
		    "'database'?" },
		{ "weekly_summary = \"friday\";\n", 1, "'weekly_summary': "
		    "'friday' is not a day and a time such as \"fri 16:00\"" },
		{ "weekly_summary = \"mon-fri 16:00\";\n", 1,
		    "'mon-fri 16:00': one day of the week" },
		{ "weekly_summary = \"fri 25:00\";\n", 1, "'weekly_summary':" },
		/* A purchase is not working-time: days or weeks, as --horizon. */
		{ "effect_horizon = \"120bd\";\n", 1, "'120bd' is elapsed "
		    "time: use s, m, h, d or w, not business days" },
		{ "effect_horizon = \"soon\";\n", 1, "effect_horizon" },
		/* Found by tests/fuzz/fuzz_config.c: libconfig prints a stray
		 * backslash in an @include name to stdout. */
		{ "\n@include \"x\\y\"\n", 2, "the @include name has a "
		    "control character, a stray backslash" },
		{ "\n\nfoo = 1;\n", 3, "unknown key 'foo' at the top level "
		    "(known: database," },
		{ "database = 5;\n", 1, "'database' must be a string" },
		{ "database = \"\";\n", 1, "'database': empty string" },
		{ "database = \"a\\nb\";\n", 1, "'database': control character"
		    " at byte 2" },
		{ "database = \"\xff.db\";\n", 1, "'database': not valid "
		    "UTF-8" },
		{ "people = { handle = \"a\"; };\n", 1, "'people' must be a "
		    "list of groups" },
		{ "people = ( \"anna\" );\n", 1, "'people' must be a list of "
		    "groups" },
		{ "promises = ( );\n", 1, "'promises' must be a group" },
		{ "timezone = \"Nowhere/City\";\n", 1, "'timezone': unknown "
		    "time zone 'Nowhere/City'" },
		{ "timezone = \"../../etc/passwd\";\n", 1, "unknown time "
		    "zone" },
		{ "holidays = [ \"2026-02-30\" ];\n", 1, "'holidays': invalid "
		    "date '2026-02-30'" },
		{ "holidays = [ 20261224 ];\n", 1, "'holidays' must be a list "
		    "of strings" },
		{ "holidays = [ \"2026-12-24\",\n \"24/12\" ];\n", 2,
		    "invalid date '24/12'" },
		{ LOG "ops = \"nowhere\";\n", 2, "'ops': unknown channel "
		    "'nowhere' (channels: log)" },
		{ "runtime_dir = \"/run/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		    "aaaaaaaaaaaaaaaaaaaaaaaa\";\n", 1, "too long for a socket "
		    "path" },
		{ "a = 1;\nb = ;\n", 2, "syntax error" },
		{ "database = \"a\";\ndatabase = \"b\";\n", 2, "duplicate "
		    "setting name" },

		/* people */
		{ LOG "people = ( { handle = \"anna\";\n hourz = \"8-17\"; } "
		    ");\n", 3, "unknown key 'hourz' in person 'anna' (known: "
		    "handle, name, email," },
		{ LOG "people = ( { handle = \"a\";\n capacity = \"five\"; } "
		    ");\n", 3, "'capacity' must be an integer (person 'a': " },
		{ LOG "people = ( { handle = \"a\"; capacity = 2.5; } );\n", 2,
		    "'capacity' must be an integer" },
		{ LOG "people = ( { handle = \"a\"; capacity = -1; } );\n", 2,
		    "'capacity' in person 'a': -1 is out of range (0 to " },
		{ LOG "people = ( { handle = \"a\"; capacity = 99999999999L; } "
		    ");\n", 2, "'capacity' in person 'a': 99999999999 is out "
		    "of range" },
		{ LOG "people = ( { handle = \"a\"; hours = \"17:00-08:00\"; } "
		    ");\n", 2, "'hours' in person 'a': invalid working hours "
		    "'17:00-08:00'" },
		{ LOG "people = ( { handle = \"a\"; days = \"mon-funday\"; } "
		    ");\n", 2, "'days' in person 'a': invalid days "
		    "'mon-funday'" },
		{ LOG "people = ( { handle = \"a\"; digest = \"8.30\"; } );\n",
		    2, "'digest' in person 'a': invalid time of day '8.30'" },
		{ LOG "people = ( { handle = \"a\";\n language = \"de\"; } "
		    ");\n", 3, "'language' in person 'a': unknown language 'de' "
		    "(en or sv)" },
		{ LOG "people = ( { handle = \"a\";\n timezone = "
		    "\"Mars/Olympus\"; } );\n", 3, "'timezone' in person 'a': "
		    "unknown time zone 'Mars/Olympus'" },
		{ LOG "people = ( { handle = \"a\";\n notify = [ \"sms\" ]; } "
		    ");\n", 3, "'notify' in person 'a': unknown channel 'sms' "
		    "(channels: log)" },
		{ LOG "people = ( { handle = \"a\"; notify = \"log\"; } );\n",
		    2, "'notify' must be a list of strings" },
		{ LOG "people = ( { handle = \"a\"; notify = [ ]; } );\n", 2,
		    "'notify' in person 'a': empty list" },
		{ LOG "people = ( { handle = \"a\"; notify = [ \"log\", \"log\""
		    " ]; } );\n", 2, "'log' is listed twice" },
		{ LOG "people = ( { handle = \"a\"; },\n { handle = \"a\"; } "
		    ");\n", 3, "person 'a' is defined twice (first on line 2)" },
		{ LOG "people = ( { name = \"Anna\"; } );\n", 2, "person #1 "
		    "needs a handle" },
		{ LOG "people = ( { handle = \"Anna Lind\"; } );\n", 2,
		    "'handle' in person 'Anna Lind': 'Anna Lind': use "
		    "lower-case letters" },
		{ LOG "people = ( { handle = \"Anna\"; } );\n", 2, "use "
		    "lower-case letters, digits" },
		{ LOG "people = ( { handle = 7; } );\n", 2, "'handle' must be "
		    "a string, \"...\" (person #1: what --owner takes" },
		{ "people = ( { handle = \"a\"; } );\n", 1, "person 'a' has no "
		    "notify list and there is no channel named 'log'" },
		{ "channels = ( { name = \"mail\"; type = \"email\"; url = "
		    "\"smtp://127.0.0.1\"; from = \"n@x\"; tls = \"none\"; } );\n"
		    "people = ( { handle = \"a\"; notify = [ \"mail\" ]; } );\n",
		    2, "person 'a' is notified on email channel 'mail' but has "
		    "no email" },
		{ LOG "people = ( { handle = \"a\"; email = \"anna at x\"; } "
		    ");\n", 2, "'email' in person 'a': 'anna at x' is not an "
		    "email address" },
		{ LOG "people = ( { handle = \"a\"; email = \"a@x\\r\\nBcc: "
		    "b@y\"; } );\n", 2, "control character" },
		{ LOG "people = ( { handle = \"a\"; holidays = [ \"2026-13-01\""
		    " ]; } );\n", 2, "'holidays' in person 'a': invalid date "
		    "'2026-13-01'" },
		{ LOG "people = ( { handle = \"a\"; weekly_summary = \"yes\"; }"
		    " );\n", 2, "'weekly_summary' must be true or false" },

		/* channels */
		{ "channels = ( { name = \"c\"; type = \"pigeon\"; } );\n", 1,
		    "'type' in channel 'c': unknown type 'pigeon' (log, email "
		    "or webhook)" },
		{ "channels = ( { name = \"c\"; } );\n", 1, "channel 'c' needs "
		    "a type" },
		{ "channels = ( { type = \"log\"; } );\n", 1, "channel #1 needs"
		    " a name" },
		{ "channels = ( { name = \"sales chat\"; type = \"log\"; } );\n",
		    1, "'name' in channel 'sales chat': 'sales chat': use "
		    "letters" },
		{ LOG "channels2 = 1;\n", 2, "unknown key 'channels2'" },
		{ "channels = ( { name = \"log\"; type = \"log\"; },\n"
		    "{ name = \"log\"; type = \"log\"; } );\n", 2, "channel "
		    "'log' is defined twice (first on line 1)" },
		{ "channels = ( { name = \"w\"; type = \"webhook\"; } );\n", 1,
		    "channel 'w': a webhook needs a url" },
		{ "channels = ( { name = \"w\"; type = \"webhook\";\n url = "
		    "\"smtp://x\"; } );\n", 2, "'url' in channel 'w': "
		    "'smtp://x' must start with https:// or http://" },
		{ "channels = ( { name = \"w\"; type = \"webhook\"; url = "
		    "\"https://\"; } );\n", 1, "has no host" },
		{ "channels = ( { name = \"w\"; type = \"webhook\"; url = "
		    "\"https://a b/\"; } );\n", 1, "contains a space" },
		{ "channels = ( { name = \"w\"; type = \"webhook\"; url = "
		    "\"https://x/\";\n format = \"xml\"; } );\n", 2, "'format' "
		    "in channel 'w': unknown format 'xml' (json, slack, mattermost, teams or googlechat)" },
		{ "channels = ( { name = \"w\"; type = \"webhook\"; url = "
		    "\"https://x/\";\n from = \"a@b\"; } );\n", 2, "'from' does "
		    "not apply to channel 'w', a webhook channel" },
		{ "channels = ( { name = \"log\"; type = \"log\";\n url = "
		    "\"https://x/\"; } );\n", 2, "'url' does not apply to "
		    "channel 'log', a log channel" },
		{ "channels = ( { name = \"m\"; type = \"email\"; url = "
		    "\"smtp://127.0.0.1/\"; from = \"n@example.com\"; tls = "
		    "\"none\";\n message_id_domain = \"mail example.com\"; "
		    "} );\n", 2, "'message_id_domain' in channel 'm': 'mail "
		    "example.com' is not a domain name" },
		{ "channels = ( { name = \"m\"; type = \"email\"; url = "
		    "\"smtp://127.0.0.1/\"; from = \"n@example.com\"; tls = "
		    "\"none\";\n message_id_domain = \"example.com.\"; "
		    "} );\n", 2, "'example.com.' is not a domain name" },
		{ "channels = ( { name = \"w\"; type = \"webhook\"; url = "
		    "\"https://x/\";\n secrt_file = \"s\"; } );\n", 2, "unknown "
		    "key 'secrt_file' in channel 'w' (known: name, type, url, "
		    "from, username, password_file, tls, tls_verify, format, "
		    "secret_file, ca_file, idle, message_id_domain); did you "
		    "mean 'secret_file'?" },
		{ "channels = ( { name = \"w\"; type = \"webhook\"; url = "
		    "\"https://x/\";\n secret_file = \"/nonexistent/secret\"; }"
		    " );\n", 2, "'secret_file' in channel 'w': cannot read "
		    "/nonexistent/secret: No such file or directory" },
		{ "channels = ( { name = \"w\"; type = \"webhook\"; url = "
		    "\"https://x/\";\n tls_verify = \"no\"; } );\n", 2,
		    "'tls_verify' must be true or false" },
		{ "channels = ( { name = \"e\"; type = \"email\";\n url = "
		    "\"http://x\"; from = \"a@b\"; } );\n", 2, "'url' in channel"
		    " 'e': 'http://x' must start with smtp:// or smtps://" },
		{ "channels = ( { name = \"e\"; type = \"email\"; from = "
		    "\"a@b\"; } );\n", 1, "channel 'e' needs a url" },
		{ "channels = ( { name = \"e\"; type = \"email\"; url = "
		    "\"smtp://m.example.com\"; } );\n", 1, "channel 'e' needs a "
		    "from address" },
		{ "channels = ( { name = \"e\"; type = \"email\"; url = "
		    "\"smtp://m.example.com\";\n from = \"nudge\"; } );\n", 2,
		    "'from' in channel 'e': 'nudge' has no address in it" },
		{ "channels = ( { name = \"e\"; type = \"email\"; url = "
		    "\"smtp://u:pw@m.example.com\"; from = \"a@b\"; } );\n", 1,
		    "user or password in it" },
		{ "channels = ( { name = \"e\"; type = \"email\"; url = "
		    "\"smtp://m.example.com\"; from = \"a@b\";\n username = "
		    "\"u\"; } );\n", 1, "channel 'e': username and "
		    "password_file go together" },
		{ "channels = ( { name = \"e\"; type = \"email\"; url = "
		    "\"smtp://mail.example.com:25\"; from = \"a@b\";\n tls = "
		    "\"none\"; } );\n", 2, "'tls' in channel 'e': tls = \"none\""
		    " is only allowed for a loopback server (127.0.0.1, ::1, "
		    "localhost), not 'mail.example.com'" },
		{ "channels = ( { name = \"e\"; type = \"email\"; url = "
		    "\"smtp://127.0.0.1.evil.example:25\"; from = \"a@b\";\n "
		    "tls = \"none\"; } );\n", 2, "not '127.0.0.1.evil.example'" },
		{ "channels = ( { name = \"e\"; type = \"email\"; url = "
		    "\"smtps://127.0.0.1\"; from = \"a@b\";\n tls = \"none\"; } "
		    ");\n", 2, "smtps:// is always TLS" },
		{ "channels = ( { name = \"e\"; type = \"email\"; url = "
		    "\"smtp://127.0.0.1\"; from = \"a@b\";\n tls = \"maybe\"; } "
		    ");\n", 2, "'maybe' is neither \"required\" nor \"none\"" },
		{ "channels = ( { name = \"e\"; type = \"email\"; url = "
		    "\"smtp://127.0.0.1\"; from = \"a@b\";\n format = "
		    "\"slack\"; } );\n", 2, "'format' does not apply to channel "
		    "'e', an email channel" },
		{ "channels = ( { name = \"e\"; type = \"email\"; url = "
		    "\"smtp://m.example.com\"; from = \"a@b\"; username = \"u\";"
		    "\n password_file = \"/nonexistent/pw\"; } );\n", 2,
		    "'password_file' in channel 'e': cannot read "
		    "/nonexistent/pw: No such file or directory" },

		/* rules */
		{ LOG "rules = ( { name = \"r\";\n on = \"deal.exploded\"; "
		    "after = \"1d\"; message = \"x\"; } );\n", 3, "'on' in rule "
		    "'r': unknown event 'deal.exploded' (deal.won, deal.lost, "
		    "deal.closing, promise.target, promise.due, "
		    "promise.overdue or promise.kept)" },
		{ LOG "rules = ( { name = \"r\"; after = \"1d\"; message = "
		    "\"x\"; } );\n", 2, "rule 'r' needs on = \"EVENT\"" },
		{ LOG "rules = ( { on = \"deal.won\"; after = \"1d\"; message ="
		    " \"x\"; } );\n", 2, "rule #1 needs a name" },
		{ LOG "rules = ( { name = \"r\"; on = \"deal.won\"; message = "
		    "\"x\"; } );\n", 2, "rule 'r' needs after or before "
		    "(exactly one)" },
		{ LOG "rules = ( { name = \"r\"; on = \"deal.closing\"; after = "
		    "\"1d\";\n before = \"1d\"; message = \"x\"; } );\n", 3,
		    "rule 'r' has both after and before" },
		{ LOG "rules = ( { name = \"r\"; on = \"deal.won\";\n before = "
		    "\"1d\"; message = \"x\"; } );\n", 3, "'before' in rule 'r':"
		    " 'deal.won' happens when it happens: only deal.closing, "
		    "promise.target and promise.due" },
		{ LOG "rules = ( { name = \"r\"; on = \"deal.won\";\n after = "
		    "\"3 fortnights\"; message = \"x\"; } );\n", 3, "'after' in "
		    "rule 'r': invalid duration '3 fortnights'" },
		{ LOG "rules = ( { name = \"r\"; on = \"deal.won\"; after = "
		    "\"1d\";\n at = \"25:00\"; message = \"x\"; } );\n", 3,
		    "'at' in rule 'r': invalid time of day '25:00'" },
		{ LOG "rules = ( { name = \"r\"; on = \"deal.won\"; after = "
		    "\"1d\"; } );\n", 2, "rule 'r' needs a message" },
		{ LOG "rules = ( { name = \"r\"; on = \"deal.won\"; after = "
		    "\"1d\";\n message = \"Hi {{acount}}\"; } );\n", 3,
		    "'message' in rule 'r': column 4: unknown variable 'acount'"
		    " (known: owner, owner_name, account," },
		{ LOG "rules = ( { name = \"r\"; on = \"deal.won\"; after = "
		    "\"1d\";\n message = \"Hi {{account\"; } );\n", 3,
		    "'message' in rule 'r': column 4: '{{' is never closed" },
		{ LOG "rules = ( { name = \"r\"; on = \"deal.won\"; after = "
		    "\"1d\";\n message = \"Hi {{gesture}}\"; } );\n", 3,
		    "'message' in rule 'r': {{gesture}} needs a list of "
		    "gestures" },
		{ LOG "rules = ( { name = \"r\"; on = \"deal.won\"; after = "
		    "\"1d\";\n message = \"Hi {{link}}\"; } );\n", 3,
		    "'message' in rule 'r': {{link}} needs the HTTP listener" },
		{ "http = {\n listen = \"localhost:8470\"; };\n", 2,
		    "'listen' in http: 'localhost:8470' is not ADDRESS:PORT" },
		{ "http = {\n listen = \"127.0.0.1:0\"; };\n", 2,
		    "(port 1 to 65535)" },
		{ "http = {\n listen = \"[::1]:8470\";\n public_url = "
		    "\"nudge.example.com\"; };\n", 3,
		    "'nudge.example.com' is not a base URL" },
		{ "http = { lissen = \"127.0.0.1:1\"; };\n", 1,
		    "unknown key 'lissen' in http" },
		{ LOG "rules = ( { name = \"r\"; on = \"deal.won\"; after = "
		    "\"1d\"; message = \"Hi\";\n gestures = [ \"a note\" ]; } "
		    ");\n", 3, "rule 'r' lists gestures but its message has no "
		    "{{gesture}}" },
		{ LOG "rules = ( { name = \"r\"; on = \"deal.won\"; after = "
		    "\"1d\"; message = \"Hi\";\n once_per = \"90d\"; } );\n", 3,
		    "only a rule with second_chocolate = true has a once_per" },
		{ LOG "rules = ( { name = \"r\"; on = \"deal.lost\"; after = "
		    "\"1d\"; message = \"Hi\";\n second_chocolate = true; } );\n",
		    3, "the second chocolate comes after a won deal" },
		{ LOG "rules = ( { name = \"r\"; on = \"deal.won\"; after = "
		    "\"1d\"; message = \"Hi\"; second_chocolate = true;\n window ="
		    " \"soon\"; } );\n", 3, "'window' in rule 'r': invalid duration 'soon'" },
		{ LOG "rules = ( { name = \"r\"; on = \"deal.won\"; afterr = "
		    "\"1d\"; message = \"x\"; } );\n", 2, "unknown key 'afterr' "
		    "in rule 'r' (known: name, on, after, before, at, message, "
		    "notify, repeat, escalate_to, escalate_after, "
		    "second_chocolate, gestures, window, once_per); did you mean 'after'?" },
		{ LOG "rules = ( { name = \"r\"; on = \"deal.won\"; after = "
		    "\"1d\"; message = \"x\";\n notify = [ \"fax\" ]; } );\n", 3,
		    "'notify' in rule 'r': unknown channel 'fax' (channels: "
		    "log)" },
		{ LOG "rules = ( { name = \"r\"; on = \"deal.won\"; after = "
		    "\"1d\"; message = \"x\"; },\n { name = \"r\"; on = "
		    "\"deal.lost\"; after = \"1d\"; message = \"y\"; } );\n", 3,
		    "rule 'r' is defined twice (first on line 2)" },
		{ LOG "rules = ( { name = \"second chocolate\"; on = "
		    "\"deal.won\"; after = \"1d\"; message = \"x\"; } );\n", 2,
		    "'name' in rule 'second chocolate': 'second chocolate': use"
		    " letters, digits, '.', '-' and '_'" },
		{ LOG "rules = ( { name = \"r\"; on = \"deal.won\"; after = "
		    "\"1d\"; message = \"x\";\n repeat = \"1d\"; } );\n", 3,
		    "'repeat' in rule 'r': only promise.overdue rules repeat" },
		{ LOG "rules = ( { name = \"r\"; on = \"promise.overdue\"; after"
		    " = \"1d\"; message = \"x\";\n repeat = \"0s\"; } );\n", 3,
		    "'repeat' in rule 'r': invalid duration '0s'" },
		{ LOG "people = ( { handle = \"a\"; } );\n"
		    "rules = ( { name = \"r\"; on = \"promise.overdue\"; after = "
		    "\"1h\"; repeat = \"1bd\";\n escalate_to = \"ghost\"; "
		    "escalate_after = 2; message = \"x\"; } );\n", 4,
		    "'escalate_to' in rule 'r': unknown person 'ghost' (people:"
		    " a)" },
		{ LOG "people = ( { handle = \"a\"; } );\n"
		    "rules = ( { name = \"r\"; on = \"promise.overdue\"; after = "
		    "\"1h\";\n escalate_to = \"a\"; message = \"x\"; } );\n", 4,
		    "'escalate_to' in rule 'r': escalation happens after "
		    "repeats: set repeat too" },
		{ LOG "people = ( { handle = \"a\"; } );\n"
		    "rules = ( { name = \"r\"; on = \"promise.overdue\"; after = "
		    "\"1h\"; repeat = \"1d\";\n escalate_after = 2; message = "
		    "\"x\"; } );\n", 4, "'escalate_after' in rule 'r': needs "
		    "escalate_to" },
		{ LOG "people = ( { handle = \"a\"; } );\n"
		    "rules = ( { name = \"r\"; on = \"promise.overdue\"; after = "
		    "\"1h\"; repeat = \"1d\"; escalate_to = \"a\";\n "
		    "escalate_after = 0; message = \"x\"; } );\n", 4,
		    "'escalate_after' in rule 'r': 0 is out of range (1 to " },
		{ "channels = ( { name = \"mail\"; type = \"email\"; url = "
		    "\"smtp://127.0.0.1\"; from = \"n@x\"; tls = \"none\"; },\n"
		    "{ name = \"log\"; type = \"log\"; } );\n"
		    "people = ( { handle = \"a\"; email = \"a@x\"; },\n"
		    "{ handle = \"b\"; } );\n"
		    "rules = ( { name = \"r\"; on = \"deal.won\"; after = \"1h\";"
		    " message = \"x\";\n notify = [ \"mail\" ]; } );\n", 6,
		    "rule 'r' notifies email channel 'mail' but person 'b' has "
		    "no email" },
		{ LOG "rules = ( { name = \"r\"; on = \"deal.won\"; after = "
		    "\"1d\"; message = \"x\";\n second_chocolate = \"yes\"; } "
		    ");\n", 3, "'second_chocolate' must be true or false" },

		/* promises */
		{ "promises = { slack = \"quarter\"; };\n", 1, "'slack' in "
		    "promises: 'quarter' must be a share of the lead time" },
		{ "promises = { slack = \"150%\"; };\n", 1, "'150%' must be a "
		    "share" },
		{ "promises = { slack = 25; };\n", 1, "'slack' must be a "
		    "string" },
		{ "promises = { slak = \"25%\"; };\n", 1, "unknown key 'slak' "
		    "in promises (known: slack, min_slack, max_slack, phrases,"
		    " strict); did you mean 'slack'?" },
		{ "promises = {\n min_slack = \"soon\"; };\n", 2, "'min_slack' "
		    "in promises: invalid duration 'soon'" },
		{ "promises = { min_slack = \"4h\";\n max_slack = \"1h\"; };\n",
		    2, "promises: max_slack is less than min_slack" },
		{ "promises = { phrases = [ \"tomorrow\", \"\" ]; };\n", 1,
		    "'phrases' in promises: empty string" },
		{ "promises = { strict = 1; };\n", 1, "'strict' must be true "
		    "or false" },

		/* delivery */
		{ "delivery = { attempts = 0; };\n", 1, "'attempts' in "
		    "delivery: 0 is out of range (1 to 100)" },
		{ "delivery = { attempts = 8.5; };\n", 1, "'attempts' must be "
		    "an integer" },
		{ "delivery = {\n backoff = \"3bd\"; };\n", 2, "'backoff' in "
		    "delivery: '3bd' is elapsed time" },
		{ "delivery = { backoff = \"1h\";\n max_backoff = \"1m\"; };\n",
		    2, "delivery: max_backoff is shorter than backoff" },
		{ "delivery = { timeout = \"fast\"; };\n", 1, "'timeout' in "
		    "delivery: invalid duration 'fast'" },
		{ "delivery = { late_after = \"0s\"; };\n", 1, "'late_after' "
		    "in delivery: invalid duration '0s'" },
		{ "delivery = { retries = 3; };\n", 1, "unknown key 'retries' "
		    "in delivery (known: attempts, backoff, max_backoff, "
		    "timeout, late_after)" },
	};
	char label[64];
	size_t i;
	int fd;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(tmp_file, sizeof(tmp_file),
		    "/tmp/nudge-test-config-XXXXXX.conf");
		assert_true((fd = mkstemps(tmp_file, 5)) >= 0);
		assert_int_equal(write(fd, cases[i].text,
		    strlen(cases[i].text)), (ssize_t)strlen(cases[i].text));
		close(fd);
		snprintf(label, sizeof(label), "case %zu", i);
		expect_error(tmp_file, tmp_file, cases[i].line, cases[i].what,
		    label);
		unlink(tmp_file);
		tmp_file[0] = '\0';
	}
}

/* The same checks with the file unreadable by permission (not as root,
 * who reads everything). */
static void
test_unreadable_files(void **state)
{
	char conf[128], secret[128], text[256], shown[192];
	FILE *f;

	(void)state;
	if (geteuid() == 0)
		skip();
	snprintf(tmp_dir, sizeof(tmp_dir), "/tmp/nudge-test-config-XXXXXX");
	assert_non_null(mkdtemp(tmp_dir));
	snprintf(conf, sizeof(conf), "%s/n.conf", tmp_dir);
	snprintf(secret, sizeof(secret), "%s/s.secret", tmp_dir);
	f = fopen(secret, "w");
	assert_non_null(f);
	fputs("whsec_eA==\n", f);
	fclose(f);
	assert_int_equal(chmod(secret, 0), 0);
	snprintf(text, sizeof(text), "channels = ( { name = \"w\"; type = "
	    "\"webhook\"; url = \"https://x/\";\n secret_file = \"s.secret\";"
	    " } );\n");
	f = fopen(conf, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	expect_error(conf, conf, 2, "Permission denied", "unreadable secret");
	assert_int_equal(chmod(conf, 0), 0);
	snprintf(shown, sizeof(shown), "cannot read configuration %s: ", conf);
	expect_error(conf, shown, 0, "Permission denied", "unreadable config");
}

/*
 * The groups of the key tables, with a file around one setting of each:
 * `head`, the group's name setting `id` (left out when the key is that
 * one: the message then names the group by number, `anon`), the key on
 * line `line`, `tail`.  Nothing else is set in the group, so the key can
 * be any of its rows: the checks of one value come before those of
 * several keys together, such as a rule's need of an event.
 */
static const struct {
	const struct config_key *table;
	const char *id_key, *where, *anon, *head, *id, *tail;
	int line;
	unsigned types;         /* a channel's: only the keys it takes */
} groups[] = {
	{ config_keys_person, "handle", "person 'a'", "person #1",
	    LOG "people = ( { ", "handle = \"a\";", " } );\n", 3, 0 },
	{ config_keys_rule, "name", "rule 'r'", "rule #1",
	    LOG "rules = ( { ", "name = \"r\";", " } );\n", 3, 0 },
	{ config_keys_cadence, "name", "cadence 'c'", "cadence #1",
	    LOG "cadences = ( { ", "name = \"c\";", " } );\n", 3, 0 },
	{ config_keys_channel, "name", "channel 'w'", "channel #1",
	    "channels = ( { type = \"webhook\"; url = \"https://x/\"; ",
	    "name = \"w\";", " } );\n", 2, KEY_WEBHOOK },
	{ config_keys_channel, "name", "channel 'm'", "channel #1",
	    "channels = ( { type = \"email\"; url = \"smtp://127.0.0.1/\"; "
	    "from = \"n@example.com\"; tls = \"none\"; ",
	    "name = \"m\";", " } );\n", 2, KEY_EMAIL },
	{ config_keys_promises, NULL, "promises", NULL, "promises = { ", "",
	    " };\n", 2, 0 },
	{ config_keys_delivery, NULL, "delivery", NULL, "delivery = { ", "",
	    " };\n", 2, 0 },
	{ config_keys_http, NULL, "http", NULL, "http = { ", "", " };\n", 2,
	    0 },
	{ config_keys_top, NULL, NULL, NULL, "", "", "\n", 2, 0 },
};

/* Write `text` to tmp_file and load it: the message, or NULL when it
 * loads (caller frees). */
static char *
load_text(const char *text)
{
	struct config *cfg = NULL;
	char *err = NULL;
	int fd;

	snprintf(tmp_file, sizeof(tmp_file),
	    "/tmp/nudge-test-config-XXXXXX.conf");
	assert_true((fd = mkstemps(tmp_file, 5)) >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	if (config_load(tmp_file, &cfg, &err) == 0)
		config_free(cfg);
	unlink(tmp_file);
	tmp_file[0] = '\0';
	return err;
}

/*
 * One value of a row in its group: `must` a part of the message it must
 * fail with, after "FILE:LINE: 'key' in group: ", or NULL when the value
 * is in range (the file may still fail for another reason, never one
 * with `refused` in it).
 */
static void
expect_setting(size_t g, const struct config_key *k, const char *value,
    const char *must, const char *refused)
{
	char text[512], head[PATH_MAX + 128], *err;
	int named = groups[g].id_key == NULL ||
	    strcmp(groups[g].id_key, k->name) != 0;
	const char *where = named ? groups[g].where : groups[g].anon;

	snprintf(text, sizeof(text), "%s%s\n %s = %s;%s", groups[g].head,
	    named ? groups[g].id : "", k->name, value, groups[g].tail);
	err = load_text(text);
	if (must == NULL) {
		if (err != NULL && strstr(err, refused) != NULL)
			fail_msg("%s = %s refused: %s", k->name, value, err);
		free(err);
		return;
	}
	if (err == NULL)
		fail_msg("%s = %s loaded, but must fail with \"%s\"", k->name,
		    value, must);
	/* The file's name is random: its line and the key follow it. */
	snprintf(head, sizeof(head), ".conf:%d: '%s'%s%s: ", groups[g].line,
	    k->name, where != NULL ? " in " : "", where != NULL ? where : "");
	if (strstr(err, head) == NULL || strstr(err, must) == NULL) {
		print_error("%s = %s\n   got: %s\nwanted: ...%s...%s\n",
		    k->name, value, err, head, must);
		free(err);
		fail();
	}
	free(err);
}

/* A row's range, from the row: one below the least and one above the
 * most are refused, the least and the most are not. */
static void
expect_range(size_t g, const struct config_key *k)
{
	static const long long step[] = { -1, 1, 0, 0 };
	char v[64], want[96];
	long long n;
	size_t i;
	int pct = k->kind == CONFIG_KIND_PERCENT;

	if (pct)
		snprintf(want, sizeof(want), "from \"%lld%%\" to \"%lld%%\"",
		    k->min, k->max);
	else
		snprintf(want, sizeof(want), "is out of range (%lld to %lld)",
		    k->min, k->max);
	for (i = 0; i < sizeof(step) / sizeof(step[0]); i++) {
		n = (i % 2 == 0 ? k->min : k->max) + step[i];
		if (pct)
			snprintf(v, sizeof(v), "\"%lld%%\"", n);
		else
			snprintf(v, sizeof(v), "%lld", n);
		expect_setting(g, k, v, step[i] != 0 ? want : NULL, want);
	}
}

/* A name of len letters, as a string or a list of one. */
static void
name_value(const struct config_key *k, size_t len, char *buf, size_t size)
{
	char name[256];

	assert_true(len < sizeof(name));
	memset(name, 'a', len);
	name[len] = '\0';
	snprintf(buf, size, k->type == CONFIG_TYPE_ARRAY ? "[ \"%s\" ]" :
	    "\"%s\"", name);
}

/* The ranges the rows must carry, written out here so that a row whose
 * range changed is noticed (the loop below checks each row obeys its own). */
static const struct {
	const char *key;
	long long min, max;
} want_ranges[] = {
	{ "capacity", 0, 1000000 },
	{ "escalate_after", 1, 1000000 },
	{ "slack", 0, 100 },
	{ "attempts", 1, 100 },
	{ "connections", 1, 1024 },
	{ "api_rate", 1, 100000 },
};

static void
expect_documented_range(const struct config_key *k)
{
	size_t i;

	for (i = 0; i < sizeof(want_ranges) / sizeof(want_ranges[0]); i++)
		if (strcmp(want_ranges[i].key, k->name) == 0) {
			if (k->min != want_ranges[i].min ||
			    k->max != want_ranges[i].max)
				fail_msg("'%s' ranges %lld to %lld, wanted "
				    "%lld to %lld", k->name, k->min, k->max,
				    want_ranges[i].min, want_ranges[i].max);
			return;
		}
	fail_msg("'%s' has a range this test does not know", k->name);
}

/* Every row with a range, checked from its row, and the count of them so
 * a row that lost its range is noticed. */
static void
test_table_ranges(void **state)
{
	const struct config_key *k;
	char value[300], want[64];
	size_t g, numbers = 0, names = 0, durations = 0;

	(void)state;
	for (g = 0; g < sizeof(groups) / sizeof(groups[0]); g++)
		for (k = groups[g].table; k->name != NULL; k++) {
			if (groups[g].types != 0 &&
			    (k->flags & groups[g].types) == 0)
				continue;
			if (k->kind == CONFIG_KIND_INT ||
			    k->kind == CONFIG_KIND_PERCENT) {
				expect_documented_range(k);
				expect_range(g, k);
				numbers++;
			} else if (k->kind == CONFIG_KIND_DURATION) {
				/* min 1: a zero length is refused. */
				expect_setting(g, k, "\"0s\"", k->min > 0 ?
				    "invalid duration '0s'" : NULL,
				    "invalid duration");
				durations++;
			} else if (k->max > 0) {
				snprintf(want, sizeof(want), "is longer than "
				    "%lld bytes", k->max);
				name_value(k, (size_t)k->max + 1, value,
				    sizeof(value));
				expect_setting(g, k, value, want, NULL);
				name_value(k, (size_t)k->max, value,
				    sizeof(value));
				expect_setting(g, k, value, NULL, want);
				names++;
			}
		}
	assert_int_equal(numbers, 6);   /* capacity, escalate_after, slack,
					   attempts, connections, api_rate */
	/* an email channel's idle, a cadence's every, the links' link_ttl,
	 * effect_horizon */
	assert_int_equal(durations, 15);
	/* handle, a person's display name, ops, names of channels (of both
	 * kinds) and rules, notify lists, escalate_to, message_id_domain; a
	 * cadence's name, accounts and owner */
	assert_int_equal(names, 13);
}

/* An escaped copy of s for a regular expression. */
static void
regex_quote(const char *s, char *buf, size_t len)
{
	size_t n = 0;

	for (; *s != '\0' && n + 3 < len; s++) {
		if (strchr(".[]()*+?{}|^$\\", *s) != NULL)
			buf[n++] = '\\';
		buf[n++] = *s;
	}
	buf[n] = '\0';
}

/* One of the ways etc/nudge.conf gives `def` for key, in `text`:
 * "default "30s"", ""json" (default)", "0 = no limit (default)", or it
 * sets it, "slack = "25%";". */
static int
documented_in(const char *text, const char *key, const char *def)
{
	char q[128], re[512];
	regex_t rx;
	size_t i;
	int found = 0;

	regex_quote(def, q, sizeof(q));
	for (i = 0; i < 3 && !found; i++) {
		if (i == 0)
			snprintf(re, sizeof(re), "default \"?%s\"?"
			    "([^[:alnum:]]|$)", q);
		else if (i == 1)
			snprintf(re, sizeof(re), "\"?%s\"? (= [^(]*)?"
			    "\\(default\\)", q);
		else
			snprintf(re, sizeof(re), "(^|[^[:alnum:]_])%s = "
			    "\"?%s\"?;", key, q);
		assert_int_equal(regcomp(&rx, re, REG_EXTENDED | REG_ICASE |
		    REG_NOSUB | REG_NEWLINE), 0);
		found = regexec(&rx, text, 0, NULL, 0) == 0;
		regfree(&rx);
	}
	return found;
}

/* etc/nudge.conf gives `def` where it documents key: on a line naming
 * the key or within two lines of it, before (a comment above a setting)
 * or after (a description going on); another key's default does not
 * count. */
static int
documented(const char *text, const char *key, const char *def)
{
	const char *at, *start, *end;
	size_t klen = strlen(key);
	char window[1024];
	int lines;

	for (at = text; (at = strstr(at, key)) != NULL; at += klen) {
		if ((at > text && (isalnum((unsigned char)at[-1]) ||
		    at[-1] == '_')) || isalnum((unsigned char)at[klen]) ||
		    at[klen] == '_')
			continue;
		for (start = at, lines = 0; start > text && lines < 3; start--)
			lines += start[-1] == '\n';
		if (start > text)
			start++;
		for (end = at, lines = 0; *end != '\0' && lines < 3; end++)
			lines += *end == '\n';
		snprintf(window, sizeof(window), "%.*s",
		    (int)(end - start), start);
		if (documented_in(window, key, def))
			return 1;
	}
	return 0;
}

/*
 * The defaults in the tables are what etc/nudge.conf says they are.  A
 * true/false key that is off by default is not always said to be ("true
 * marks the second chocolate").
 */
static void
test_table_defaults_documented(void **state)
{
	const struct config_key *k;
	char *text;
	size_t g, n = 0, len;
	FILE *f;

	(void)state;
	assert_non_null(f = fopen("etc/nudge.conf", "r"));
	assert_non_null(text = calloc(1, 65536));
	len = fread(text, 1, 65535, f);
	fclose(f);
	assert_true(len > 0 && len < 65535);
	for (g = 0; g < sizeof(groups) / sizeof(groups[0]); g++)
		for (k = groups[g].table; k->name != NULL; k++) {
			if (k->def == NULL || (k->kind == CONFIG_KIND_BOOL &&
			    strcmp(k->def, "false") == 0))
				continue;
			if (!documented(text, k->name, k->def)) {
				free(text);
				fail_msg("etc/nudge.conf does not give the "
				    "default of '%s', %s", k->name, k->def);
			}
			n++;
		}
	free(text);
	assert_true(n >= 18);
}

static void
test_lookups_and_lists(void **state)
{
	struct config *cfg = NULL;
	char *err = NULL, *list;

	(void)state;
	if (config_load(FIXTURES "/full.conf", &cfg, &err) != 0)
		fail_msg("%s", err);
	list = config_people_list(cfg);
	assert_string_equal(list, "anna, bo.berg, carl_1");
	free(list);
	assert_non_null(config_person(cfg, "carl_1"));
	assert_null(config_person(cfg, "Anna"));
	assert_null(config_person(cfg, NULL));
	assert_null(config_channel(cfg, NULL));
	assert_null(config_person(NULL, "anna"));
	config_free(cfg);
	config_free(NULL);

	cfg = NULL;
	assert_int_equal(config_load(FIXTURES "/include.conf", &cfg, &err), 0);
	list = config_people_list(cfg);
	assert_string_equal(list, "dora");
	free(list);
	cfg->npeople = 0;       /* as if nobody were configured */
	assert_null(config_people_list(cfg));
	cfg->npeople = 1;
	config_free(cfg);
}

static void
test_default_path(void **state)
{
	(void)state;
	setenv("NUDGE_CONFIG", "/x/y.conf", 1);
	assert_string_equal(config_default_path(), "/x/y.conf");
	setenv("NUDGE_CONFIG", "", 1);
	assert_string_equal(config_default_path(), NUDGE_SYSCONFDIR
	    "/nudge/nudge.conf");
	unsetenv("NUDGE_CONFIG");
	assert_string_equal(config_default_path(), NUDGE_SYSCONFDIR
	    "/nudge/nudge.conf");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_example_config_loads),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_full_file),
		cmocka_unit_test_teardown(test_relative_to_file_and_include,
		    remove_tmp),
		cmocka_unit_test_teardown(test_absolute_include, remove_tmp),
		cmocka_unit_test(test_cannot_read),
		cmocka_unit_test(test_fixture_mistakes),
		cmocka_unit_test(test_include_mistake),
		cmocka_unit_test_teardown(test_mistakes, remove_tmp),
		cmocka_unit_test_teardown(test_unreadable_files, remove_tmp),
		cmocka_unit_test_teardown(test_table_ranges, remove_tmp),
		cmocka_unit_test(test_table_defaults_documented),
		cmocka_unit_test(test_lookups_and_lists),
		cmocka_unit_test(test_default_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
