/*
 * Unit tests for lib/report.c: the promise ledger, follow-up outcomes and
 * second chocolates per owner, the team row, the median, the weekly trend,
 * and the CSV, JSON and text renderings.
 *
 * One fixture with known answers, built once for the group: a real store
 * and configuration in a temporary directory, anna in Stockholm and bo in
 * New York, the team's zone Stockholm, a second-chocolate rule with a one
 * week window.  The period is Mon 19 Oct 2026 00:00 to Mon 9 Nov 2026
 * 12:00 in Stockholm: four weeks of trend, the first of them 169 hours
 * long (Stockholm's clocks go back on Sun 25 Oct, New York's on Sun 1 Nov).
 * Every row below says what it is there for; the expected figures are
 * summed by hand in the tests.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "deal.h"
#include "followup.h"
#include "promise.h"
#include "report.h"
#include "store.h"
#include "timeutil.h"
#include "unit_db.h"
#include "unit_text.h"

/* Local wall time in 2026. */
#define at(zone, mo, d, h, mi) udb_local(zone, 2026, mo, d, h, mi)
#define S(mo, d, h, mi) at(SE, mo, d, h, mi)
#define N(mo, d, h, mi) at(NY, mo, d, h, mi)

#define HOUR 3600.0
#define DAY 86400.0

static const char report_conf[] = UDB_CONF_ANNA_BO
    "rules = (\n"
    "  { name = \"choc\"; on = \"deal.won\"; after = \"1bd\"; at = \"10:00\";\n"
    "    second_chocolate = true; window = \"1w\";\n"
    "    message = \"Back to {{account}} with more chocolate\"; },\n"
    "  { name = \"thanks\"; on = \"deal.won\"; after = \"1h\";\n"
    "    message = \"Thank {{account}} for {{deal}}\"; }\n"
    ");\n";

struct fx {
	struct udb *u;  /* the directory, configuration and store */
	struct store *st;       /* u->st */
	struct config *cfg;     /* u->cfg */
	time_t since, now;
};

/* ---- building the fixture --------------------------------------------- */

static int64_t
add_promise(struct store *st, const char *owner, time_t made, time_t due,
    time_t target)
{
	return udb_add_promise(st, owner, "Deliver something", NULL, made,
	    due, target);
}

static void
end_promise(struct store *st, int64_t id, const char *state, time_t when)
{
	OK(promise_set_state(st, id, state, when, when, &err));
}

static int64_t
add_deal(struct store *st, const char *owner, const char *title,
    const char *stage, time_t closed)
{
	struct deal d;

	memset(&d, 0, sizeof(d));
	d.title = (char *)title;
	d.owner = (char *)owner;
	d.account = "Acme";
	OK(deal_insert(st, &d, closed - 30 * 86400, &err));
	free(d.stage);
	if (stage != NULL)
		OK(deal_close(st, d.id, stage, closed, closed, &err));
	return d.id;
}

/* A follow-up reminding at `remind`; rule-made when rule is set (the
 * occurrence is made unique from the rule and a serial). */
static int64_t
add_followup(struct store *st, const char *owner, const char *rule,
    int64_t deal, time_t remind)
{
	static int serial;
	struct followup_new f;
	char occurrence[64];
	int64_t id = 0;

	memset(&f, 0, sizeof(f));
	f.owner = owner;
	f.text = "Do something";
	f.deal_id = deal;
	f.due_at = f.remind_at = remind;
	if (rule != NULL) {
		snprintf(occurrence, sizeof(occurrence), "%s:deal:%lld:%d",
		    rule, (long long)deal, serial++);
		f.rule = rule;
		f.occurrence = occurrence;
	}
	OK(followup_create(st, &f, remind - 86400, &id, &err));
	assert_true(id > 0);
	return id;
}

static void
done(struct store *st, int64_t id, time_t when)
{
	OK(followup_finish(st, id, "done", NULL, when, &err));
}

static void
notified(struct store *st, int64_t id, time_t when)
{
	OK(followup_mark_notified(st, &id, 1, when, &err));
}

static void
snooze(struct store *st, int64_t id, time_t when, time_t to)
{
	OK(followup_snooze(st, id, to, to, when, &err));
}

/* Month, day, hour, minute in 2026, local to the promise's owner. */
struct md {
	int mo, d, h, mi;
};

/*
 * The promises.  anna's times are Stockholm's, bo's New York's.  Margin =
 * due - kept, the median's input.  A renegotiation (ren_at set) moves due
 * and target to ren_due and ren_target before the promise ends.
 */
