/*
 * Unit tests for the effect report (lib/effect.c, effect_facts.c,
 * effect_text.c): Wilson intervals and medians against values worked out
 * by hand, the pure core on a fixture of cases with known answers (the
 * second chocolate and the cadence compared, the too recent left out, the
 * too-few caution and when it goes), the cadence's gaps, --horizon, and
 * the facts read from a real store.  2026-11-06 is a Friday.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "unit_db.h"

#include "contact.h"
#include "deal.h"
#include "effect.h"
#include "unit_text.h"

#define DAY 86400
#define HORIZON (180 * DAY)
/* Four decimals, as the values below were worked out. */
static int
near(double got, double want)
{
	return got > want - 0.00005 && got < want + 0.00005;
}

#define NEAR(got, want) assert_true(near((got), (want)))

static void
test_wilson(void **state)
{
	double lo, hi;

	(void)state;
	/* p = 0.7, z = 1.96: centre (0.7 + 0.19207) / 1.38415 = 0.64450,
	 * half 1.96 * sqrt(0.021 + 0.0096037) / 1.38415 = 0.24772. */
	effect_wilson(7, 10, &lo, &hi);
	NEAR(lo, 0.3968);
	NEAR(hi, 0.8922);
	/* 0 of 5: centre = half = 0.38415 / 1.76829 = 0.21724. */
	effect_wilson(0, 5, &lo, &hi);
	assert_true(lo == 0.0);
	NEAR(hi, 0.4345);
	effect_wilson(5, 5, &lo, &hi);
	NEAR(lo, 0.5655);
	assert_true(hi == 1.0);
	effect_wilson(1, 2, &lo, &hi);
	NEAR(lo, 0.0945);
	NEAR(hi, 0.9055);
}

static void
test_median(void **state)
{
	double odd[] = { 30, 10, 20 }, even[] = { 4, 1, 3, 2 }, one[] = { 7 };

	(void)state;
	assert_true(effect_median(odd, 3) == 20.0);
	assert_true(effect_median(even, 4) == 2.5);
	assert_true(effect_median(one, 1) == 7.0);
}

/* A case won `ago` days before now, bought again `again` days later (< 0:
 * not since). */
static struct effect_case
ecase(time_t now, int ago, int again, int chocolate, int cadence)
{
	struct effect_case c;

	c.won_at = now - (int64_t)ago * DAY;
	c.next_at = again >= 0 ? c.won_at + (int64_t)again * DAY : 0;
	c.chocolate = chocolate;
	c.cadence = cadence;
	return c;
}

/*
 * 17 accounts: 10 with the second chocolate, 7 of them bought again after
 * 10, 20, ... 70 days (median 40); 5 without, none again (one bought
 * after 200 days: past the horizon); 2 won 10 days ago (too recent).  The
 * cadence: the 5 quickest kept within theirs, 5 went quiet, 5 have none.
 */
static size_t
fixture(time_t now, struct effect_case *v)
{
	size_t n = 0;
	int i;

	for (i = 0; i < 7; i++)
		v[n++] = ecase(now, 300, 10 * (i + 1), 1, i < 5 ? 1 : -1);
	v[n++] = ecase(now, 300, -1, 1, 0);
	v[n++] = ecase(now, 250, 181, 1, 0);
	v[n++] = ecase(now, 200, -1, 1, 0);
	v[n++] = ecase(now, 300, 200, 0, 0);
	v[n++] = ecase(now, 300, -1, 0, 0);
	for (i = 0; i < 3; i++)
		v[n++] = ecase(now, 190, -1, 0, -1);
	v[n++] = ecase(now, 10, 5, 1, 1);
	v[n++] = ecase(now, 10, -1, 0, 0);
	return n;
}

/* g is want: its counts, share and interval, and its median where it has
 * one; `what` names the group in a failure. */
static void
expect_group(const char *what, const struct effect_group *g,
    const struct effect_group *want)
{
	if (g->n != want->n || g->again != want->again ||
	    !g->has_median != !want->has_median)
		fail_msg("%s: n %lld, again %lld, median %d; want %lld, %lld, %d",
		    what, (long long)g->n, (long long)g->again, g->has_median,
		    (long long)want->n, (long long)want->again,
		    want->has_median);
	if (!near(g->share, want->share) || !near(g->low, want->low) ||
	    !near(g->high, want->high) || (want->has_median &&
	    !near(g->median_days, want->median_days)))
		fail_msg("%s: share %.4f [%.4f, %.4f] median %.1f; want %.4f "
		    "[%.4f, %.4f] %.1f", what, g->share, g->low, g->high,
		    g->median_days, want->share, want->low, want->high,
		    want->median_days);
}

