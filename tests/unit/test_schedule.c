/*
 * Unit tests for lib/schedule.c and lib/summary.c: events from the
 * log into follow-ups (the cursor), due follow-ups into delivery rows one
 * per channel, the folding of a person's digest and of reminders missed
 * while the daemon was down (late_after) into one message, batches, the
 * next wake-up, and the weekly summary.  Running any of them twice at the
 * same moment creates nothing new.
 *
 * A real store and configuration in a temporary directory.  anna
 * (Stockholm) is reminded on two channels, bo (New York) gets a digest at
 * 08:30, carl on the log only; zed has left the configuration (no
 * channel to remind him on); the rule
 * "urgent" goes to the chat channel only.  2026-11-02 is a Monday.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "team_conf.h"
#include "unit_db.h"

#include "account.h"
#include "deal.h"
#include "followup.h"
#include "person.h"
#include "runstate.h"
#include "schedule.h"

#define S(y, mo, d, h, mi) udb_local(SE, y, mo, d, h, mi)
#define N(y, mo, d, h, mi) udb_local(NY, y, mo, d, h, mi)

static const char schedule_conf[] =
    TEAM_CONF_CHANNELS
    TEAM_CONF_PEOPLE(",\n"
    "  { handle = \"carl\"; timezone = \"Europe/Stockholm\";\n"
    "    hours = \"00:00-24:00\"; days = \"mon-sun\"; notify = [ \"log\" ];\n"
    "    weekly_summary = false; }")
    TEAM_CONF_RULES;

static int
setup(void **state)
{
	return (*state = udb_open("schedule", schedule_conf)) != NULL ? 0 :
	    -1;
}

/* A hand-made follow-up of owner reminding at remind (account may be
 * NULL); rule and occurrence as a rule would set them, or NULL. */
static int64_t
add_fu(struct udb *u, const char *owner, const char *text,
    const char *account, time_t remind, const char *rule, const char *occ)
{
	struct followup_new f;
	int64_t id;
	int created;

	memset(&f, 0, sizeof(f));
	f.owner = owner;
	f.text = text;
	f.due_at = f.remind_at = remind;
	f.rule = rule;
	f.occurrence = occ;
	OK(store_begin(u->st, &err));
	if (account != NULL)
		OK(account_ensure(u->st, account, remind - 86400, &f.account_id,
		    &created, &err));
	OK(followup_create(u->st, &f, remind - 86400, &id, &err));
	OK(store_commit(u->st, &err));
	assert_true(id > 0);
	return id;
}

/* schedule_due() at now: returns *queued, *more into more (may be NULL). */
static int
due(struct udb *u, time_t now, int *more)
{
	int queued = -1, m = -1;

	OK(schedule_due(u->st, u->cfg, now, &queued, &m, &err));
	if (more != NULL)
		*more = m;
	return queued;
}

static int64_t
deliveries_of(struct udb *u, int64_t fu)
{
	char id[32];

	snprintf(id, sizeof(id), "%lld", (long long)fu);
	return udb_int(u->st, "SELECT count(*) FROM deliveries WHERE "
	    "followup_id = CAST(?1 AS INTEGER)", id);
}

/* The channels follow-up fu is queued on, "chat,log" (sorted). */
static void
expect_channels(struct udb *u, int64_t fu, const char *want)
{
	sqlite3_stmt *q;
	char got[128] = "";

	assert_int_equal(sqlite3_prepare_v2(store_db(u->st),
	    "SELECT group_concat(channel, ',') FROM (SELECT channel FROM "
	    "deliveries WHERE followup_id = ?1 AND state = 'queued' AND "
	    "round = 0 ORDER BY channel)", -1, &q, NULL), SQLITE_OK);
	sqlite3_bind_int64(q, 1, fu);
	if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0))
		snprintf(got, sizeof(got), "%s", sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
	assert_string_equal(got, want);
}

static void
expect_fu_state(struct udb *u, int64_t id, const char *state,
    int64_t folded_into)
{
	struct followup f;

	OK(followup_get(u->st, id, &f, &err));
	assert_string_equal(f.state, state);
	assert_int_equal(f.folded_into, folded_into);
	followup_clear(&f);
}

/* Follow-up fu went out on its own (folded into nothing), queued on
 * channels. */
