/*
 * Unit tests for lib/promise.c (the internal target and how far it sits
 * before the due date) and lib/check.c (the over-promise check).
 *
 * Moments are built with timeutil_make_local() from the local wall time a
 * person would read.  Every expected target also carries, worked out by
 * hand, the UTC wall time of the same instant, so a wrong offset shows up
 * even if make_local itself were wrong.  Offsets used: Stockholm CET +1 /
 * CEST +2, clocks forward 2026-03-29 01:00 UTC and back 2026-10-25 01:00
 * UTC; New York EST -5 / EDT -4, forward 2026-03-08 07:00 UTC and back
 * 2026-11-01 06:00 UTC.  2026-11-02 is a Monday.
 *
 * The check tests load a configuration written to a temporary directory
 * and use a real SQLite store there for the capacity count.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "config.h"
#include "promise.h"
#include "store.h"
#include "timeutil.h"
#include "unit_db.h"

#define se(y, mo, d, h, mi) udb_local(SE, y, mo, d, h, mi)
#define ny(y, mo, d, h, mi) udb_local(NY, y, mo, d, h, mi)

/* ---- working time ----------------------------------------------------- */

/* Monday 9 November 2026 as a holiday, filled in by the tests using it. */
static int32_t nov9[1];

static const struct timeutil_hours se_office = {
	SE, 8 * 60, 17 * 60, TIMEUTIL_WEEKDAYS, NULL, 0
};
static const struct timeutil_hours se_office_nov9 = {
	SE, 8 * 60, 17 * 60, TIMEUTIL_WEEKDAYS, nov9, 1
};
static const struct timeutil_hours ny_office = {
	NY, 8 * 60, 17 * 60, TIMEUTIL_WEEKDAYS, NULL, 0
};
/* Around the clock, every day: nothing is ever moved into hours. */
static const struct timeutil_hours se_always = {
	SE, 0, 24 * 60, TIMEUTIL_ALL_DAYS, NULL, 0
};

static void
set_holiday(void)
{
	char *err = NULL;

	assert_int_equal(timeutil_parse_date("2026-11-09", &nov9[0], &err), 0);
	assert_int_equal(nov9[0], 20766);       /* days since 1970-01-01 */
}

/* ---- promise_target() ------------------------------------------------- */

struct target_case {
	const char *what;
	const struct timeutil_hours *h;
	int percent;
	struct udb_wall made, due, want; /* local, in h->zone */
	struct udb_wall want_utc;        /* the same instant in UTC */
};

/*
 * Slack 4h (elapsed) to 3bd (same local time, working days back), as the
 * default configuration.  The lead time is elapsed seconds, so its share
 * is too.  In each row: lead, share, the bounds, then working hours.
 */