static const struct fixture_promise {
	const char *owner;
	struct md made, due, target;
	const char *end;        /* "kept", "broken", "cancelled"; NULL open */
	struct md end_at;
	struct md ren_at, ren_due, ren_target;
} fixture_promises[] = {
	/* A1 early: kept Tue 12:00 before the Tue 17:00 target; +29 h. */
	{ "anna", { 10, 12, 9, 0 }, { 10, 21, 17, 0 }, { 10, 20, 17, 0 },
	    "kept", { 10, 20, 12, 0 }, { 0 }, { 0 }, { 0 } },
	/* A2 early: kept exactly at the target; +26 h. */
	{ "anna", { 10, 19, 9, 0 }, { 10, 30, 17, 0 }, { 10, 29, 15, 0 },
	    "kept", { 10, 29, 15, 0 }, { 0 }, { 0 }, { 0 } },
	/* A3 on time: after the target, before due; +6 h. */
	{ "anna", { 10, 19, 9, 0 }, { 10, 29, 17, 0 }, { 10, 28, 17, 0 },
	    "kept", { 10, 29, 11, 0 }, { 0 }, { 0 }, { 0 } },
	/* A4 late: a day after due; -24 h. */
	{ "anna", { 10, 26, 9, 0 }, { 11, 2, 12, 0 }, { 10, 30, 12, 0 },
	    "kept", { 11, 3, 12, 0 }, { 0 }, { 0 }, { 0 } },
	/* A5 on time: kept exactly at due; 0 h. */
	{ "anna", { 10, 26, 9, 0 }, { 11, 4, 17, 0 }, { 11, 3, 17, 0 },
	    "kept", { 11, 4, 17, 0 }, { 0 }, { 0 }, { 0 } },
	/* A6 renegotiated in time from Thu 5 to Fri 6 Nov, then kept early
	 * against the new dates; +31 h. */
	{ "anna", { 10, 26, 9, 0 }, { 11, 5, 17, 0 }, { 11, 4, 17, 0 },
	    "kept", { 11, 5, 10, 0 }, { 11, 2, 10, 0 }, { 11, 6, 17, 0 },
	    { 11, 5, 17, 0 } },
	/* A7 broken. */
	{ "anna", { 10, 12, 9, 0 }, { 10, 23, 17, 0 }, { 10, 22, 17, 0 },
	    "broken", { 10, 26, 9, 0 }, { 0 }, { 0 }, { 0 } },
	/* A8 open, past due: overdue. */
	{ "anna", { 10, 26, 9, 0 }, { 11, 6, 12, 0 }, { 11, 5, 12, 0 },
	    NULL, { 0 }, { 0 }, { 0 }, { 0 } },
	/* A9 open, due after now. */
	{ "anna", { 11, 2, 9, 0 }, { 11, 11, 17, 0 }, { 11, 10, 17, 0 },
	    NULL, { 0 }, { 0 }, { 0 }, { 0 } },
	/* A10 cancelled: left out of everything. */
	{ "anna", { 10, 19, 9, 0 }, { 10, 28, 12, 0 }, { 10, 27, 12, 0 },
	    "cancelled", { 10, 20, 9, 0 }, { 0 }, { 0 }, { 0 } },
	/* A11 due before the period (kept late inside it): left out. */
	{ "anna", { 10, 5, 9, 0 }, { 10, 16, 17, 0 }, { 10, 15, 17, 0 },
	    "kept", { 10, 19, 10, 0 }, { 0 }, { 0 }, { 0 } },
	/* A12 due Sun 25 Oct 23:30 CET (22:30 UTC), the night the clocks
	 * went back: still the week of 19 Oct.  Kept late Mon 09:00 CET
	 * (08:00 UTC); -9.5 h. */
	{ "anna", { 10, 19, 9, 0 }, { 10, 25, 23, 30 }, { 10, 23, 17, 0 },
	    "kept", { 10, 26, 9, 0 }, { 0 }, { 0 }, { 0 } },
	/* A13 open, due this morning: overdue. */
	{ "anna", { 11, 2, 9, 0 }, { 11, 9, 9, 0 }, { 11, 6, 9, 0 },
	    NULL, { 0 }, { 0 }, { 0 }, { 0 } },

	/* B1 early; +48 h. */
	{ "bo", { 10, 19, 9, 0 }, { 10, 30, 17, 0 }, { 10, 29, 17, 0 },
	    "kept", { 10, 28, 17, 0 }, { 0 }, { 0 }, { 0 } },
	/* B2 late: due Mon 2 Nov 09:00 EST (14:00 UTC), kept 21:00 EST
	 * (02:00 UTC on the 3rd); -12 h. */
	{ "bo", { 10, 26, 9, 0 }, { 11, 2, 9, 0 }, { 10, 30, 9, 0 },
	    "kept", { 11, 2, 21, 0 }, { 0 }, { 0 }, { 0 } },
	/* B3 on time; +5 h. */
	{ "bo", { 10, 26, 9, 0 }, { 11, 5, 17, 0 }, { 11, 4, 17, 0 },
	    "kept", { 11, 5, 12, 0 }, { 0 }, { 0 }, { 0 } },
	/* B4 early; +31 h. */
	{ "bo", { 10, 26, 9, 0 }, { 11, 6, 17, 0 }, { 11, 5, 12, 0 },
	    "kept", { 11, 5, 10, 0 }, { 0 }, { 0 }, { 0 } },
	/* B5 broken. */
	{ "bo", { 10, 12, 9, 0 }, { 10, 21, 12, 0 }, { 10, 20, 12, 0 },
	    "broken", { 10, 22, 9, 0 }, { 0 }, { 0 }, { 0 } },
	/* B6 renegotiated from Mon 9 to Fri 13 Nov and still open: counted
	 * as renegotiated and as open. */
	{ "bo", { 11, 2, 9, 0 }, { 11, 9, 17, 0 }, { 11, 6, 17, 0 },
	    NULL, { 0 }, { 11, 6, 10, 0 }, { 11, 13, 17, 0 },
	    { 11, 11, 17, 0 } },
	/* B7 renegotiated to Tue 27 Oct 17:00 EDT (22:00 in Stockholm),
	 * then broken: renegotiated and broken. */
	{ "bo", { 10, 19, 9, 0 }, { 10, 23, 17, 0 }, { 10, 22, 17, 0 },
	    "broken", { 10, 28, 9, 0 }, { 10, 21, 10, 0 }, { 10, 27, 17, 0 },
	    { 10, 26, 17, 0 } },
	/* B8 open, due Sun 8 Nov 18:30 EST = Mon 9 Nov 00:30 in Stockholm:
	 * overdue, and in the team's week of 9 Nov, not bo's Sunday. */
	{ "bo", { 11, 2, 9, 0 }, { 11, 8, 18, 30 }, { 11, 6, 17, 0 },
	    NULL, { 0 }, { 0 }, { 0 }, { 0 } },
	/* B9 cancelled. */
	{ "bo", { 10, 26, 9, 0 }, { 11, 2, 17, 0 }, { 10, 30, 17, 0 },
	    "cancelled", { 10, 27, 9, 0 }, { 0 }, { 0 }, { 0 } },
};