static void
expect_sent(struct udb *u, int64_t fu, const char *channels)
{
	expect_channels(u, fu, channels);
	expect_fu_state(u, fu, "notified", 0);
}

/* The reminder `rule` made for owner, its key naming the first item
 * folded into it: notified, with text, on channels; first and second (0:
 * none) notified as folded into it.  Into *f (for the caller to clear). */
static void
expect_fold(struct udb *u, const char *rule, const char *owner,
    int64_t first, int64_t second, const char *text, const char *channels,
    struct followup *f)
{
	char occ[64];

	snprintf(occ, sizeof(occ), "%s:%s:%lld", rule, owner,
	    (long long)first);
	assert_true(udb_followup(u->st, occ, f));
	assert_string_equal(f->owner, owner);
	assert_string_equal(f->rule, rule);
	assert_string_equal(f->state, "notified");
	assert_string_equal(f->text, text);
	expect_channels(u, f->id, channels);
	expect_fu_state(u, first, "notified", f->id);
	if (second != 0)
		expect_fu_state(u, second, "notified", f->id);
}

/* Nothing more due at now or later; the follow-ups and deliveries number
 * what they did. */
static void
expect_settled(struct udb *u, time_t now, time_t later, int64_t followups,
    int64_t deliveries)
{
	assert_int_equal(due(u, now, NULL), 0);
	assert_int_equal(due(u, later, NULL), 0);
	assert_int_equal(udb_count(u->st, "followups"), followups);
	assert_int_equal(udb_count(u->st, "deliveries"), deliveries);
}

/* ---- events ------------------------------------------------------------- */

/* schedule_events() at now makes `made`, and the follow-ups number
 * `followups`. */
static void
expect_events(struct udb *u, time_t now, int made, int64_t followups)
{
	int got = -1;

	OK(schedule_events(u->st, u->cfg, now, &got, &err));
	assert_int_equal(got, made);
	assert_int_equal(udb_count(u->st, "followups"), followups);
}

/* A deal of anna's on account, made at `made` and won at `won`. */
static void
win_deal(struct udb *u, const char *title, const char *account,
    time_t made, time_t won)
{
	struct deal d;

	memset(&d, 0, sizeof(d));
	d.title = (char *)title;
	d.owner = "anna";
	d.account = (char *)account;
	d.stage = "open";
	OK(store_begin(u->st, &err));
	OK(deal_insert(u->st, &d, made, &err));
	OK(deal_close(u->st, d.id, "won", won, won, &err));
	OK(store_commit(u->st, &err));
}

/* Events after the cursor become follow-ups; the cursor moves to the last
 * event, so a second run makes nothing; a new event only its own. */
static void
test_events(void **state)
{
	struct udb *u = *state;
	struct runstate rs;
	int64_t last;

	win_deal(u, "Big deal", "Acme", S(2026, 11, 2, 9, 0),
	    S(2026, 11, 4, 10, 0));

	/* The cursor moves to the last event read; the follow-ups' own
	 * followup.created events come after it (read, to no effect, by the
	 * next run). */
	last = udb_int(u->st, "SELECT max(id) FROM events", NULL);
	expect_events(u, S(2026, 11, 4, 10, 0), 2, 2);
	OK(runstate_read(u->st, &rs, &err));
	assert_int_equal(rs.event_cursor, last);
	runstate_clear(&rs);

	expect_events(u, S(2026, 11, 4, 10, 1), 0, 2);
	last = udb_int(u->st, "SELECT max(id) FROM events", NULL);
	OK(runstate_read(u->st, &rs, &err));
	assert_int_equal(rs.event_cursor, last);
	runstate_clear(&rs);

	/* A second deal won: its two, and the first deal's are not made
	 * again (the events table holds both deals' events). */
	win_deal(u, "Next deal", "Beta", S(2026, 11, 4, 11, 0),
	    S(2026, 11, 4, 11, 0));
	expect_events(u, S(2026, 11, 4, 11, 0), 2, 4);
}

/* ---- due follow-ups into the outbox ------------------------------------- */

/* A due follow-up gets one delivery row per channel of its owner (or of
 * its rule), and becomes notified; nothing before it is due, nothing new
 * the second time.  An owner with no channel: notified, no rows. */