static const struct target_case target_cases[] = {
	/* Mon 09:00 -> Fri 17:00 is 104 h; 25 % = 26 h before due = Thu
	 * 15:00, inside [Tue 17:00 (3bd), Fri 13:00 (4h)] and in hours. */
	{ "25 %", &se_office, 25, { 2026, 11, 2, 9, 0 },
	    { 2026, 11, 6, 17, 0 }, { 2026, 11, 5, 15, 0 },
	    { 2026, 11, 5, 14, 0 } },
	/* 50 % of 104 h = 52 h before Fri 17:00 = Wed 13:00. */
	{ "50 %", &se_office, 50, { 2026, 11, 2, 9, 0 },
	    { 2026, 11, 6, 17, 0 }, { 2026, 11, 4, 13, 0 },
	    { 2026, 11, 4, 12, 0 } },
	/* 10 % of 104 h = 10h24m before Fri 17:00 = Fri 06:36, before the
	 * day starts: moved to Fri 08:00, still before due. */
	{ "10 %, before hours", &se_office, 10, { 2026, 11, 2, 9, 0 },
	    { 2026, 11, 6, 17, 0 }, { 2026, 11, 6, 8, 0 },
	    { 2026, 11, 6, 7, 0 } },
	/* 0 % would be the due moment itself: min_slack pulls it to 4 h
	 * before, Fri 13:00. */
	{ "0 %, at least min", &se_office, 0, { 2026, 11, 2, 9, 0 },
	    { 2026, 11, 6, 17, 0 }, { 2026, 11, 6, 13, 0 },
	    { 2026, 11, 6, 12, 0 } },
	/* 100 % would be made (Mon 09:00): max_slack 3bd back from Fri 17:00
	 * is Tue 17:00, the end of the day, so the next working moment, Wed
	 * 08:00. */
	{ "100 %, at most max", &se_office, 100, { 2026, 11, 2, 9, 0 },
	    { 2026, 11, 6, 17, 0 }, { 2026, 11, 4, 8, 0 },
	    { 2026, 11, 4, 7, 0 } },
	/* 8 h lead, 25 % = 2 h before = 15:00, later than 4 h before due:
	 * min_slack gives 13:00. */
	{ "min bound", &se_office, 25, { 2026, 11, 2, 9, 0 },
	    { 2026, 11, 2, 17, 0 }, { 2026, 11, 2, 13, 0 },
	    { 2026, 11, 2, 12, 0 } },
	/* 3 h lead: 4 h before due (09:00) is before the promise was made
	 * (10:00), so the target is the moment it was made. */
	{ "never before made", &se_office, 25, { 2026, 11, 6, 10, 0 },
	    { 2026, 11, 6, 13, 0 }, { 2026, 11, 6, 10, 0 },
	    { 2026, 11, 6, 9, 0 } },
	/* Made and due at once: no room at all, target = due. */
	{ "no lead time", &se_office, 25, { 2026, 11, 6, 12, 0 },
	    { 2026, 11, 6, 12, 0 }, { 2026, 11, 6, 12, 0 },
	    { 2026, 11, 6, 11, 0 } },
	/* 28 days lead, 25 % = 7 days before = Mon 23rd; 3bd before Mon 30th
	 * 09:00 is Wed 25th 09:00, which wins. */
	{ "max bound", &se_office, 25, { 2026, 11, 2, 9, 0 },
	    { 2026, 11, 30, 9, 0 }, { 2026, 11, 25, 9, 0 },
	    { 2026, 11, 25, 8, 0 } },
	/* 8 days lead, 25 % = 48 h before Tue 10th 10:00 = Sun 8th 10:00:
	 * a weekend, moved on to Mon 08:00. */
	{ "weekend", &se_office, 25, { 2026, 11, 2, 10, 0 },
	    { 2026, 11, 10, 10, 0 }, { 2026, 11, 9, 8, 0 },
	    { 2026, 11, 9, 7, 0 } },
	/* The same with Monday a holiday: on to Tue 08:00, still before the
	 * 10:00 due.  (3bd back skips the holiday: Wed 4th, not reached.) */
	{ "weekend and holiday", &se_office_nov9, 25, { 2026, 11, 2, 10, 0 },
	    { 2026, 11, 10, 10, 0 }, { 2026, 11, 10, 8, 0 },
	    { 2026, 11, 10, 7, 0 } },
	/* 96 h lead, 25 % = 24 h before Tue 08:00 = Mon 08:00, a holiday.
	 * The next working moment is Tue 08:00 = due, not before it: the
	 * target stays on the holiday. */
	{ "holiday, no room to move", &se_office_nov9, 25,
	    { 2026, 11, 6, 8, 0 }, { 2026, 11, 10, 8, 0 },
	    { 2026, 11, 9, 8, 0 }, { 2026, 11, 9, 7, 0 } },
	/* 48 h lead, 25 % = 12 h before Wed 09:00 = Tue 21:00: moved to Wed
	 * 08:00, one hour before due, even though that is less than
	 * min_slack: only "before due" limits the move. */
	{ "after hours", &se_office, 25, { 2026, 11, 2, 9, 0 },
	    { 2026, 11, 4, 9, 0 }, { 2026, 11, 4, 8, 0 },
	    { 2026, 11, 4, 7, 0 } },

	/* DST.  Fri 27 Mar 09:00 CET (08:00Z) -> Mon 30 Mar 17:00 CEST
	 * (15:00Z) is 79 h, not the 80 h of the wall clocks; 10 % = 7h54m
	 * before 15:00Z = 07:06Z = 09:06 CEST. */
	{ "Stockholm spring forward", &se_office, 10, { 2026, 3, 27, 9, 0 },
	    { 2026, 3, 30, 17, 0 }, { 2026, 3, 30, 9, 6 },
	    { 2026, 3, 30, 7, 6 } },
	/* Fri 23 Oct 09:00 CEST (07:00Z) -> Mon 26 Oct 17:00 CET (16:00Z)
	 * is 81 h; 10 % = 8h06m before 16:00Z = 07:54Z = 08:54 CET. */
	{ "Stockholm fall back", &se_office, 10, { 2026, 10, 23, 9, 0 },
	    { 2026, 10, 26, 17, 0 }, { 2026, 10, 26, 8, 54 },
	    { 2026, 10, 26, 7, 54 } },
	/* Fri 6 Mar 09:00 EST (14:00Z) -> Mon 9 Mar 17:00 EDT (21:00Z) is
	 * 79 h; 10 % = 7h54m before 21:00Z = 13:06Z = 09:06 EDT. */
	{ "New York spring forward", &ny_office, 10, { 2026, 3, 6, 9, 0 },
	    { 2026, 3, 9, 17, 0 }, { 2026, 3, 9, 9, 6 },
	    { 2026, 3, 9, 13, 6 } },
	/* Fri 30 Oct 09:00 EDT (13:00Z) -> Mon 2 Nov 17:00 EST (22:00Z) is
	 * 81 h; 10 % = 8h06m before 22:00Z = 13:54Z = 08:54 EST. */
	{ "New York fall back", &ny_office, 10, { 2026, 10, 30, 9, 0 },
	    { 2026, 11, 2, 17, 0 }, { 2026, 11, 2, 8, 54 },
	    { 2026, 11, 2, 13, 54 } },
	/* 3bd keeps the wall clock: back from Tue 31 Mar 10:00 CEST over
	 * Mon 30, Fri 27, Thu 26 = Thu 26 Mar 10:00 CET (09:00Z), 4d23h of
	 * elapsed time before due.  (25 % of the month is far earlier.) */
	{ "3bd across spring forward", &se_office, 25, { 2026, 3, 2, 10, 0 },
	    { 2026, 3, 31, 10, 0 }, { 2026, 3, 26, 10, 0 },
	    { 2026, 3, 26, 9, 0 } },
	/* 4h is elapsed: Sat 28 Mar 12:00 CET (11:00Z) -> Sun 29 Mar 05:00
	 * CEST (03:00Z) is 16 h; 10 % = 1h36m is under min, so 4 h before
	 * 03:00Z = 23:00Z = Sun 00:00 CET (not the wall clock's 01:00). */
	{ "4h across the missing hour", &se_always, 10, { 2026, 3, 28, 12, 0 },
	    { 2026, 3, 29, 5, 0 }, { 2026, 3, 29, 0, 0 },
	    { 2026, 3, 28, 23, 0 } },
};