static void
fill_promises(struct store *st)
{
	const struct fixture_promise *f;
	const char *zone;
	int64_t id;
	size_t i;

#define T(m) at(zone, (m).mo, (m).d, (m).h, (m).mi)
	for (i = 0; i < sizeof(fixture_promises) /
	    sizeof(fixture_promises[0]); i++) {
		f = &fixture_promises[i];
		zone = strcmp(f->owner, "bo") == 0 ? NY : SE;
		id = add_promise(st, f->owner, T(f->made), T(f->due),
		    T(f->target));
		if (f->ren_at.mo != 0)
			OK(promise_renegotiate(st, id, T(f->ren_due),
			    T(f->ren_target), "the customer asked",
			    T(f->ren_at), &err));
		if (f->end != NULL)
			end_promise(st, id, f->end, T(f->end_at));
	}
#undef T
}

static void
fill_deals_and_followups(struct store *st, time_t now)
{
	int64_t d, f;

	/* D1 won: its second chocolate reminded Wed 21 Oct 10:00 CEST and
	 * done Wed 28 Oct 09:30 CET: 7 days 30 minutes of elapsed time,
	 * but inside "1w" of civil days (deadline 28 Oct 10:00 CET).  Its
	 * thank-you (another rule) is a follow-up, not a chocolate. */
	d = add_deal(st, "anna", "Roof", "won", S(10, 20, 10, 0));
	done(st, add_followup(st, "anna", "choc", d, S(10, 21, 10, 0)),
	    S(10, 28, 9, 30));
	done(st, add_followup(st, "anna", "thanks", d, S(10, 20, 11, 0)),
	    S(10, 20, 11, 30));
	/* D2 won: chocolate done a minute after its window. */
	d = add_deal(st, "anna", "Porch", "won", S(10, 23, 10, 0));
	done(st, add_followup(st, "anna", "choc", d, S(10, 26, 10, 0)),
	    S(11, 2, 10, 1));
	/* D3 won: chocolate scheduled, not done. */
	d = add_deal(st, "anna", "Shed", "won", S(11, 4, 10, 0));
	add_followup(st, "anna", "choc", d, S(11, 5, 10, 0));
	/* D4 won: no chocolate yet. */
	add_deal(st, "anna", "Sauna", "won", S(11, 6, 15, 0));
	/* D5 won: chocolate cancelled. */
	d = add_deal(st, "anna", "Garage", "won", S(10, 27, 10, 0));
	OK(followup_finish(st, add_followup(st, "anna", "choc", d,
	    S(10, 28, 10, 0)), "cancelled", NULL, S(10, 28, 11, 0), &err));
	/* Not won in the period: lost, won before it, still open. */
	add_deal(st, "anna", "Fence", "lost", S(10, 22, 10, 0));
	d = add_deal(st, "anna", "Gate", "won", S(10, 15, 10, 0));
	done(st, add_followup(st, "anna", "choc", d, S(10, 16, 10, 0)),
	    S(10, 16, 11, 0));
	add_deal(st, "anna", "Deck", NULL, S(11, 1, 12, 0));

	/* bo: one chocolate reminded and not done (also a missed
	 * follow-up), one done the same day. */
	d = add_deal(st, "bo", "Attic", "won", N(10, 30, 10, 0));
	notified(st, add_followup(st, "bo", "choc", d, N(11, 2, 10, 0)),
	    N(11, 2, 10, 0));
	d = add_deal(st, "bo", "Cellar", "won", N(11, 3, 10, 0));
	done(st, add_followup(st, "bo", "choc", d, N(11, 4, 10, 0)),
	    N(11, 4, 15, 0));

	/* anna's own follow-ups. */
	done(st, add_followup(st, "anna", NULL, 0, S(10, 20, 9, 0)),
	    S(10, 20, 10, 0));
	f = add_followup(st, "anna", NULL, 0, S(10, 28, 9, 0));
	snooze(st, f, S(10, 28, 9, 5), S(10, 29, 9, 0));
	done(st, f, S(10, 29, 9, 30));                  /* done, snoozed */
	notified(st, add_followup(st, "anna", NULL, 0, S(11, 3, 9, 0)),
	    S(11, 3, 9, 0));                            /* missed */
	notified(st, add_followup(st, "anna", NULL, 0, S(11, 9, 8, 0)),
	    S(11, 9, 8, 0));                            /* 4 h ago */
	notified(st, add_followup(st, "anna", NULL, 0, now - 86400),
	    now - 86400);                               /* exactly a day */
	notified(st, add_followup(st, "anna", NULL, 0, now - 86400 - 60),
	    now - 86400 - 60);                          /* missed */
	OK(followup_finish(st, add_followup(st, "anna", NULL, 0,
	    S(11, 5, 9, 0)), "cancelled", NULL, S(11, 5, 9, 30), &err));
	add_followup(st, "anna", NULL, 0, S(11, 9, 11, 0)); /* pending */
	/* nudge's own messages are not counted. */
	notified(st, add_followup(st, "anna", "digest", 0, S(10, 20, 8, 30)),
	    S(10, 20, 8, 30));
	done(st, add_followup(st, "anna", "weekly", 0, S(10, 23, 16, 0)),
	    S(10, 23, 16, 30));
	notified(st, add_followup(st, "anna", "missed", 0, S(10, 27, 9, 0)),
	    S(10, 27, 9, 0));
	/* Reminding before the period, and after now (done early). */
	done(st, add_followup(st, "anna", NULL, 0, S(10, 16, 9, 0)),
	    S(10, 16, 9, 30));
	done(st, add_followup(st, "anna", NULL, 0, S(11, 10, 9, 0)),
	    S(11, 9, 10, 0));

	/* bo's own: snoozed twice then reminded (missed); snoozed once and
	 * pending. */
	f = add_followup(st, "bo", NULL, 0, N(10, 22, 9, 0));
	snooze(st, f, N(10, 22, 9, 10), N(10, 23, 9, 0));
	snooze(st, f, N(10, 23, 9, 5), N(10, 26, 9, 0));
	notified(st, f, N(10, 26, 9, 0));
	f = add_followup(st, "bo", NULL, 0, N(11, 4, 9, 0));
	snooze(st, f, N(11, 4, 9, 5), N(11, 6, 9, 0));
}

