/*
 * The configuration loader: the shipped example loads, defaults apply,
 * relative paths resolve, and every kind of mistake is reported with file,
 * line and what is wrong.  Each case writes a real file in a temporary
 * directory.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"

static char dir[64];

static int
group_setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/nudge-test-config-XXXXXX");
	return mkdtemp(dir) == NULL ? -1 : 0;
}

static int
group_teardown(void **state)
{
	char p[128];

	(void)state;
	snprintf(p, sizeof(p), "%s/secret", dir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/nudge.conf", dir);
	unlink(p);
	rmdir(dir);
	return 0;
}

/* Write text to DIR/nudge.conf and load it. */
static int
load_text(const char *text, struct config **cfg, char **err)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/nudge.conf", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	*cfg = NULL;
	*err = NULL;
	return config_load(path, cfg, err);
}

static void
test_example_config_loads(void **state)
{
	struct config *cfg = NULL;
	const struct config_person *anna;
	char *err = NULL;
	size_t i;
	int sc = 0;

	(void)state;
	assert_int_equal(config_load("etc/nudge.conf", &cfg, &err), 0);
	assert_null(err);
	assert_string_equal(cfg->database, "/var/lib/nudge/nudge.db");
	assert_string_equal(cfg->timezone, "Europe/Stockholm");
	anna = config_person(cfg, "anna");
	assert_non_null(anna);
	assert_int_equal(anna->hours_start, 8 * 60);
	assert_int_equal(anna->hours_end, 17 * 60);
	assert_int_equal(anna->days, TIMEUTIL_WEEKDAYS);
	assert_int_equal(anna->capacity, 5);
	assert_int_equal(anna->nholidays, 5);   /* the shared list */
	assert_null(config_person(cfg, "nobody"));
	for (i = 0; i < cfg->nrules; i++)
		sc += cfg->rules[i].second_chocolate;
	assert_int_equal(sc, 1);
	assert_int_equal(cfg->promises.slack_percent, 25);
	assert_int_equal(cfg->promises.max_slack.business_days, 3);
	assert_int_equal(cfg->delivery.attempts, 8);
	assert_int_equal(cfg->delivery.max_backoff.seconds, 6 * 3600);
	config_free(cfg);
}

static void
test_defaults_and_relative_paths(void **state)
{
	struct config *cfg;
	const struct config_person *p;
	char *err, expect[160];

	(void)state;
	assert_int_equal(load_text(
	    "database = \"data/n.db\";\n"
	    "channels = ( { name = \"log\"; type = \"log\"; } );\n"
	    "people = ( { handle = \"bo\"; } );\n", &cfg, &err), 0);
	snprintf(expect, sizeof(expect), "%s/data/n.db", dir);
	/* mkdtemp under /tmp: realpath may differ only if /tmp is a link */
	assert_non_null(strstr(cfg->database, "/data/n.db"));
	assert_true(cfg->database[0] == '/');
	assert_string_equal(cfg->runtime_dir, "/run/nudge");
	assert_string_equal(cfg->timezone, "UTC");
	p = config_person(cfg, "bo");
	assert_string_equal(p->timezone, "UTC");
	assert_int_equal(p->hours_start, 9 * 60);
	assert_int_equal(p->hours_end, 17 * 60);
	assert_int_equal(p->nnotify, 1);
	assert_string_equal(p->notify[0], "log");
	assert_int_equal(p->digest_min, -1);
	assert_int_equal(cfg->promises.slack_percent, 25);
	assert_int_equal(cfg->promises.min_slack.seconds, 4 * 3600);
	assert_true(cfg->promises.nphrases > 10);
	assert_int_equal(cfg->delivery.backoff.seconds, 30);
	assert_int_equal(cfg->delivery.late_after.seconds, 24 * 3600);
	config_free(cfg);
}

static void
test_missing_file(void **state)
{
	struct config *cfg = NULL;
	char *err = NULL;

	(void)state;
	assert_int_equal(config_load("/nonexistent/nudge.conf", &cfg, &err),
	    -1);
	assert_null(cfg);
	assert_non_null(strstr(err, "/nonexistent/nudge.conf"));
	assert_non_null(strstr(err, "No such file"));
	free(err);
}