static void
test_target(void **state)
{
	const struct target_case *c;
	struct promise_slack slack;
	char what[128];
	time_t made, due, want, got;
	size_t i;

	(void)state;
	set_holiday();
	memset(&slack, 0, sizeof(slack));
	slack.min.seconds = 4 * 3600;
	slack.max.business_days = 3;
	for (i = 0; i < sizeof(target_cases) / sizeof(target_cases[0]); i++) {
		c = &target_cases[i];
		slack.percent = c->percent;
		made = udb_wall(c->h->zone, c->made);
		due = udb_wall(c->h->zone, c->due);
		want = udb_wall(c->h->zone, c->want);
		snprintf(what, sizeof(what), "%s (UTC wall time)", c->what);
		udb_expect_moment(what, "UTC", want, udb_wall("UTC", c->want_utc));
		got = promise_target(c->h, &slack, made, due);
		udb_expect_moment(c->what, c->h->zone, got, want);
		/* Whatever the row, these always hold. */
		assert_true(got >= made);
		assert_true(got <= due);
	}
}

/* The DST rows again as elapsed offsets from due, independent of how the
 * expected local time is built. */
static void
test_target_dst_elapsed(void **state)
{
	struct promise_slack slack = { 10, { 4 * 3600, 0, 0 }, { 0, 0, 3 } };
	time_t due;

	(void)state;
	due = se(2026, 3, 30, 17, 0);
	assert_int_equal(due - se(2026, 3, 27, 9, 0), 79 * 3600);
	assert_int_equal(promise_target(&se_office, &slack,
	    se(2026, 3, 27, 9, 0), due), due - (7 * 3600 + 54 * 60));
	due = ny(2026, 11, 2, 17, 0);
	assert_int_equal(due - ny(2026, 10, 30, 9, 0), 81 * 3600);
	assert_int_equal(promise_target(&ny_office, &slack,
	    ny(2026, 10, 30, 9, 0), due), due - (8 * 3600 + 6 * 60));
	/* min_slack is elapsed time across the missing hour. */
	due = se(2026, 3, 29, 5, 0);
	assert_int_equal(promise_target(&se_always, &slack,
	    se(2026, 3, 28, 12, 0), due), due - 4 * 3600);
	/* max_slack in business days keeps the wall clock: 4d23h elapsed. */
	slack.percent = 25;
	due = se(2026, 3, 31, 10, 0);
	assert_int_equal(promise_target(&se_office, &slack,
	    se(2026, 3, 2, 10, 0), due), due - (4 * 86400 + 23 * 3600));
}

/* ---- promise_describe_gap() ------------------------------------------ */

static void
test_describe_gap(void **state)
{
	static const struct {
		const struct timeutil_hours *h;
		struct udb_wall target, due;
		const char *want;
	} rows[] = {
		/* Same local time two working days before. */
		{ &se_office, { 2026, 11, 4, 17, 0 }, { 2026, 11, 6, 17, 0 },
		    "2 business days" },
		{ &se_office, { 2026, 11, 5, 17, 0 }, { 2026, 11, 6, 17, 0 },
		    "1 business day" },
		/* Over a weekend: Mon <- Fri <- Thu. */
		{ &se_office, { 2026, 11, 5, 10, 0 }, { 2026, 11, 9, 10, 0 },
		    "2 business days" },
		/* Over a weekend and the Monday holiday: Tue <- Fri <- Thu. */
		{ &se_office_nov9, { 2026, 11, 5, 10, 0 },
		    { 2026, 11, 10, 10, 0 }, "2 business days" },
		/* Over the spring DST night: still one business day. */
		{ &se_office, { 2026, 3, 27, 17, 0 }, { 2026, 3, 30, 17, 0 },
		    "1 business day" },
		/* Working hours: Fri 11:00-17:00. */
		{ &se_office, { 2026, 11, 6, 11, 0 }, { 2026, 11, 6, 17, 0 },
		    "6 working hours" },
		/* Thu 15:00-17:00 + Fri 08:00-17:00 = 2 + 9 h. */
		{ &se_office, { 2026, 11, 5, 15, 0 }, { 2026, 11, 6, 17, 0 },
		    "11 working hours" },
		{ &se_office, { 2026, 11, 6, 16, 0 }, { 2026, 11, 6, 17, 0 },
		    "1 working hour" },
		/* Fri 16:00-17:00 + Mon 08:00-10:00 across the spring DST
		 * weekend: 3 h of work, however long the nights were. */
		{ &se_office, { 2026, 3, 27, 16, 0 }, { 2026, 3, 30, 10, 0 },
		    "3 working hours" },
		{ &se_office, { 2026, 11, 6, 15, 30 }, { 2026, 11, 6, 17, 0 },
		    "1h30m of working time" },
		/* Fri 15:30-17:00 + Mon 08:00-09:00, not the weekend. */
		{ &se_office, { 2026, 11, 6, 15, 30 }, { 2026, 11, 9, 9, 0 },
		    "2h30m of working time" },
		{ &se_office, { 2026, 11, 6, 16, 15 }, { 2026, 11, 6, 16, 45 },
		    "30 working minutes" },
		{ &se_office, { 2026, 11, 6, 16, 59 }, { 2026, 11, 6, 17, 0 },
		    "1 working minute" },
	};
	char buf[64];
	size_t i;

	(void)state;
	set_holiday();
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		buf[0] = '\0';
		assert_int_equal(promise_describe_gap(rows[i].h,
		    udb_wall(rows[i].h->zone, rows[i].target),
		    udb_wall(rows[i].h->zone, rows[i].due), buf, sizeof(buf)),
		    0);
		if (strcmp(buf, rows[i].want) != 0)
			fail_msg("row %zu: got \"%s\", want \"%s\"", i, buf,
			    rows[i].want);
	}
	/* Seconds round to the nearest minute: 89 s is one minute. */
	assert_int_equal(promise_describe_gap(&se_office,
	    se(2026, 11, 6, 17, 0) - 89, se(2026, 11, 6, 17, 0), buf,
	    sizeof(buf)), 0);
	assert_string_equal(buf, "1 working minute");
	/* Too small a buffer is an error, in both wordings. */
	assert_int_equal(promise_describe_gap(&se_office,
	    se(2026, 11, 4, 17, 0), se(2026, 11, 6, 17, 0), buf, 8), -1);
	assert_int_equal(promise_describe_gap(&se_office,
	    se(2026, 11, 6, 15, 30), se(2026, 11, 6, 17, 0), buf, 10), -1);
	/* Exactly fitting is fine: "1 working hour" is 14 bytes + NUL. */
	assert_int_equal(promise_describe_gap(&se_office,
	    se(2026, 11, 6, 16, 0), se(2026, 11, 6, 17, 0), buf, 15), 0);
	assert_string_equal(buf, "1 working hour");
}