static int
group_setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	char *err = NULL;

	if (fx == NULL)
		return -1;
	*state = fx;
	if ((fx->u = udb_open("report", report_conf)) == NULL)
		return -1;
	fx->st = fx->u->st;
	fx->cfg = fx->u->cfg;
	fx->since = S(10, 19, 0, 0);
	fx->now = S(11, 9, 12, 0);
	if (store_begin(fx->st, &err) != 0)
		return -1;
	fill_promises(fx->st);
	fill_deals_and_followups(fx->st, fx->now);
	if (store_commit(fx->st, &err) != 0)
		return -1;
	return 0;
}

static int
group_teardown(void **state)
{
	struct fx *fx = *state;

	if (fx == NULL)
		return 0;
	udb_close(fx->u);
	free(fx);
	return 0;
}

/* ---- checking --------------------------------------------------------- */

static void
expect_near(const char *what, double got, double want)
{
	double d = got - want;

	if (d > 1e-9 || d < -1e-9)
		fail_msg("%s: got %.12g, want %.12g", what, got, want);
}

/* The 14 counts of a row, in struct order. */
struct counts {
	int64_t early, on_time, late, reneg, broken, open, overdue;
	int64_t done, snoozed, missed;
	int64_t won, choc_in, choc_late, choc_open;
};

static void
expect_row(const struct report_row *r, const char *owner,
    const struct counts *c)
{
	const int64_t got[] = { r->kept_early, r->kept_on_time, r->kept_late,
		r->renegotiated, r->broken, r->open, r->overdue, r->done,
		r->snoozed, r->missed, r->won, r->choc_in_window, r->choc_late,
		r->choc_open };
	const int64_t want[] = { c->early, c->on_time, c->late, c->reneg,
		c->broken, c->open, c->overdue, c->done, c->snoozed,
		c->missed, c->won, c->choc_in, c->choc_late, c->choc_open };
	static const char *const names[] = { "kept_early", "kept_on_time",
		"kept_late", "renegotiated", "broken", "open", "overdue",
		"done", "snoozed", "missed", "won", "choc_in_window",
		"choc_late", "choc_open" };
	size_t i;
	int bad = 0;

	if (owner == NULL)
		assert_null(r->owner);
	else
		assert_string_equal(r->owner, owner);
	for (i = 0; i < sizeof(got) / sizeof(got[0]); i++)
		if (got[i] != want[i]) {
			print_error("%s %s: got %lld, want %lld\n",
			    owner != NULL ? owner : "team", names[i],
			    (long long)got[i], (long long)want[i]);
			bad = 1;
		}
	if (bad)
		fail();
}

/*
 * anna: early A1 A2 A6, on time A3 A5, late A4 A12, renegotiated A6,
 * broken A7, open A9, overdue A8 A13.  Follow-ups done: her first, the
 * snoozed one, two chocolates, the thank-you; snoozed 1; missed: 3 Nov and
 * the one a minute over a day ago.  Won D1-D5; chocolates: D1 in window,
 * D2 late, D3 open (D4 none, D5 cancelled).
 */