static void
test_mistakes_name_file_line_and_what(void **state)
{
	static const struct {
		const char *text;
		const char *line;       /* ":N:" expected */
		const char *what;       /* text expected in the message */
	} cases[] = {
		{ "channels = ( { name = \"log\"; type = \"log\"; } );\n"
		  "people = ( { handle = \"anna\";\n hourz = \"08:00-17:00\"; } );\n",
		  ":3:", "unknown key 'hourz' in person 'anna'" },
		{ "databse = \"x.db\";\n", ":1:", "unknown key 'databse'" },
		{ "database = 5;\n", ":1:", "'database' in the top level must be a string" },
		{ "channels = ( { name = \"log\"; type = \"log\"; } );\n"
		  "people = ( { handle = \"a\"; capacity = \"five\"; } );\n",
		  ":2:", "'capacity' in person 'a' must be an integer" },
		{ "channels = ( { name = \"log\"; type = \"log\"; } );\n"
		  "people = ( { handle = \"a\"; hours = \"17:00-08:00\"; } );\n",
		  ":2:", "person 'a'" },
		{ "channels = ( { name = \"log\"; type = \"log\"; } );\n"
		  "people = ( { handle = \"a\"; days = \"mon-funday\"; } );\n",
		  ":2:", "funday" },
		{ "channels = ( { name = \"log\"; type = \"log\"; } );\n"
		  "people = ( { handle = \"a\";\n timezone = \"Mars/Olympus\"; } );\n",
		  ":3:", "unknown time zone 'Mars/Olympus'" },
		{ "channels = ( { name = \"log\"; type = \"log\"; } );\n"
		  "people = ( { handle = \"a\";\n notify = [ \"sms\" ]; } );\n",
		  ":3:", "unknown channel 'sms'" },
		{ "channels = ( { name = \"log\"; type = \"log\"; } );\n"
		  "people = ( { handle = \"a\"; }, \n{ handle = \"a\"; } );\n",
		  ":3:", "person 'a' is defined twice" },
		{ "channels = ( { name = \"c\"; type = \"pigeon\"; } );\n",
		  ":1:", "unknown type 'pigeon'" },
		{ "channels = ( { name = \"w\"; type = \"webhook\"; } );\n",
		  ":1:", "webhook needs url" },
		{ "channels = ( { name = \"e\"; type = \"email\"; url = \"http://x\"; from = \"a@b\"; } );\n",
		  ":1:", "email needs url" },
		{ "channels = ( { name = \"e\"; type = \"email\"; url = \"smtp://mail.example.com\";\n"
		  " from = \"a@b\"; tls = \"none\"; } );\n",
		  ":1:", "only allowed for a loopback server" },
		{ "channels = ( { name = \"w\"; type = \"webhook\"; url = \"https://x\";\n"
		  " secret_file = \"/nonexistent/secret\"; } );\n",
		  ":2:", "secret_file /nonexistent/secret: No such file" },
		{ "channels = ( { name = \"e\"; type = \"email\"; url = \"smtp://127.0.0.1:25\";\n"
		  " from = \"a@b\"; tls = \"none\";\n password_file = \"missing.secret\"; } );\n",
		  ":3:", "missing.secret" },
		{ "channels = ( { name = \"log\"; type = \"log\"; } );\n"
		  "rules = ( { name = \"r\"; on = \"deal.exploded\"; after = \"1d\"; message = \"x\"; } );\n",
		  ":2:", "unknown event 'deal.exploded'" },
		{ "channels = ( { name = \"log\"; type = \"log\"; } );\n"
		  "rules = ( { name = \"r\"; on = \"deal.won\"; message = \"x\"; } );\n",
		  ":2:", "exactly one of after or before" },
		{ "channels = ( { name = \"log\"; type = \"log\"; } );\n"
		  "rules = ( { name = \"r\"; on = \"deal.won\"; after = \"3 fortnights\"; message = \"x\"; } );\n",
		  ":2:", "'after'" },
		{ "channels = ( { name = \"log\"; type = \"log\"; } );\n"
		  "rules = ( { name = \"r\"; on = \"deal.won\"; after = \"1d\"; at = \"25:00\"; message = \"x\"; } );\n",
		  ":2:", "rule 'r'" },
		{ "channels = ( { name = \"log\"; type = \"log\"; } );\n"
		  "rules = ( { name = \"r\"; on = \"deal.won\"; after = \"1d\";\n"
		  " message = \"Hi {{acount}}\"; } );\n",
		  ":3:", "unknown variable 'acount'" },
		{ "channels = ( { name = \"log\"; type = \"log\"; } );\n"
		  "rules = ( { name = \"r\"; on = \"deal.won\"; after = \"1d\";\n"
		  " message = \"Hi {{account\"; } );\n",
		  ":3:", "never closed" },
		{ "channels = ( { name = \"log\"; type = \"log\"; } );\n"
		  "rules = ( { name = \"r\"; on = \"promise.overdue\"; after = \"1d\"; repeat = \"1bd\";\n"
		  " escalate_to = \"ghost\"; escalate_after = 2; message = \"x\"; } );\n",
		  ":3:", "unknown person 'ghost'" },
		{ "promises = { slack = \"quarter\"; };\n", ":1:", "slack 'quarter'" },
		{ "promises = { slak = \"25%\"; };\n", ":1:", "unknown key 'slak' in promises" },
		{ "delivery = { attempts = 0; };\n", ":1:", "attempts must be 1 to 100" },
		{ "delivery = { backoff = \"3bd\"; };\n", ":1:", "business days" },
		{ "holidays = [ \"2026-02-30\" ];\n", ":1:", "holidays" },
		{ "ops = \"nowhere\";\n", ":1:", "ops names unknown channel" },
		{ "timezone = \"Nowhere/City\";\n", ":1:", "unknown time zone" },
		{ "people = ( { handle = \"a\" } )\n", ":1:", "" },  /* syntax */
		{ "people = ( { handle = \"Anna Lind\"; } );\n", ":1:", "handle 'Anna Lind'" },
	};
	struct config *cfg;
	char *err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (load_text(cases[i].text, &cfg, &err) == 0) {
			fail_msg("case %zu loaded but should fail", i);
		}
		assert_null(cfg);
		assert_non_null(err);
		if (strstr(err, "nudge.conf") == NULL ||
		    strstr(err, cases[i].line) == NULL ||
		    strstr(err, cases[i].what) == NULL)
			fail_msg("case %zu: got \"%s\", wanted nudge.conf%s "
			    "and \"%s\"", i, err, cases[i].line,
			    cases[i].what);
		free(err);
	}
}