/* ---- check_promise() -------------------------------------------------- */

/*
 * anna works in Stockholm with a capacity of 3 and Christmas Eve off; bo
 * in New York with a capacity of 1; carl has no capacity limit.
 */
static const char check_conf[] =
    "timezone = \"Europe/Stockholm\";\n"
    "channels = ( { name = \"log\"; type = \"log\"; } );\n"
    "people = (\n"
    "  { handle = \"anna\"; timezone = \"Europe/Stockholm\";\n"
    "    hours = \"08:00-17:00\"; days = \"mon-fri\"; capacity = 3;\n"
    "    holidays = [ \"2026-12-24\" ]; },\n"
    "  { handle = \"bo\"; timezone = \"America/New_York\";\n"
    "    hours = \"08:00-17:00\"; days = \"mon-fri\"; capacity = 1; },\n"
    "  { handle = \"carl\"; timezone = \"Europe/Stockholm\";\n"
    "    hours = \"08:00-17:00\"; }\n"
    ");\n";

struct check_fx {
	struct udb *u;  /* the directory, configuration and store */
	json_t *w;      /* the last warnings, released by the next check or
			   the teardown, even when an assertion fails */
};

/* Write check_conf plus `extra` and load it (replacing what was loaded). */
static void
check_load(struct check_fx *fx, const char *extra)
{
	size_t n = strlen(check_conf) + strlen(extra) + 1;
	char *text = malloc(n);
	int rc;

	assert_non_null(text);
	snprintf(text, n, "%s%s", check_conf, extra);
	rc = udb_load(fx->u, text);
	free(text);
	if (rc != 0)
		fail_msg("config_load failed (see above)");
}

static int
check_setup(void **state)
{
	struct check_fx *fx = calloc(1, sizeof(*fx));

	if (fx == NULL)
		return -1;
	*state = fx;
	return (fx->u = udb_open("promise", check_conf)) != NULL ? 0 : -1;
}

static int
check_teardown(void **state)
{
	struct check_fx *fx = *state;

	json_decref(fx->w);
	udb_close(fx->u);
	free(fx);
	return 0;
}

/* check_promise() for person `who`; the warnings belong to fx. */
static json_t *
run_check(struct check_fx *fx, const char *who, const char *text,
    time_t made, time_t due)
{
	const struct config_person *p = config_person(fx->u->cfg, who);
	json_t *w = NULL;
	char *err = NULL;

	assert_non_null(p);
	json_decref(fx->w);
	fx->w = NULL;
	if (check_promise(fx->u->st, fx->u->cfg, p, text, made, due, &w, &err) != 0)
		fail_msg("check_promise(%s, \"%s\"): %s", who, text, err);
	assert_non_null(w);
	fx->w = w;
	assert_true(json_is_array(w));
	return w;
}

static const char *
warning_field(json_t *w, size_t i, const char *key)
{
	const char *s = json_string_value(json_object_get(
	    json_array_get(w, i), key));

	assert_non_null(s);
	return s;
}

/* The warnings' kinds, in order, must be exactly `kinds` (NULL-ended). */
static void
expect_kinds(json_t *w, const char *label, const char *const *kinds)
{
	size_t i, n = 0;

	while (kinds[n] != NULL)
		n++;
	for (i = 0; i < n && i < json_array_size(w); i++)
		if (strcmp(warning_field(w, i, "kind"), kinds[i]) != 0)
			break;
	if (i == n && json_array_size(w) == n)
		return;
	print_error("%s: want %zu warning(s), got:\n", label, n);
	for (i = 0; i < json_array_size(w); i++)
		print_error("  %s: %s\n", warning_field(w, i, "kind"),
		    warning_field(w, i, "reason"));
	fail();
}

/* Insert an open promise of owner due at `due`, then end it as `end`
 * ("kept", "cancelled") unless NULL. */