static const struct counts anna_counts = { 3, 2, 2, 1, 1, 1, 2, 5, 1, 2, 5,
	1, 1, 1 };
/*
 * bo: early B1 B4, on time B3, late B2, renegotiated B6 B7, broken B5 B7,
 * open B6, overdue B8.  Follow-ups: done the Cellar chocolate; snoozed
 * two; missed the twice-snoozed one and the Attic chocolate.  Won Attic
 * (open) and Cellar (in window).
 */
static const struct counts bo_counts = { 2, 1, 1, 2, 2, 1, 1, 1, 2, 2, 2, 1,
	0, 1 };
static const struct counts team_counts = { 5, 3, 3, 3, 3, 2, 3, 6, 3, 4, 7,
	2, 1, 2 };

static void
build(struct fx *fx, const char *owner, time_t since, struct report *r)
{
	char *err = NULL;

	if (report_build(fx->st, fx->cfg, owner, since, fx->now, r, &err) != 0)
		fail_msg("report_build: %s", err);
}

static void
test_rows(void **state)
{
	struct fx *fx = *state;
	struct report r;

	build(fx, NULL, fx->since, &r);
	assert_int_equal(r.since, fx->since);
	assert_int_equal(r.until, fx->now);
	assert_int_equal(r.nrows, 2);
	expect_row(&r.rows[0], "anna", &anna_counts);
	expect_row(&r.rows[1], "bo", &bo_counts);
	expect_row(&r.team, NULL, &team_counts);
	report_free(&r);
	assert_null(r.rows);
	assert_null(r.weeks);
}

/*
 * Margins in hours, sorted: anna -24 -9.5 0 6 26 29 31, an odd count, the
 * middle one 6 h = 0.25 d; bo -12 5 31 48, even, (5 + 31) / 2 = 18 h =
 * 0.75 d.  The team has no median of its own with several owners.
 */
static void
test_median(void **state)
{
	struct fx *fx = *state;
	struct report r;

	build(fx, NULL, fx->since, &r);
	assert_true(r.rows[0].has_median);
	expect_near("anna", r.rows[0].median_days, 6 * HOUR / DAY);
	assert_true(r.rows[1].has_median);
	expect_near("bo", r.rows[1].median_days, 18 * HOUR / DAY);
	assert_false(r.team.has_median);
	report_free(&r);

	/* Only promises due from `since` on: from Sun 25 Oct anna has A12
	 * -9.5, A2 26, A3 6, A4 -24, A5 0, A6 31; even, (0 + 6) / 2 = 3 h. */
	build(fx, "anna", S(10, 25, 0, 0), &r);
	expect_near("anna from 25 Oct", r.rows[0].median_days, 3 * HOUR / DAY);
	report_free(&r);
	/* From Mon 2 Nov bo has B2 -12, B3 5, B4 31: odd, 5 h. */
	build(fx, "bo", S(11, 2, 0, 0), &r);
	expect_near("bo from 2 Nov", r.rows[0].median_days, 5 * HOUR / DAY);
	report_free(&r);
	/* From Sat 7 Nov bo has kept nothing: no median. */
	build(fx, "bo", S(11, 7, 0, 0), &r);
	assert_int_equal(r.nrows, 1);
	assert_false(r.rows[0].has_median);
	assert_false(r.team.has_median);
	report_free(&r);
}

/*
 * Mostly late: a store of its own where anna kept promises 24 h and 2 h
 * late and one 4 h before due (margins -24 -2 4: median -2 h, odd), then
 * one more 10 h late (-24 -10 -2 4: median (-10 + -2) / 2 = -6 h, even).
 */
static void
test_median_late(void **state)
{
	static const int margin_hours[] = { -24, -2, 4, -10 };
	struct fx *fx = *state;
	struct store *st = NULL;
	struct report r;
	char db[160];
	time_t due;
	int64_t id;
	size_t i;

	snprintf(db, sizeof(db), "%s/late.db", fx->u->dir);
	OK(store_open(db, 0, &st, &err));
	for (i = 0; i < 4; i++) {
		due = S(11, 2 + (int)i, 12, 0);
		id = add_promise(st, "anna", due - 7 * 86400, due,
		    due - 86400);
		end_promise(st, id, "kept", due - margin_hours[i] * 3600);
		if (i == 2 || i == 3) {
			OK(report_build(st, fx->cfg, NULL, S(11, 1, 0, 0),
			    fx->now, &r, &err));
			assert_int_equal(r.nrows, 1);
			assert_true(r.rows[0].has_median);
			expect_near(i == 2 ? "odd" : "even",
			    r.rows[0].median_days, (i == 2 ? -2 : -6) * HOUR /
			    DAY);
			/* One owner: the team row has the median too. */
			expect_near("team", r.team.median_days,
			    r.rows[0].median_days);
			report_free(&r);
		}
	}
	/* Three late; the one kept 4 h before due is after its target (a
	 * day before due), so on time. */
	OK(report_build(st, fx->cfg, NULL, S(11, 1, 0, 0), fx->now, &r, &err));
	assert_int_equal(r.rows[0].kept_late, 3);
	assert_int_equal(r.rows[0].kept_on_time, 1);
	report_free(&r);
	store_close(st);       /* the teardown removes the files */
}