static void
test_secret_files_and_loopback(void **state)
{
	struct config *cfg;
	char *err, text[512], path[128];
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/secret", dir);
	f = fopen(path, "w");
	fputs("whsec_c2VjcmV0\n", f);
	fclose(f);
	chmod(path, 0600);
	snprintf(text, sizeof(text),
	    "channels = ( { name = \"crm\"; type = \"webhook\"; "
	    "url = \"http://127.0.0.1:1/\"; secret_file = \"secret\"; },\n"
	    "{ name = \"mail\"; type = \"email\"; url = \"smtp://[::1]:2525\"; "
	    "from = \"n@x\"; tls = \"none\"; password_file = \"%s\"; } );\n"
	    "people = ( { handle = \"a\"; email = \"a@x\"; notify = [ \"crm\", \"mail\" ]; } );\n",
	    path);
	assert_int_equal(load_text(text, &cfg, &err), 0);
	assert_string_equal(config_channel(cfg, "crm")->secret_file, path);
	assert_int_equal(config_channel(cfg, "mail")->tls_required, 0);
	assert_int_equal(config_channel(cfg, "crm")->format,
	    CONFIG_WEBHOOK_JSON);
	assert_int_equal(config_channel(cfg, "crm")->tls_verify, 1);
	config_free(cfg);
}

static void
test_people_list(void **state)
{
	struct config *cfg;
	char *err, *list;

	(void)state;
	assert_int_equal(load_text(
	    "channels = ( { name = \"log\"; type = \"log\"; } );\n"
	    "people = ( { handle = \"anna\"; }, { handle = \"bo\"; } );\n",
	    &cfg, &err), 0);
	list = config_people_list(cfg);
	assert_string_equal(list, "anna, bo");
	free(list);
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
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_example_config_loads),
		cmocka_unit_test(test_defaults_and_relative_paths),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_mistakes_name_file_line_and_what),
		cmocka_unit_test(test_secret_files_and_loopback),
		cmocka_unit_test(test_people_list),
		cmocka_unit_test(test_default_path),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