static void
add_promise(struct check_fx *fx, const char *owner, time_t due,
    const char *end)
{
	struct promise p;
	char *err = NULL;

	memset(&p, 0, sizeof(p));
	p.text = "An earlier promise";
	p.owner = (char *)owner;
	p.account = "Acme";
	p.made_at = due - 7 * 86400;
	p.due_at = p.target_at = due;
	assert_int_equal(store_begin(fx->u->st, &err), 0);
	if (promise_insert(fx->u->st, &p, p.made_at, &err) != 0)
		fail_msg("promise_insert: %s", err);
	free(p.state);
	if (end != NULL && promise_set_state(fx->u->st, p.id, end, due - 3600,
	    due - 3600, &err) != 0)
		fail_msg("promise_set_state: %s", err);
	assert_int_equal(store_commit(fx->u->st, &err), 0);
}

/* A plain promise, well inside working hours with days to spare. */
static void
test_check_clean(void **state)
{
	struct check_fx *fx = *state;
	json_t *w;

	w = run_check(fx, "anna", "Send the drawings for the porch",
	    se(2026, 11, 2, 9, 0), se(2026, 11, 6, 15, 0));
	assert_int_equal(json_array_size(w), 0);
	/* Due at the very end of the working day is inside it. */
	w = run_check(fx, "anna", "Send the offer", se(2026, 11, 2, 9, 0),
	    se(2026, 11, 6, 17, 0));
	assert_int_equal(json_array_size(w), 0);
	/* 23:00 in Stockholm is 17:00 in New York: fine for bo. */
	w = run_check(fx, "bo", "Send the offer", se(2026, 11, 2, 9, 0),
	    se(2026, 11, 6, 23, 0));
	assert_int_equal(json_array_size(w), 0);
}

static void
test_check_phrases(void **state)
{
	static const struct {
		const char *text;
		const char *phrases[4];  /* in the built-in list's order */
	} rows[] = {
		{ "I'll send it tomorrow", { "tomorrow" } },
		{ "TOMORROW, first thing", { "tomorrow" } },
		{ "(tomorrow)", { "tomorrow" } },
		{ "Levereras IMORGON", { "imorgon" } },
		{ "Levereras i morgon bitti", { "i morgon" } },
		{ "It is the best purchase you can make", { "best purchase" } },
		{ "Det är årets bästa köp.", { "bästa köp" } },
		/* Swedish capitals fold too. */
		{ "DET ÄR ÅRETS BÄSTA KÖP!", { "bästa köp" } },
		/* Only the longer form: "köp" is followed by a letter. */
		{ "Det blir årets bästa köpet", { "bästa köpet" } },
		{ "Up to 2-3 times better than before",
		    { "2-3 times better" } },
		{ "Den är 2-3 gånger bättre", { "2-3 gånger bättre" } },
		{ "You will get the report on Friday", { "you will get" } },
		{ "Ni kommer att få offerten på fredag",
		    { "ni kommer att få" } },
		{ "I'd be surprised if it took a week",
		    { "I'd be surprised if" } },
		{ "Jag skulle bli förvånad om det dröjer",
		    { "jag skulle bli förvånad om" } },
		{ "Helt säkert klart på fredag", { "helt säkert" } },
		{ "Garanterat på plats", { "garanterat" } },
		/* "absolut" is a prefix here, not a word. */
		{ "Absolutely, we can", { "absolutely" } },
		{ "You will get it tomorrow, guaranteed",
		    { "tomorrow", "you will get", "guaranteed" } },
		/* Whole words only. */
		{ "Discuss tomorrows agenda", { NULL } },
		{ "Tickets for Tomorrowland", { NULL } },
		{ "Levereras imorgonbitti", { NULL } },
		{ "guaranteeing a slot", { NULL } },
		{ "Up to 12-3 times better", { NULL } },
		{ "I'd be surprised", { NULL } },
		/* Non-ASCII letters are word characters, after or before. */
		{ "Ring direktören", { NULL } },
		{ "Svar åimorgon", { NULL } },
		{ "Send the drawings by Friday", { NULL } },
	};
	struct check_fx *fx = *state;
	const char *want;
	char quoted[128];
	size_t i, k;
	json_t *w;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		w = run_check(fx, "carl", rows[i].text, se(2026, 11, 2, 9, 0),
		    se(2026, 11, 6, 15, 0));
		for (k = 0; rows[i].phrases[k] != NULL; k++)
			;
		if (json_array_size(w) != k)
			fail_msg("\"%s\": %zu warning(s), want %zu",
			    rows[i].text, json_array_size(w), k);
		for (k = 0; (want = rows[i].phrases[k]) != NULL; k++) {
			assert_string_equal(warning_field(w, k, "kind"),
			    "phrase");
			snprintf(quoted, sizeof(quoted), "\"%s\" ", want);
			if (strncmp(warning_field(w, k, "reason"), quoted,
			    strlen(quoted)) != 0)
				fail_msg("\"%s\": reason \"%s\", want it to "
				    "name %s", rows[i].text, warning_field(w,
				    k, "reason"), quoted);
		}
	}
	w = run_check(fx, "carl", "Du får det imorgon",
	    se(2026, 11, 2, 9, 0), se(2026, 11, 6, 15, 0));
	assert_string_equal(warning_field(w, 0, "reason"), "\"imorgon\" sets "
	    "an expectation you may not meet: promise what you can beat");
}

/* Each phrase, the texts it is found in as a whole word and those it is
 * not. */