/*
 * Weeks start Monday 00:00 in Stockholm: 19 Oct 00:00 CEST (18 Oct 22:00
 * UTC), 26 Oct 00:00 CET (25 Oct 23:00 UTC), 2 Nov, 9 Nov.  Settled =
 * kept, broken or open past due; on time = kept by the due date.
 *   19 Oct: A1 kept early, A7 broken, A12 (Sun 23:30) late, B5 broken: 4, 1
 *   26 Oct: A2, A3, B1 kept in time, B7 broken (A10 cancelled):     4, 3
 *    2 Nov: A4 late, A5 A6 in time, A8 overdue, B2 late, B3 B4 in
 *           time (B9 cancelled):                                      7, 4
 *    9 Nov: A13 and B8 (Sun 18:30 in New York) overdue:               2, 0
 * A9 and B6 are due after now.  Rates 1/4, 3/4, 4/7, 0: bars
 * round(rate * 7) = 2, 5, 4, 0.
 */
static void
test_weeks(void **state)
{
	static const int64_t settled[] = { 4, 4, 7, 2 },
	    on_time[] = { 1, 3, 4, 0 };
	struct fx *fx = *state;
	struct report r;
	char spark[64];
	size_t i;

	build(fx, NULL, fx->since, &r);
	assert_int_equal(r.nweeks, 4);
	assert_int_equal(r.weeks[0].start, at("UTC", 10, 18, 22, 0));
	assert_int_equal(r.weeks[1].start, at("UTC", 10, 25, 23, 0));
	assert_int_equal(r.weeks[2].start, at("UTC", 11, 1, 23, 0));
	assert_int_equal(r.weeks[3].start, at("UTC", 11, 8, 23, 0));
	assert_int_equal(r.weeks[1].start - r.weeks[0].start, 7 * 86400 + 3600);
	for (i = 0; i < 4; i++) {
		if (r.weeks[i].settled != settled[i] ||
		    r.weeks[i].on_time != on_time[i])
			fail_msg("week %zu: %lld settled, %lld on time; want "
			    "%lld, %lld", i, (long long)r.weeks[i].settled,
			    (long long)r.weeks[i].on_time,
			    (long long)settled[i], (long long)on_time[i]);
	}
	assert_int_equal(report_sparkline(&r, spark, sizeof(spark)), 0);
	assert_string_equal(spark, "\u2583\u2586\u2585\u2581");
	report_free(&r);

	/* bo alone, still in the team's weeks: B5 | B1 B7 | B2 B3 B4 | B8. */
	build(fx, "bo", fx->since, &r);
	assert_int_equal(r.nweeks, 4);
	assert_int_equal(r.weeks[0].settled, 1);
	assert_int_equal(r.weeks[0].on_time, 0);
	assert_int_equal(r.weeks[1].settled, 2);
	assert_int_equal(r.weeks[1].on_time, 1);
	assert_int_equal(r.weeks[2].settled, 3);
	assert_int_equal(r.weeks[2].on_time, 2);
	assert_int_equal(r.weeks[3].settled, 1);
	assert_int_equal(r.weeks[3].on_time, 0);
	/* 0, 1/2, 2/3, 0: round(3.5) = 4, round(4.67) = 5. */
	assert_int_equal(report_sparkline(&r, spark, sizeof(spark)), 0);
	assert_string_equal(spark, "\u2581\u2585\u2586\u2581");
	report_free(&r);
}

/* A period starting mid-week still shows that whole week; a long one keeps
 * the latest REPORT_MAX_WEEKS; since == now is one week. */
static void
test_week_range(void **state)
{
	struct fx *fx = *state;
	struct report r;

	build(fx, NULL, S(10, 21, 12, 0), &r);
	assert_int_equal(r.nweeks, 4);
	assert_int_equal(r.weeks[0].start, S(10, 19, 0, 0));
	assert_int_equal(r.weeks[0].settled, 4);
	report_free(&r);

	build(fx, NULL, fx->now - 52 * 7 * 86400, &r);
	assert_int_equal(r.nweeks, REPORT_MAX_WEEKS);
	assert_int_equal(r.weeks[REPORT_MAX_WEEKS - 1].start, S(11, 9, 0, 0));
	/* 25 weeks (175 days) before 9 Nov is Mon 18 May, in CEST. */
	assert_int_equal(r.weeks[0].start, S(5, 18, 0, 0));
	assert_int_equal(r.weeks[0].start, at("UTC", 5, 17, 22, 0));
	report_free(&r);

	build(fx, NULL, fx->now, &r);
	assert_int_equal(r.nweeks, 1);
	assert_int_equal(r.weeks[0].start, S(11, 9, 0, 0));
	assert_int_equal(r.weeks[0].settled, 2);
	report_free(&r);
}