static void
test_due_per_channel(void **state)
{
	struct udb *u = *state;
	time_t t = S(2026, 11, 4, 10, 0);
	int64_t a, r, c, d;
	int more = -1;
	char when[32];

	a = add_fu(u, "anna", "Call Acme", "Acme", t, NULL, NULL);
	r = add_fu(u, "anna", "Invoice Acme", "Acme", t, "urgent",
	    "urgent:deal:1:0");
	c = add_fu(u, "carl", "Call Beta", NULL, t, NULL, NULL);
	d = add_fu(u, "zed", "Call Gamma", NULL, t, NULL, NULL);

	assert_int_equal(due(u, t - 1, &more), 0);
	assert_int_equal(more, 0);
	assert_int_equal(udb_count(u->st, "deliveries"), 0);
	expect_fu_state(u, a, "pending", 0);

	assert_int_equal(due(u, t, &more), 4);
	assert_int_equal(more, 0);
	expect_sent(u, a, "chat,log");
	expect_sent(u, r, "chat");
	expect_sent(u, c, "log");
	assert_int_equal(deliveries_of(u, d), 0);
	expect_fu_state(u, d, "notified", 0);
	/* Each row's first attempt is due at once. */
	snprintf(when, sizeof(when), "%lld", (long long)t);
	assert_int_equal(udb_int(u->st, "SELECT count(*) FROM deliveries "
	    "WHERE next_attempt_at = CAST(?1 AS INTEGER)", when), 4);

	assert_int_equal(due(u, t, &more), 0);
	assert_int_equal(due(u, t + 3600, &more), 0);
	assert_int_equal(udb_count(u->st, "deliveries"), 4);
	assert_int_equal(udb_count(u->st, "followups"), 4);
}

/* A person with a digest: what falls due at their digest moment goes out
 * as one message listing it, on their channels; the items are notified
 * as folded into it.  Others at the same moment go singly. */
static void
test_digest(void **state)
{
	struct udb *u = *state;
	const struct config_person *bo = config_person(u->cfg, "bo");
	time_t at, t = N(2026, 11, 4, 8, 30);
	struct followup f;
	int64_t b1, b2, a;

	/* Due at 10:00:17 and 14:00:42 the day before: their digest is
	 * 08:30:00, the same moment for both whatever their seconds. */
	at = person_remind_at(bo, N(2026, 11, 3, 10, 0) + 17,
	    N(2026, 11, 3, 9, 0));
	udb_expect_moment("bo's reminder", NY, at, N(2026, 11, 4, 8, 30));
	b1 = add_fu(u, "bo", "Call Acme", "Acme", at, NULL, NULL);
	at = person_remind_at(bo, N(2026, 11, 3, 14, 0) + 42,
	    N(2026, 11, 3, 9, 0));
	udb_expect_moment("bo's other reminder", NY, at,
	    N(2026, 11, 4, 8, 30));
	b2 = add_fu(u, "bo", "Send the deck", NULL, at, NULL, NULL);
	a = add_fu(u, "anna", "Call Beta", NULL, t, NULL, NULL);

	assert_int_equal(due(u, t, NULL), 3);  /* anna 2, bo's digest 1 */
	expect_fold(u, "digest", "bo", b1, b2, "Your digest (2):\n"
	    "- Call Acme [Acme]\n- Send the deck", "log", &f);
	assert_int_equal(f.remind_at, t);
	followup_clear(&f);
	assert_int_equal(deliveries_of(u, b1), 0);
	assert_int_equal(deliveries_of(u, b2), 0);
	expect_sent(u, a, "chat,log");
	expect_settled(u, t, t + 60, 4, 3);
}

/* The late policy: reminders that fell due more than late_after (24h)
 * ago are folded into one "missed" message per person; exactly 24 h late
 * and less go singly, as does what nudge wrote itself (a digest). */