static void
test_phrase_match(void **state)
{
	static const struct {
		const char *phrase;
		const char *in[5], *not_in[4];  /* NULL-ended */
	} rows[] = {
		/* A word that recurs: the second one is whole. */
		{ "tomorrow", { "tomorrow", "Tomorrow.", "by tomorrow's end",
		    "tomorrows, tomorrow", NULL },
		    { "tomorrowland", "tomorro", "", NULL } },
		{ "", { NULL }, { "tomorrow", NULL } },
		{ "direkt", { "DIREKT!", NULL }, { "indirekt", NULL } },
		{ "på en gång", { "Det löser vi på en gång", NULL }, { NULL } },
	};
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		for (k = 0; rows[i].in[k] != NULL; k++)
			if (check_phrase_match(rows[i].in[k], rows[i].phrase) != 1)
				fail_msg("\"%s\" not found in \"%s\"",
				    rows[i].phrase, rows[i].in[k]);
		for (k = 0; rows[i].not_in[k] != NULL; k++)
			if (check_phrase_match(rows[i].not_in[k],
			    rows[i].phrase) != 0)
				fail_msg("\"%s\" found in \"%s\"",
				    rows[i].phrase, rows[i].not_in[k]);
	}
}

/*
 * The check tests as steps: an earlier promise of who's due at `due`, or
 * a check of "Send the offer" for who and the warnings it gives.
 */
struct step {
	const char *label;      /* a check; NULL: an earlier promise */
	const char *who;
	struct udb_wall made;   /* check: in Stockholm */
	const char *zone;       /* of due */
	struct udb_wall due;
	int due_s;              /* seconds past due's minute */
	const char *const *kinds;       /* check: the warnings' kinds */
	const char *reason;     /* check: the first one's reason, or NULL */
	const char *end;        /* earlier: "kept", "cancelled"; NULL: open */
};

#define W(y, mo, d, h, mi) { y, mo, d, h, mi }
#define EARLIER(who, zone, due, end) \
	{ NULL, who, W(0, 0, 0, 0, 0), zone, due, 0, NULL, NULL, end }
#define CHECK(label, who, made, zone, due, kinds, reason) \
	{ label, who, made, zone, due, 0, kinds, reason, NULL }

static const char *const kinds_none[] = { NULL };
static const char *const kinds_capacity[] = { "capacity", NULL };
static const char *const kinds_tight[] = { "tight", NULL };
static const char *const kinds_tight_outside[] = { "tight", "outside_hours",
	NULL };

static void
run_steps(struct check_fx *fx, const struct step *s, size_t n)
{
	time_t due;
	json_t *w;
	size_t i;

	for (i = 0; i < n; i++, s++) {
		due = udb_wall(s->zone, s->due) + s->due_s;
		if (s->label == NULL) {
			add_promise(fx, s->who, due, s->end);
			continue;
		}
		w = run_check(fx, s->who, "Send the offer", udb_wall(SE, s->made),
		    due);
		expect_kinds(w, s->label, s->kinds);
		if (s->reason != NULL)
			assert_string_equal(warning_field(w, 0, "reason"),
			    s->reason);
	}
}

#define RUN_STEPS(fx, steps) \
	run_steps(fx, steps, sizeof(steps) / sizeof(steps[0]))

static void
test_check_capacity(void **state)
{
	static const struct step steps[] = {
		/*
		 * anna's week of Wed 11 Nov runs from Mon 9 Nov 00:00 to Mon
		 * 16 Nov 00:00 in Stockholm.  Two open promises fall in it,
		 * at both ends.
		 */
		EARLIER("anna", SE, W(2026, 11, 9, 0, 0), NULL),
		EARLIER("anna", SE, W(2026, 11, 15, 23, 30), NULL),
		EARLIER("anna", SE, W(2026, 11, 8, 23, 59), NULL), /* before */
		EARLIER("anna", SE, W(2026, 11, 16, 0, 0), NULL),  /* after */
		EARLIER("anna", SE, W(2026, 11, 12, 12, 0), "kept"),
		EARLIER("anna", SE, W(2026, 11, 12, 12, 0), "cancelled"),
		EARLIER("carl", SE, W(2026, 11, 11, 12, 0), NULL),
		/* 2 open + this one = 3 = capacity: fine. */
		CHECK("anna at capacity", "anna", W(2026, 11, 2, 9, 0), SE,
		    W(2026, 11, 11, 12, 0), kinds_none, NULL),
		EARLIER("anna", SE, W(2026, 11, 13, 17, 0), NULL),
		CHECK("anna over capacity", "anna", W(2026, 11, 2, 9, 0), SE,
		    W(2026, 11, 11, 12, 0), kinds_capacity, "anna would have 4 "
		    "open promises due that week; capacity is 3"),
		/* The next week holds only the Mon 16 Nov 00:00 one. */
		CHECK("anna next week", "anna", W(2026, 11, 2, 9, 0), SE,
		    W(2026, 11, 16, 9, 0), kinds_none, NULL),
		/*
		 * bo's weeks are New York's: Sun 8 Nov 21:00 EST (Mon 02:00
		 * UTC, 03:00 in Stockholm) is the week before Wed 11 Nov.
		 */
		EARLIER("bo", NY, W(2026, 11, 8, 21, 0), NULL),
		CHECK("bo, Sunday night is last week", "bo",
		    W(2026, 11, 2, 9, 0), NY, W(2026, 11, 11, 12, 0), kinds_none,
		    NULL),
		EARLIER("bo", NY, W(2026, 11, 9, 0, 0), NULL),
		CHECK("bo over capacity", "bo", W(2026, 11, 2, 9, 0), NY,
		    W(2026, 11, 11, 12, 0), kinds_capacity, "bo would have 2 "
		    "open promises due that week; capacity is 1"),
		/* No capacity set: no limit. */
		EARLIER("carl", SE, W(2026, 11, 12, 12, 0), NULL),
		EARLIER("carl", SE, W(2026, 11, 13, 12, 0), NULL),
		CHECK("carl has no limit", "carl", W(2026, 11, 2, 9, 0), SE,
		    W(2026, 11, 11, 12, 0), kinds_none, NULL),
	};

	RUN_STEPS(*state, steps);
}