/* One owner: only their row, and the team row is theirs, median too. */
static void
test_one_owner(void **state)
{
	struct fx *fx = *state;
	struct report r;

	build(fx, "bo", fx->since, &r);
	assert_int_equal(r.nrows, 1);
	expect_row(&r.rows[0], "bo", &bo_counts);
	expect_row(&r.team, NULL, &bo_counts);
	assert_true(r.team.has_median);
	expect_near("team median", r.team.median_days, 18 * HOUR / DAY);
	report_free(&r);

	build(fx, "nobody", fx->since, &r);
	assert_int_equal(r.nrows, 0);
	assert_int_equal(r.team.won, 0);
	assert_int_equal(r.nweeks, 4);
	assert_int_equal(r.weeks[0].settled, 0);
	report_free(&r);
}

static void
test_since_after_now(void **state)
{
	struct fx *fx = *state;
	struct report r;
	char *err = NULL;

	assert_int_equal(report_build(fx->st, fx->cfg, NULL, fx->now + 1,
	    fx->now, &r, &err), -1);
	assert_non_null(err);
	assert_non_null(strstr(err, "after now"));
	free(err);
	assert_int_equal(r.nrows, 0);
	assert_null(r.rows);
	assert_null(r.weeks);
	report_free(&r);
}

static void
test_rate_and_sparkline(void **state)
{
	struct report_week w[9];
	struct report r;
	char buf[64];
	int k;

	(void)state;
	expect_near("3 of 4", report_rate(3, 4), 0.75);
	expect_near("0 of 5", report_rate(0, 5), 0.0);
	expect_near("5 of 5", report_rate(5, 5), 1.0);
	expect_near("none", report_rate(0, 0), -1.0);

	/* Nothing settled, then k of 7 for k = 0..7: each bar once. */
	memset(&r, 0, sizeof(r));
	memset(w, 0, sizeof(w));
	for (k = 0; k <= 7; k++) {
		w[k + 1].settled = 7;
		w[k + 1].on_time = k;
	}
	r.weeks = w;
	r.nweeks = 9;
	assert_int_equal(report_sparkline(&r, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "\u00b7\u2581\u2582\u2583\u2584\u2585\u2586"
	    "\u2587\u2588");
	/* 2 + 8 * 3 bytes: fits in 27, not in 26. */
	assert_int_equal(strlen(buf), 26);
	assert_int_equal(report_sparkline(&r, buf, 27), 0);
	assert_int_equal(report_sparkline(&r, buf, 26), -1);
	assert_int_equal(report_sparkline(&r, buf, 0), -1);
	/* Half: round(3.5) = 4, the fifth bar; a third: round(2.33) = 2. */
	w[0].settled = 2;
	w[0].on_time = 1;
	w[1].settled = 3;
	w[1].on_time = 1;
	r.nweeks = 2;
	assert_int_equal(report_sparkline(&r, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "\u2585\u2583");
	r.nweeks = 0;
	assert_int_equal(report_sparkline(&r, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
}

static void
expect_cells(const struct report_row *row, const char *const *want)
{
	char cells[REPORT_CSV_COLUMNS][32];
	size_t i;

	report_row_cells(row, cells);
	for (i = 0; i < REPORT_CSV_COLUMNS; i++)
		if (strcmp(cells[i], want[i]) != 0)
			fail_msg("%s column %s: got \"%s\", want \"%s\"",
			    want[0], report_csv_header[i], cells[i], want[i]);
}

static void
test_csv_cells(void **state)
{
	static const char *const anna[] = { "anna", "3", "2", "2", "1", "1",
		"1", "2", "0.25", "5", "1", "2", "5", "1", "1", "1", "0.200" };
	static const char *const bo[] = { "bo", "2", "1", "1", "2", "2", "1",
		"1", "0.75", "1", "2", "2", "2", "1", "0", "1", "0.500" };
	/* No team median; coverage 2 of 7 won. */
	static const char *const team[] = { "team", "5", "3", "3", "3", "3",
		"2", "3", "", "6", "3", "4", "7", "2", "1", "2", "0.286" };
	static const char *const empty[] = { "team", "0", "0", "0", "0", "0",
		"0", "0", "", "0", "0", "0", "0", "0", "0", "0", "" };
	struct fx *fx = *state;
	struct report_row none;
	struct report r;
	size_t n;

	for (n = 0; report_csv_header[n] != NULL; n++)
		;
	assert_int_equal(n, REPORT_CSV_COLUMNS);
	assert_string_equal(report_csv_header[0], "owner");
	assert_string_equal(report_csv_header[8], "median_days_early");
	assert_string_equal(report_csv_header[16],
	    "second_chocolate_coverage");

	build(fx, NULL, fx->since, &r);
	expect_cells(&r.rows[0], anna);
	expect_cells(&r.rows[1], bo);
	expect_cells(&r.team, team);
	report_free(&r);
	memset(&none, 0, sizeof(none));
	expect_cells(&none, empty);
}

static json_t *
path(json_t *o, const char *a, const char *b)
{
	json_t *v = json_object_get(o, a);

	if (b != NULL)
		v = json_object_get(v, b);
	if (v == NULL)
		fail_msg("no %s%s%s in the JSON", a, b ? "." : "", b ? b : "");
	return v;
}

static void
expect_json_int(json_t *o, const char *a, const char *b, json_int_t want)
{
	json_t *v = path(o, a, b);

	if (!json_is_integer(v) || json_integer_value(v) != want)
		fail_msg("%s%s%s: want %lld", a, b ? "." : "", b ? b : "",
		    (long long)want);
}

static void
test_json(void **state)
{
	static const char *const promise_keys[] = { "kept_early",
		"kept_on_time", "kept_late", "renegotiated", "broken", "open",
		"overdue", NULL };
	static const json_int_t anna_promises[] = { 3, 2, 2, 1, 1, 1, 2 };
	struct fx *fx = *state;
	json_t *o, *anna, *team, *trend;
	struct report r;
	size_t i;

	build(fx, NULL, fx->since, &r);
	o = report_json(&r, SE);
	report_free(&r);
	assert_non_null(o);
	assert_string_equal(json_string_value(path(o, "since", NULL)),
	    "2026-10-19T00:00:00+02:00");
	assert_string_equal(json_string_value(path(o, "until", NULL)),
	    "2026-11-09T12:00:00+01:00");
	assert_int_equal(json_array_size(path(o, "owners", NULL)), 2);
	anna = json_array_get(path(o, "owners", NULL), 0);
	assert_string_equal(json_string_value(path(anna, "owner", NULL)),
	    "anna");
	assert_string_equal(json_string_value(path(json_array_get(path(o,
	    "owners", NULL), 1), "owner", NULL)), "bo");
	for (i = 0; promise_keys[i] != NULL; i++)
		expect_json_int(anna, "promises", promise_keys[i],
		    anna_promises[i]);
	expect_near("median_days_early", json_real_value(path(anna,
	    "promises", "median_days_early")), 0.25);
	expect_json_int(anna, "followups", "done", 5);
	expect_json_int(anna, "followups", "snoozed", 1);
	expect_json_int(anna, "followups", "missed", 2);
	expect_json_int(anna, "second_chocolate", "won_deals", 5);
	expect_json_int(anna, "second_chocolate", "done_in_window", 1);
	expect_json_int(anna, "second_chocolate", "done_late", 1);
	expect_json_int(anna, "second_chocolate", "open", 1);
	expect_near("coverage", json_real_value(path(anna, "second_chocolate",
	    "coverage")), 0.2);

	team = path(o, "team", NULL);
	assert_true(json_is_null(path(team, "owner", NULL)));
	assert_true(json_is_null(path(team, "promises",
	    "median_days_early")));
	expect_json_int(team, "promises", "kept_early", 5);
	expect_json_int(team, "second_chocolate", "won_deals", 7);
	expect_near("team coverage", json_real_value(path(team,
	    "second_chocolate", "coverage")), 2.0 / 7.0);

	trend = path(o, "trend", NULL);
	assert_int_equal(json_array_size(trend), 4);
	assert_string_equal(json_string_value(path(json_array_get(trend, 0),
	    "week", NULL)), "2026-10-19T00:00:00+02:00");
	assert_string_equal(json_string_value(path(json_array_get(trend, 1),
	    "week", NULL)), "2026-10-26T00:00:00+01:00");
	expect_json_int(json_array_get(trend, 2), "settled", NULL, 7);
	expect_json_int(json_array_get(trend, 2), "on_time", NULL, 4);
	expect_near("week 3 rate", json_real_value(path(json_array_get(trend,
	    2), "rate", NULL)), 4.0 / 7.0);
	expect_near("week 4 rate", json_real_value(path(json_array_get(trend,
	    3), "rate", NULL)), 0.0);
	assert_string_equal(json_string_value(path(o, "sparkline", NULL)),
	    "\u2583\u2586\u2585\u2581");
	json_decref(o);

	/* Nothing settled: rate and coverage are null, not 0 or -1. */
	build(fx, "nobody", fx->since, &r);
	o = report_json(&r, SE);
	report_free(&r);
	assert_true(json_is_null(path(json_array_get(path(o, "trend", NULL),
	    0), "rate", NULL)));
	assert_true(json_is_null(path(path(o, "team", NULL),
	    "second_chocolate", "coverage")));
	assert_int_equal(json_array_size(path(o, "owners", NULL)), 0);
	json_decref(o);
}

static void
test_text(void **state)
{
	static const char *const lines[] = {
		"Ledger from 2026-10-19 to 2026-11-09 12:00\n",
		"\nanna ",
		"\nbo ",
		"\nteam ",
		"(4 weeks, oldest first):\n  \u2583\u2586\u2585"
		"\u2581  this week 0 % (0 of 2)\n",
		"\nOWNER      DONE SNOOZED MISSED  WON  2ND COVER\n",
		NULL
	};
	struct fx *fx = *state;
	struct report r;
	char *text = NULL;
	size_t size = 0;
	FILE *m;

	build(fx, NULL, fx->since, &r);
	assert_non_null(m = open_memstream(&text, &size));
	report_write_text(&r, SE, m);
	assert_int_equal(fclose(m), 0);
	report_free(&r);
	ut_expect_text("text report", text, lines, NULL);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_median),
		cmocka_unit_test(test_median_late),
		cmocka_unit_test(test_weeks),
		cmocka_unit_test(test_week_range),
		cmocka_unit_test(test_one_owner),
		cmocka_unit_test(test_since_after_now),
		cmocka_unit_test(test_rate_and_sparkline),
		cmocka_unit_test(test_csv_cells),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_text),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