static void
test_compute(void **state)
{
	/* n, again, share, [low, high], has_median, median_days.  The
	 * cadence: kept 5 of 5 (median 30), quiet 0 of 5, 5 without. */
	static const struct {
		const char *what;
		size_t off;
		struct effect_group want;
	} groups[] = {
		{ "chocolate.with", offsetof(struct effect, chocolate.with),
		    { 10, 7, 0.7, 0.3968, 0.8922, 1, 40.0 } },
		{ "chocolate.without",
		    offsetof(struct effect, chocolate.without),
		    { 5, 0, 0.0, 0.0, 0.4345, 0, 0 } },
		{ "cadence.with", offsetof(struct effect, cadence.with),
		    { 5, 5, 1.0, 0.5655, 1.0, 1, 30.0 } },
		{ "cadence.without", offsetof(struct effect, cadence.without),
		    { 5, 0, 0.0, 0.0, 0.4345, 0, 0 } },
	};
	struct effect_case v[32];
	const time_t now = udb_local(SE, 2026, 11, 6, 12, 0);
	struct effect e;
	size_t n = fixture(now, v), i;

	(void)state;
	memset(&e, 0, sizeof(e));
	OK(effect_compute(v, n, now, HORIZON, &e, &err));
	assert_int_equal(e.too_recent, 2);
	for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		expect_group(groups[i].what, (const struct effect_group *)
		    ((const char *)&e + groups[i].off), &groups[i].want);
	assert_true(e.cadence.with.high == 1.0);
	assert_int_equal(e.no_cadence, 5);
	/* Exactly the horizon is within it. */
	v[0] = ecase(now, 300, 180, 1, 1);
	OK(effect_compute(v, 1, now, HORIZON, &e, &err));
	assert_int_equal(e.chocolate.with.again, 1);
	/* Nothing at all: no share, no interval. */
	OK(effect_compute(v, 0, now, HORIZON, &e, &err));
	assert_int_equal(e.chocolate.with.n, 0);
	assert_true(e.chocolate.with.share < 0);
}

/* The JSON's caution of the comparison `what`, and its too_few. */
static const char *
caution(json_t *o, const char *what, int *too_few)
{
	json_t *c = json_object_get(o, what);

	assert_non_null(c);
	*too_few = json_is_true(json_object_get(c, "too_few"));
	return json_string_value(json_object_get(c, "caution"));
}

static void
test_caution(void **state)
{
	struct effect_case v[40];
	const time_t now = udb_local(SE, 2026, 11, 6, 12, 0);
	struct effect e;
	size_t n = fixture(now, v), i;
	json_t *o;
	int few;

	(void)state;
	OK(effect_compute(v, n, now, HORIZON, &e, &err));
	/* effect_compute() leaves the period to its caller. */
	e.since = now - 545 * DAY;
	e.until = now;
	o = effect_json(&e, SE);
	assert_non_null(o);
	assert_string_equal(caution(o, "second_chocolate", &few),
	    "Second chocolate: 10 with, 5 without; fewer than 10 is too few "
	    "to tell.");
	assert_true(few);
	assert_true(json_is_true(json_object_get(json_object_get(json_object_get(
	    o, "second_chocolate"), "without"), "too_few")));
	assert_false(json_is_true(json_object_get(json_object_get(
	    json_object_get(o, "second_chocolate"), "with"), "too_few")));
	json_decref(o);

	/* Five more without, none again: 10 and 10, [0.40, 0.89] against
	 * [0, 0.28]: no caution of size, the intervals apart. */
	n -= 2;
	for (i = 0; i < 5; i++)
		v[n++] = ecase(now, 300, -1, 0, 0);
	OK(effect_compute(v, n, now, HORIZON, &e, &err));
	o = effect_json(&e, SE);
	assert_string_equal(caution(o, "second_chocolate", &few),
	    "Second chocolate: the intervals do not overlap.");
	assert_false(few);
	json_decref(o);

	/* Five of the ten without bought again: [0.24, 0.76] overlaps. */
	for (i = n - 5; i < n; i++)
		v[i] = ecase(now, 300, 50, 0, 0);
	OK(effect_compute(v, n, now, HORIZON, &e, &err));
	o = effect_json(&e, SE);
	assert_string_equal(caution(o, "second_chocolate", &few),
	    "Second chocolate: the intervals overlap, so the difference "
	    "may be chance.");
	assert_string_equal(caution(o, "cadence", &few),
	    "Cadence: 5 kept, 10 quiet; fewer than 10 is too few to tell.");
	json_decref(o);
}