/*
 * The week of Wed 21 Oct 2026 in Stockholm runs from Mon 19 Oct 00:00
 * CEST (18 Oct 22:00 UTC) to Mon 26 Oct 00:00 CET (25 Oct 23:00 UTC): 169
 * hours, the clocks going back on Sunday.  A promise due Sun 25 Oct 23:30
 * CET (22:30 UTC) is in it; seven days of elapsed time would end the week
 * at 22:00 UTC and miss it.
 *
 * A due moment with seconds, as "in 2 days" or "+3d" typed at 10:17:42
 * gives, is in the same week as the round minute: Mon 9 Nov 00:00:00 to
 * Mon 16 Nov 00:00:00.  The promise due at that Monday's midnight counts.
 */
static void
test_check_capacity_weeks(void **state)
{
	static const struct step steps[] = {
		EARLIER("anna", SE, W(2026, 10, 19, 0, 0), NULL),
		EARLIER("anna", SE, W(2026, 10, 21, 10, 0), NULL),
		EARLIER("anna", SE, W(2026, 10, 25, 23, 30), NULL),
		EARLIER("anna", SE, W(2026, 10, 26, 0, 0), NULL),  /* after */
		CHECK("DST week", "anna", W(2026, 10, 12, 9, 0), SE,
		    W(2026, 10, 21, 12, 0), kinds_capacity, "anna would have 4 "
		    "open promises due that week; capacity is 3"),
		EARLIER("anna", SE, W(2026, 11, 9, 0, 0), NULL),
		EARLIER("anna", SE, W(2026, 11, 11, 10, 0), NULL),
		EARLIER("anna", SE, W(2026, 11, 13, 10, 0), NULL),
		CHECK("due 12:00:00", "anna", W(2026, 11, 2, 9, 0), SE,
		    W(2026, 11, 11, 12, 0), kinds_capacity, NULL),
		{ "due 12:00:30", "anna", W(2026, 11, 2, 9, 0), SE,
		    W(2026, 11, 11, 12, 0), 30, kinds_capacity, "anna would "
		    "have 4 open promises due that week; capacity is 3", NULL },
	};

	assert_int_equal(se(2026, 10, 26, 0, 0) - se(2026, 10, 19, 0, 0),
	    7 * 86400 + 3600);
	RUN_STEPS(*state, steps);
}

static void
test_check_tight(void **state)
{
	static const struct step steps[] = {
		/* Fri 18:00 -> Mon 09:00: only Mon 08:00-09:00 is working
		 * time. */
		CHECK("Friday evening to Monday morning", "anna",
		    W(2026, 11, 6, 18, 0), SE, W(2026, 11, 9, 9, 0), kinds_tight,
		    "only 1h00m of anna's working time before it is due; the "
		    "minimum slack is 4h"),
		/* Fri 14:00 -> Mon 09:00 is 3 h + 1 h = exactly the minimum. */
		CHECK("exactly min_slack", "anna", W(2026, 11, 6, 14, 0), SE,
		    W(2026, 11, 9, 9, 0), kinds_none, NULL),
		/* A minute later it is 3h59m. */
		CHECK("a minute short", "anna", W(2026, 11, 6, 14, 1), SE,
		    W(2026, 11, 9, 9, 0), kinds_tight, "only 3h59m of anna's "
		    "working time before it is due; the minimum slack is 4h"),
		/*
		 * The owner's hours count: Fri 16:00 -> 22:00 in Stockholm is
		 * one working hour for anna (and after her day), but 10:00 ->
		 * 16:00 in New York, six working hours for bo.
		 */
		CHECK("anna's evening", "anna", W(2026, 11, 6, 16, 0), SE,
		    W(2026, 11, 6, 22, 0), kinds_tight_outside, NULL),
		CHECK("bo's afternoon", "bo", W(2026, 11, 6, 16, 0), SE,
		    W(2026, 11, 6, 22, 0), kinds_none, NULL),
	};
	/* A minimum in business days is that many of the owner's working
	 * days: 9 h for anna.  Mon 09:00 -> Tue 09:00 is 8 h + 1 h. */
	static const struct step business_days[] = {
		CHECK("one business day", "anna", W(2026, 11, 2, 9, 0), SE,
		    W(2026, 11, 3, 9, 0), kinds_none, NULL),
		CHECK("under one business day", "anna", W(2026, 11, 2, 10, 0),
		    SE, W(2026, 11, 3, 9, 0), kinds_tight, "only 8h00m of "
		    "anna's working time before it is due; the minimum slack "
		    "is 1bd"),
	};
	struct check_fx *fx = *state;

	RUN_STEPS(fx, steps);
	check_load(fx, "promises = { min_slack = \"1bd\"; };\n");
	RUN_STEPS(fx, business_days);
}