static void
test_missed_while_offline(void **state)
{
	struct udb *u = *state;
	time_t now = S(2026, 11, 6, 12, 0);
	struct followup f;
	int64_t a1, a2, edge, fresh, b, own;

	a1 = add_fu(u, "anna", "Call Acme", "Acme", now - 25 * 3600, NULL,
	    NULL);
	a2 = add_fu(u, "anna", "Call Beta", NULL, now - 72 * 3600, NULL,
	    NULL);
	edge = add_fu(u, "anna", "Call Gamma", NULL, now - 24 * 3600, NULL,
	    NULL);
	fresh = add_fu(u, "anna", "Call Delta", NULL, now - 3600, NULL, NULL);
	b = add_fu(u, "bo", "Call Epsilon", NULL, now - 48 * 3600, NULL, NULL);
	own = add_fu(u, "carl", "Your digest (1):\n- x", NULL,
	    now - 48 * 3600, "digest", "digest:carl:999");

	/* anna: missed 2 + edge 2 + fresh 2; bo: missed 1; carl: 1. */
	assert_int_equal(due(u, now, NULL), 8);

	/* Oldest first in the list, the first item's id in the key. */
	expect_fold(u, "missed", "anna", a1, a2, "Missed while nudged was "
	    "offline (2):\n- Call Acme [Acme]\n- Call Beta", "chat,log", &f);
	followup_clear(&f);
	expect_fold(u, "missed", "bo", b, 0, "Missed while nudged was "
	    "offline (1):\n- Call Epsilon", "log", &f);
	followup_clear(&f);

	expect_sent(u, edge, "chat,log");
	expect_sent(u, fresh, "chat,log");
	expect_sent(u, own, "log");
	expect_settled(u, now, now + 3600, 8, 8);
}

/* A long fold lists 40 and counts the rest. */
static void
test_missed_long_list(void **state)
{
	struct udb *u = *state;
	time_t now = S(2026, 11, 6, 12, 0);
	struct followup f;
	int64_t first = 0, id;
	char occ[64], text[32];
	int i;

	for (i = 0; i < 45; i++) {
		snprintf(text, sizeof(text), "Item %02d", i);
		id = add_fu(u, "carl", text, NULL, now - 48 * 3600 + i, NULL,
		    NULL);
		if (i == 0)
			first = id;
	}
	assert_int_equal(due(u, now, NULL), 1);
	snprintf(occ, sizeof(occ), "missed:carl:%lld", (long long)first);
	assert_true(udb_followup(u->st, occ, &f));
	assert_non_null(strstr(f.text,
	    "Missed while nudged was offline (45):\n- Item 00\n"));
	assert_non_null(strstr(f.text, "\n- Item 39\n- ... and 5 more "
	    "(nudge agenda)"));
	assert_null(strstr(f.text, "Item 40"));
	followup_clear(&f);
	assert_int_equal(udb_int(u->st, "SELECT count(*) FROM followups "
	    "WHERE folded_into IS NOT NULL", NULL), 45);
}

/* Singles go in batches of 128: *more says when more are due. */
static void
test_batches(void **state)
{
	struct udb *u = *state;
	time_t t = S(2026, 11, 4, 10, 0);
	int i, more = -1;

	OK(store_begin(u->st, &err));
	for (i = 0; i < 130; i++) {
		struct followup_new f;
		int64_t id;

		memset(&f, 0, sizeof(f));
		f.owner = "carl";
		f.text = "Call";
		f.due_at = f.remind_at = t - 600 + i;
		OK(followup_create(u->st, &f, t - 86400, &id, &err));
		assert_true(id > 0);
	}
	OK(store_commit(u->st, &err));
	assert_int_equal(due(u, t, &more), 128);
	assert_int_equal(more, 1);
	assert_int_equal(due(u, t, &more), 2);
	assert_int_equal(more, 0);
	assert_int_equal(due(u, t, &more), 0);
	assert_int_equal(more, 0);
	assert_int_equal(udb_count(u->st, "deliveries"), 130);
}

/* The next wake-up: the earliest pending reminder, or with the outbox a
 * delivery attempt if that is sooner. */