static void
test_kept_within(void **state)
{
	const struct timeutil_duration every = { 0, 30, 0 };
	struct timeutil_hours h = { SE, 480, 1020, 0, NULL, 0 };
	const int64_t from = udb_local(SE, 2026, 1, 1, 12, 0);
	int64_t t[4];

	(void)state;
	/* Every 25 days over 90: kept. */
	t[0] = from + 25 * DAY;
	t[1] = from + 50 * DAY;
	t[2] = from + 75 * DAY;
	assert_int_equal(effect_kept_within(t, 3, from, from + 90 * DAY, &h,
	    &every), 1);
	/* A gap of 31 days in the middle: quiet. */
	t[1] = from + 56 * DAY + 1;
	assert_int_equal(effect_kept_within(t, 3, from, from + 90 * DAY, &h,
	    &every), 0);
	/* Touches but the last 30 days and a second: quiet at the end. */
	assert_int_equal(effect_kept_within(t, 1, from, from + 55 * DAY + 1,
	    &h, &every), 0);
	/* 30 civil days across the change to summer time is still 30 days
	 * on the wall clock: kept to the minute. */
	t[0] = udb_local(SE, 2026, 3, 15, 12, 0);
	assert_int_equal(effect_kept_within(t, 1, t[0],
	    udb_local(SE, 2026, 4, 14, 12, 0), &h, &every), 1);
	/* None at all. */
	assert_int_equal(effect_kept_within(NULL, 0, from, from + 30 * DAY,
	    &h, &every), 1);
	assert_int_equal(effect_kept_within(NULL, 0, from, from + 31 * DAY,
	    &h, &every), 0);
}

static void
test_horizon(void **state)
{
	int64_t s;
	char *err = NULL;

	(void)state;
	assert_int_equal(effect_parse_horizon("180d", &s, &err), 0);
	assert_int_equal(s, 180 * DAY);
	assert_int_equal(effect_parse_horizon("26w", &s, &err), 0);
	assert_int_equal(s, 182 * DAY);
	assert_int_equal(effect_parse_horizon("10bd", &s, &err), -1);
	assert_non_null(strstr(err, "--horizon 10bd: give days"));
	free(err);
	err = NULL;
	assert_int_equal(effect_parse_horizon("soon", &s, &err), -1);
	assert_non_null(strstr(err, "--horizon soon"));
	free(err);
}

/* ---- the facts from a store ------------------------------------------- */

static const char effect_conf[] = UDB_CONF_ANNA_BO
    "rules = (\n"
    "  { name = \"choc\"; on = \"deal.won\"; after = \"1bd\";\n"
    "    second_chocolate = true; window = \"1w\";\n"
    "    message = \"Back to {{account}}\"; }\n"
    ");\n"
    "cadences = (\n"
    "  { name = \"key\"; every = \"30d\"; accounts = [ \"A\", \"B\" ];\n"
    "    owner = \"anna\"; }\n"
    ");\n";

static int64_t
won(struct store *st, const char *account, const char *owner, time_t at)
{
	struct deal d;

	memset(&d, 0, sizeof(d));
	d.title = "Deal";
	d.owner = (char *)owner;
	d.account = (char *)account;
	OK(deal_insert(st, &d, at - 30 * DAY, &err));
	free(d.stage);
	OK(deal_close(st, d.id, "won", at, at, &err));
	return d.id;
}

/* The deal's second chocolate reminded at remind, done at done. */
static void
chocolate(struct store *st, int64_t deal, time_t remind, time_t done)
{
	struct followup_new f;
	char occurrence[64];
	int64_t id = 0;

	memset(&f, 0, sizeof(f));
	f.owner = "anna";
	f.text = "Back to the account";
	f.deal_id = deal;
	snprintf(occurrence, sizeof(occurrence), "%lld", (long long)deal);
	f.account_id = udb_int(st, "SELECT account_id FROM deals WHERE id = "
	    "?1", occurrence);
	snprintf(occurrence, sizeof(occurrence), "choc:deal:%lld:0",
	    (long long)deal);
	f.rule = "choc";
	f.occurrence = occurrence;
	f.due_at = f.remind_at = remind;
	OK(followup_create(st, &f, remind - DAY, &id, &err));
	OK(followup_finish(st, id, "done", NULL, done, &err));
}