static void
test_check_outside_hours(void **state)
{
	static const char *const outside[] = { "outside_hours", NULL };
	static const char *const none[] = { NULL };
	static const struct {
		struct udb_wall due;
		int outside;
	} rows[] = {
		{ { 2026, 11, 7, 12, 0 }, 1 },  /* Saturday */
		{ { 2026, 11, 8, 17, 0 }, 1 },  /* Sunday at day's end */
		{ { 2026, 11, 6, 17, 30 }, 1 }, /* Friday after 17:00 */
		{ { 2026, 11, 6, 7, 59 }, 1 },  /* before 08:00 */
		{ { 2026, 11, 6, 8, 0 }, 0 },
		{ { 2026, 11, 6, 17, 0 }, 0 },  /* the end of the day */
		{ { 2026, 11, 6, 17, 1 }, 1 },
		{ { 2026, 12, 24, 12, 0 }, 1 }, /* anna's holiday */
		{ { 2026, 12, 24, 17, 0 }, 1 },
		{ { 2026, 12, 23, 17, 0 }, 0 },
	};
	struct check_fx *fx = *state;
	char label[64];
	time_t due;
	size_t i;
	json_t *w;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		due = udb_wall(SE, rows[i].due);
		snprintf(label, sizeof(label), "row %zu", i);
		/* Made three weeks before: never tight. */
		w = run_check(fx, "anna", "Send the offer", due - 21 * 86400,
		    due);
		expect_kinds(w, label, rows[i].outside ? outside : none);
		if (rows[i].outside)
			assert_string_equal(warning_field(w, 0, "reason"),
			    "it is due outside anna's working hours");
	}
	/* bo's hours are New York's: 23:00 in Stockholm is 17:00 there,
	 * 16:00 in Stockholm is 10:00 there; 07:30 in Stockholm is 01:30. */
	w = run_check(fx, "bo", "Send the offer", se(2026, 10, 12, 9, 0),
	    se(2026, 11, 6, 7, 30));
	expect_kinds(w, "bo at night", outside);
	assert_string_equal(warning_field(w, 0, "reason"),
	    "it is due outside bo's working hours");
}

/* Every kind at once, in the documented order.  --strict refuses a
 * promise whenever this array is not empty. */
static void
test_check_all_kinds(void **state)
{
	static const char *const all[] = { "phrase", "phrase", "capacity",
		"tight", "outside_hours", NULL };
	struct check_fx *fx = *state;
	json_t *w;

	add_promise(fx, "anna", se(2026, 11, 9, 10, 0), NULL);
	add_promise(fx, "anna", se(2026, 11, 10, 10, 0), NULL);
	add_promise(fx, "anna", se(2026, 11, 11, 10, 0), NULL);
	/* Fri 16:00 -> Sat 10:00: 1 working hour, on a Saturday, the
	 * fourth promise of that week (Mon 9 - Sun 15 Nov). */
	w = run_check(fx, "anna", "Du kommer att få det imorgon",
	    se(2026, 11, 13, 16, 0), se(2026, 11, 14, 10, 0));
	expect_kinds(w, "all kinds", all);
	assert_non_null(strstr(warning_field(w, 0, "reason"), "\"imorgon\""));
	assert_non_null(strstr(warning_field(w, 1, "reason"),
	    "\"du kommer att få\""));
	assert_true(json_array_size(w) > 0);
}

/* Configured phrases replace the built-in list; [] turns the check off;
 * strict = true is what --strict defaults to. */
static void
test_check_configured_phrases(void **state)
{
	static const char *const phrase[] = { "phrase", NULL };
	static const char *const none[] = { NULL };
	struct check_fx *fx = *state;
	time_t made = se(2026, 11, 2, 9, 0), due = se(2026, 11, 6, 15, 0);
	json_t *w;

	assert_int_equal(fx->u->cfg->promises.strict, 0);
	check_load(fx, "promises = { phrases = [ \"asap\", \"lätt som en "
	    "plätt\" ]; strict = true; };\n");
	assert_int_equal(fx->u->cfg->promises.strict, 1);
	assert_int_equal(fx->u->cfg->promises.nphrases, 2);
	w = run_check(fx, "carl", "Done ASAP", made, due);
	expect_kinds(w, "asap", phrase);
	assert_true(json_array_size(w) > 0);
	w = run_check(fx, "carl", "Lätt som en plätt", made, due);
	expect_kinds(w, "lätt som en plätt", phrase);
	w = run_check(fx, "carl", "I'll send it tomorrow", made, due);
	expect_kinds(w, "tomorrow no longer listed", none);

	check_load(fx, "promises = { phrases = [ ]; };\n");
	assert_int_equal(fx->u->cfg->promises.nphrases, 0);
	w = run_check(fx, "carl", "I'll send it tomorrow, guaranteed", made,
	    due);
	expect_kinds(w, "phrases off", none);
	assert_int_equal(json_array_size(w), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_target),
		cmocka_unit_test(test_target_dst_elapsed),
		cmocka_unit_test(test_describe_gap),
		cmocka_unit_test(test_phrase_match),
		cmocka_unit_test_setup_teardown(test_check_clean, check_setup,
		    check_teardown),
		cmocka_unit_test_setup_teardown(test_check_phrases,
		    check_setup, check_teardown),
		cmocka_unit_test_setup_teardown(test_check_capacity,
		    check_setup, check_teardown),
		cmocka_unit_test_setup_teardown(test_check_capacity_weeks,
		    check_setup, check_teardown),
		cmocka_unit_test_setup_teardown(test_check_tight, check_setup,
		    check_teardown),
		cmocka_unit_test_setup_teardown(test_check_outside_hours,
		    check_setup, check_teardown),
		cmocka_unit_test_setup_teardown(test_check_all_kinds,
		    check_setup, check_teardown),
		cmocka_unit_test_setup_teardown(test_check_configured_phrases,
		    check_setup, check_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