static void
test_next(void **state)
{
	struct udb *u = *state;
	time_t t = S(2026, 11, 4, 10, 0);
	int64_t at = -1;
	int found = -1;

	OK(schedule_next(u->st, 1, NULL, &at, &found, &err));
	assert_int_equal(found, 0);

	add_fu(u, "carl", "Later", NULL, t + 7200, NULL, NULL);
	add_fu(u, "carl", "Sooner", NULL, t + 3600, NULL, NULL);
	add_fu(u, "carl", "Now", NULL, t, NULL, NULL);
	OK(schedule_next(u->st, 0, NULL, &at, &found, &err));
	assert_int_equal(found, 1);
	assert_int_equal(at, t);

	/* "Now" queued at t: its first attempt is due at t, before the
	 * next reminder. */
	assert_int_equal(due(u, t, NULL), 1);
	OK(schedule_next(u->st, 0, NULL, &at, &found, &err));
	assert_int_equal(found, 1);
	assert_int_equal(at, t + 3600);
	OK(schedule_next(u->st, 1, NULL, &at, &found, &err));
	assert_int_equal(found, 1);
	assert_int_equal(at, t);
}

/* ---- the weekly summary ------------------------------------------------- */

/* The weekly summaries made at Fri 6 Nov 16:30 Stockholm: how many;
 * anna's into *f (for the caller to clear). */
static int
anna_summary(struct udb *u, struct followup *f)
{
	int made = -1;

	OK(summary_make(u->st, u->cfg, S(2026, 11, 6, 16, 30), &made, &err));
	assert_true(udb_followup(u->st, "weekly:anna:2026-11-06", f));
	return made;
}

/* Friday 16:00 in each person's zone: made once per person and week, not
 * more than a day late; the next moment is the earliest zone's. */
static void
test_weekly_summary(void **state)
{
	struct udb *u = *state;
	struct followup f;
	int made = -1;

	/* Fri 6 Nov 16:30 Stockholm: anna's moment has
	 * come (bo's, New York, not yet). */
	assert_true(anna_summary(u, &f) >= 1);
	assert_string_equal(f.rule, "weekly");
	assert_int_equal(f.remind_at, S(2026, 11, 6, 16, 0));
	assert_non_null(strstr(f.text, "Your week in promises and "
	    "follow-ups, anna:"));
	followup_clear(&f);
	assert_false(udb_followup(u->st, "weekly:bo:2026-11-06", &f));
	OK(summary_make(u->st, u->cfg, S(2026, 11, 6, 16, 45), &made, &err));
	assert_int_equal(made, 0);
	/* Fri 16:00 New York, bo's moment: he sets no weekly_summary and
	 * has his by default. */
	OK(summary_make(u->st, u->cfg, N(2026, 11, 6, 16, 0), &made, &err));
	assert_int_equal(made, 1);
	assert_true(udb_followup(u->st, "weekly:bo:2026-11-06", &f));
	followup_clear(&f);

	/* More than a day after the moment everywhere (Sat 23:00 is 17:00
	 * in New York): that week's is skipped. */
	OK(summary_make(u->st, u->cfg, S(2026, 11, 14, 23, 0), &made, &err));
	assert_int_equal(made, 0);
	assert_false(udb_followup(u->st, "weekly:anna:2026-11-13", &f));

	/* Thu 12 Nov noon: next is Fri 13 16:00 Stockholm. */
	udb_expect_moment("summary_next", SE,
	    summary_next(u->cfg, S(2026, 11, 12, 12, 0)),
	    S(2026, 11, 13, 16, 0));
	/* Fri 13 16:00 Stockholm passed: New York's 16:00 is next. */
	udb_expect_moment("summary_next, after", NY,
	    summary_next(u->cfg, S(2026, 11, 13, 16, 0)),
	    N(2026, 11, 13, 16, 0));
}

/* A person who says weekly_summary = false (carl) gets none, in the same
 * run as anna, who says weekly_summary = true (TEAM_CONF_PEOPLE), gets
 * hers. */
static void
test_weekly_summary_only_who_asked(void **state)
{
	struct udb *u = *state;
	struct followup f;

	assert_int_equal(anna_summary(u, &f), 1);
	followup_clear(&f);
	assert_false(udb_followup(u->st, "weekly:carl:2026-11-06", &f));
}

/* Every test on a fixture of its own. */
#define TEST(f) cmocka_unit_test_setup_teardown(f, setup, udb_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_events),
		TEST(test_due_per_channel),
		TEST(test_digest),
		TEST(test_missed_while_offline),
		TEST(test_missed_long_list),
		TEST(test_batches),
		TEST(test_next),
		TEST(test_weekly_summary),
		TEST(test_weekly_summary_only_who_asked),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