static void
touch(struct store *st, int64_t account, const char *source, time_t at)
{
	struct contact_new c = { account, at, "anna", NULL, NULL, source, 0 };
	int64_t id;

	OK(contact_insert(st, &c, at, &id, &err));
}

static void
test_build(void **state)
{
	struct udb *u = udb_open("effect", effect_conf);
	const time_t now = udb_local(SE, 2026, 11, 6, 12, 0);
	const time_t t0 = now - 300 * DAY;
	int64_t a, b, k;
	struct effect e;

	(void)state;
	assert_non_null(u);
	/* A: chocolate in time, touched every 25 days, again after 40. */
	a = won(u->st, "A", "anna", t0);
	chocolate(u->st, a, t0 + DAY, t0 + 2 * DAY);
	won(u->st, "A", "bo", t0 + 40 * DAY);
	/* B: chocolate done late; touched only by deals (which do not
	 * count), so it went quiet; never bought again. */
	b = won(u->st, "B", "anna", t0);
	chocolate(u->st, b, t0 + DAY, t0 + 20 * DAY);
	/* C: no chocolate, no cadence, bought again past the horizon. */
	won(u->st, "C", "anna", t0);
	won(u->st, "C", "anna", t0 + 200 * DAY);
	/* D: too recent.  F: bo's.  G: lost, not counted. */
	won(u->st, "D", "anna", now - 10 * DAY);
	won(u->st, "F", "bo", t0);
	a = udb_int(u->st, "SELECT id FROM accounts WHERE name = ?1", "A");
	b = udb_int(u->st, "SELECT id FROM accounts WHERE name = ?1", "B");
	for (k = 1; k <= 8; k++) {
		touch(u->st, a, "contact", t0 + k * 25 * DAY);
		touch(u->st, b, "deal", t0 + k * 20 * DAY);
	}

	OK(effect_build(u->st, u->cfg, "anna", now - 365 * DAY, now, HORIZON,
	    &e, &err));
	assert_int_equal(e.too_recent, 1);
	assert_int_equal(e.chocolate.with.n, 1);
	assert_int_equal(e.chocolate.with.again, 1);
	NEAR(e.chocolate.with.median_days, 40.0);
	assert_int_equal(e.chocolate.without.n, 2);
	assert_int_equal(e.chocolate.without.again, 0);
	assert_int_equal(e.cadence.with.n, 1);
	assert_int_equal(e.cadence.without.n, 1);
	assert_int_equal(e.no_cadence, 1);
	/* Everyone's: F joins those without; its repeat deal by bo is A's
	 * next, not a case of its own. */
	OK(effect_build(u->st, u->cfg, NULL, now - 365 * DAY, now, HORIZON,
	    &e, &err));
	assert_int_equal(e.chocolate.without.n, 3);
	assert_int_equal(e.chocolate.with.n, 1);
	udb_close(u);
}

/* Every line of the text fits 80 columns and says what it must. */
static void
test_text(void **state)
{
	static const char *const lines[] = {
		"\nsecond chocolate in time         10"
		"      7   70 %        40-89 %   40.0d\n",
		"\nwithout it                        5"
		"      0    0 %         0-43 %       -\n",
		"\nkept within cadence               5"
		"      5  100 %       57-100 %   30.0d\n",
		"\nSecond chocolate: 10 with, 5 "
		"without; fewer than 10 is too few to tell.\n",
		"2 accounts won too recently",
		"5 accounts with no cadence",
		"  second chocolate in time   7 of 10 "
		"(70 %, 95 % 40-89 %)\n",
		NULL
	};
	struct effect_case v[32];
	const time_t now = udb_local(SE, 2026, 11, 6, 12, 0);
	struct effect e;
	size_t n = fixture(now, v), size = 0;
	char *text = NULL, *line, *save = NULL;
	FILE *m;

	(void)state;
	OK(effect_compute(v, n, now, HORIZON, &e, &err));
	e.since = now - 545 * DAY;
	e.until = now;
	assert_non_null(m = open_memstream(&text, &size));
	effect_write_text(&e, SE, m);
	fputs("--\n", m);
	effect_write_summary(&e, SE, m);
	assert_int_equal(fclose(m), 0);
	ut_expect_text("report", text, lines, NULL);
	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save))
		if (strlen(line) > 80)
			fail_msg("wider than 80: %s", line);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wilson),
		cmocka_unit_test(test_median),
		cmocka_unit_test(test_compute),
		cmocka_unit_test(test_caution),
		cmocka_unit_test(test_kept_within),
		cmocka_unit_test(test_horizon),
		cmocka_unit_test(test_build),
		cmocka_unit_test(test_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
