/*
 * Unit tests for lib/cadence.c and the touches of lib/usecase_contact.c:
 * an account's stay-in-touch moment in its owner's working time, pauses
 * (for good, until a day, ended), a touch that comes while the reminder
 * is due but not yet sent, or queued and not yet sent (withdrawn; without
 * the touch it is sent; one being sent is left to finish), a
 * resumed account's reminder restored, and `nudge accounts`' order.
 * A real store and configuration; 2026-11-06 is a Friday.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "unit_db.h"

#include "cadence.h"
#include "cadence_view.h"
#include "outbox.h"
#include "schedule.h"
#include "usecase.h"
#include "unit_uc.h"

#define S(y, mo, d, h, mi) udb_local(SE, y, mo, d, h, mi)

static const char cadence_conf[] = UDB_CONF_ANNA_BO
    "cadences = (\n"
    "  { name = \"key\"; every = \"30d\"; accounts = [ \"Acme\", \"Beta\" ];\n"
    "    owner = \"anna\"; },\n"
    "  { name = \"week\"; every = \"5bd\"; accounts = [ \"Gamma\" ]; },\n"
    "  { name = \"others\"; every = \"90d\"; }\n"
    ");\n";

static int
setup(void **state)
{
	return (*state = udb_open("cadence", cadence_conf)) != NULL ? 0 : -1;
}

/* A touch of account by owner (NULL: the cadence's) at now. */
static void
touch(struct udb *u, const char *account, const char *owner, time_t now)
{
	struct uc_ctx ctx = udb_ctx(u, now);
	struct uc_contact_add req = { account, NULL, NULL, NULL, owner };
	struct uc_contact_added r;
	char *err = NULL;

	if (uc_contact_add(&ctx, &req, &r, &err) != UC_OK)
		fail_msg("contact %s: %s", account, err);
}

/* The account's pending reminder's remind_at, 0 when it has none. */
static int64_t
pending(struct udb *u, const char *account)
{
	return udb_int(u->st, "SELECT coalesce(max(f.remind_at), 0) FROM "
	    "followups f JOIN accounts a ON a.id = f.account_id WHERE a.name = "
	    "?1 AND f.state = 'pending' AND f.rule LIKE 'cadence:%'", account);
}

/* The account's reminders that went out (notified). */
static int64_t
sent(struct udb *u, const char *account)
{
	return udb_int(u->st, "SELECT count(*) FROM followups f JOIN accounts "
	    "a ON a.id = f.account_id WHERE a.name = ?1 AND f.state = "
	    "'notified' AND f.rule LIKE 'cadence:%'", account);
}

static void
judge(struct udb *u, const char *account, time_t now, struct cadence_state *s)
{
	struct cadence_account a;
	int64_t id = udb_int(u->st, "SELECT id FROM accounts WHERE name = ?1",
	    account);

	OK(cadence_account_get(u->st, id, &a, &err));
	cadence_judge(u->cfg, &a, now, s);
	cadence_account_clear(&a);
}

/* Friday 15:00 + 30 days is Sunday 12-06: anna hears of it on Monday at
 * 08:00, her first working minute.  Business days count her week. */
static void
test_due_in_working_hours(void **state)
{
	struct udb *u = *state;
	struct cadence_state s;

	touch(u, "Acme", NULL, S(2026, 11, 6, 15, 0));
	judge(u, "Acme", S(2026, 11, 6, 15, 0), &s);
	assert_int_equal(s.due, S(2026, 12, 6, 15, 0));
	assert_string_equal(s.owner->handle, "anna");
	assert_int_equal(pending(u, "Acme"), S(2026, 12, 7, 8, 0));
	/* No owner in cadence "week": whoever touched last, bo in New
	 * York; 5 business days from Friday is the next Friday. */
	touch(u, "Gamma", "bo", udb_local(NY, 2026, 11, 6, 9, 0));
	judge(u, "Gamma", S(2026, 11, 6, 16, 0), &s);
	assert_string_equal(s.owner->handle, "bo");
	assert_int_equal(s.due, udb_local(NY, 2026, 11, 13, 9, 0));
	/* Under no cadence's name: the catch-all. */
	touch(u, "Zeta", "anna", S(2026, 11, 6, 15, 0));
	judge(u, "Zeta", S(2026, 11, 6, 15, 0), &s);
	assert_string_equal(s.cadence->name, "others");
	assert_int_equal(s.due, S(2027, 2, 4, 15, 0));
}

static void
pause_acct(struct udb *u, const char *account, const char *until, time_t now)
{
	struct uc_ctx ctx = udb_ctx(u, now);
	struct uc_account_paused r;
	char *err = NULL;

	if ((until != (const char *)1 ? uc_account_pause(&ctx, account, until,
	    &r, &err) : uc_account_resume(&ctx, account, &r, &err)) != UC_OK)
		fail_msg("pause %s: %s", account, err);
}

/* Paused for good: no reminder; paused until a day: then, in hours; a
 * pause that has ended holds nothing back; resumed: the same reminder
 * comes back. */
static void
test_pauses(void **state)
{
	struct udb *u = *state;
	struct cadence_state s;
	time_t t0 = S(2026, 11, 6, 15, 0);

	touch(u, "Acme", NULL, t0);
	touch(u, "Beta", NULL, t0);
	pause_acct(u, "Acme", NULL, t0 + 60);
	assert_int_equal(pending(u, "Acme"), 0);
	judge(u, "Acme", t0 + 60, &s);
	assert_true(s.paused);
	assert_int_equal(s.due, 0);
	pause_acct(u, "Acme", (const char *)1, t0 + 120);
	assert_int_equal(pending(u, "Acme"), S(2026, 12, 7, 8, 0));
	assert_int_equal(udb_int(u->st, "SELECT count(*) FROM followups WHERE "
	    "rule = 'cadence:key' AND account_id = (SELECT id FROM accounts "
	    "WHERE name = ?1)", "Acme"), 1);
	/* Until Saturday 2027-01-09 (past the due day): Monday 08:00. */
	pause_acct(u, "Beta", "2027-01-09", t0 + 60);
	assert_int_equal(pending(u, "Beta"), S(2027, 1, 11, 8, 0));
	/* After the pause ended, the account is judged as any other. */
	judge(u, "Beta", S(2027, 1, 10, 0, 0), &s);
	assert_false(s.paused);
	assert_true(s.overdue);
}

/* Both reminders are due at Monday 08:00; neither is sent yet.  Beta is
 * touched first: its reminder is withdrawn, while Acme's goes out in the
 * same run, so the run does send what is due. */
static void
test_touch_while_due_withdraws(void **state)
{
	struct udb *u = *state;
	time_t t0 = S(2026, 11, 6, 15, 0), at = S(2026, 12, 7, 8, 0);
	int queued = -1, more;

	touch(u, "Acme", NULL, t0);
	touch(u, "Beta", NULL, t0);
	assert_int_equal(pending(u, "Beta"), at);
	touch(u, "Beta", "anna", at + 10);
	OK(schedule_due(u->st, u->cfg, at + 20, &queued, &more, &err));
	assert_int_equal(queued, 1);
	assert_int_equal(sent(u, "Acme"), 1);
	assert_int_equal(sent(u, "Beta"), 0);
	assert_int_equal(udb_int(u->st, "SELECT count(*) FROM followups WHERE "
	    "state = 'cancelled' AND note = ?1",
	    "withdrawn: a touch moved its moment"), 1);
	/* The touch started Beta's clock again: 30 days on, in hours. */
	assert_int_equal(pending(u, "Beta"), S(2027, 1, 6, 8, 0) + 10);
	/* A sweep (nudged's start) makes nothing twice. */
	OK(cadence_sweep(u->st, u->cfg, at + 30, &err));
	assert_int_equal(udb_int(u->st, "SELECT count(*) FROM followups WHERE "
	    "rule LIKE ?1", "cadence:%"), 3);
}

/* The state of follow-up id's delivery and of the follow-up itself. */
static void
expect_reminder(struct udb *u, int64_t id, const char *delivery,
    const char *followup)
{
	char key[96];

	snprintf(key, sizeof(key), "%lld:%s:%s", (long long)id, delivery,
	    followup);
	assert_int_equal(udb_int(u->st, "SELECT count(*) FROM deliveries d "
	    "JOIN followups f ON f.id = d.followup_id WHERE f.id || ':' || "
	    "d.state || ':' || f.state = ?1", key), 1);
}

/* `nudge delivery retry` of the withdrawn delivery is refused, saying
 * why: its reminder is cancelled. */
static void
withdrawn_not_retried(struct udb *u, time_t now)
{
	struct uc_ctx ctx = udb_ctx(u, now);
	struct uc_delivery_action req;
	struct uc_delivery_done out;
	char *msg = NULL;

	memset(&req, 0, sizeof(req));
	req.id = udb_int(u->st, "SELECT id FROM deliveries WHERE state = ?1",
	    "dismissed");
	assert_int_equal(uc_delivery_retry(&ctx, &req, &out, &msg),
	    UC_REFUSED);
	assert_non_null(strstr(msg, "was withdrawn (withdrawn: a touch moved "
	    "its moment): its reminder is cancelled"));
	free(msg);
}

/* Both reminders are queued at Monday 08:00 (the receiver is slow, say);
 * one of them is being sent.  Touches of both accounts withdraw the one
 * still waiting, with its delivery (dismissed, saying why), and leave the
 * one in flight to finish; both clocks start again. */
static void
test_touch_while_queued_withdraws(void **state)
{
	struct udb *u = *state;
	time_t t0 = S(2026, 11, 6, 15, 0), at = S(2026, 12, 7, 8, 0);
	struct outbox_item *claimed;
	int64_t flying, waiting;
	int queued = -1, more;
	size_t n;

	touch(u, "Acme", NULL, t0);
	touch(u, "Beta", NULL, t0);
	OK(schedule_due(u->st, u->cfg, at + 20, &queued, &more, &err));
	assert_int_equal(queued, 2);
	OK(outbox_claim_due(u->st, at + 20, 1, &claimed, &n, &err));
	assert_int_equal(n, 1);
	flying = claimed[0].followup_id;
	outbox_list_free(claimed, n);
	waiting = udb_int(u->st, "SELECT f.id FROM followups f JOIN deliveries "
	    "d ON d.followup_id = f.id WHERE d.state = ?1", "queued");
	assert_true(waiting != 0 && waiting != flying);
	/* Without a touch the waiting one goes out at the next claim. */
	expect_reminder(u, waiting, "queued", "notified");
	expect_reminder(u, flying, "sending", "notified");

	touch(u, "Acme", "anna", at + 30);
	touch(u, "Beta", "anna", at + 30);
	expect_reminder(u, waiting, "dismissed", "cancelled");
	assert_int_equal(udb_int(u->st, "SELECT count(*) FROM deliveries WHERE "
	    "last_error = ?1", "withdrawn: a touch moved its moment"), 1);
	expect_reminder(u, flying, "sending", "notified");
	withdrawn_not_retried(u, at + 35);
	OK(outbox_claim_due(u->st, at + 40, 10, &claimed, &n, &err));
	assert_int_equal(n, 0);
	outbox_list_free(claimed, n);
	assert_int_equal(pending(u, "Acme"), S(2027, 1, 6, 8, 0) + 30);
	assert_int_equal(pending(u, "Beta"), S(2027, 1, 6, 8, 0) + 30);
}

/* A queued reminder withdrawn by a pause comes back when the pause ends
 * (the same moment): queued again, in a round of its own, not lost on
 * the dismissed row of the first. */
static void
test_pause_while_queued_then_resume(void **state)
{
	struct udb *u = *state;
	time_t t0 = S(2026, 11, 6, 15, 0), at = S(2026, 12, 7, 8, 0);
	int64_t id;
	int queued = -1, more;

	touch(u, "Acme", NULL, t0);
	OK(schedule_due(u->st, u->cfg, at + 20, &queued, &more, &err));
	assert_int_equal(queued, 1);
	id = udb_int(u->st, "SELECT followup_id FROM deliveries WHERE state = "
	    "?1", "queued");
	pause_acct(u, "Acme", NULL, at + 30);
	expect_reminder(u, id, "dismissed", "cancelled");
	pause_acct(u, "Acme", (const char *)1, at + 40);
	assert_int_equal(pending(u, "Acme"), at);
	OK(schedule_due(u->st, u->cfg, at + 50, &queued, &more, &err));
	assert_int_equal(queued, 1);
	assert_int_equal(udb_int(u->st, "SELECT count(*) FROM deliveries WHERE "
	    "state = ?1 AND round = 1", "queued"), 1);
	expect_reminder(u, id, "queued", "notified");
}

/* Overdue first, the longest overdue first; then by due moment; accounts
 * without a reminder last. */
static void
test_view_order(void **state)
{
	struct udb *u = *state;
	struct cadence_view_row *v;
	time_t t0 = S(2026, 11, 6, 15, 0);
	size_t n;

	touch(u, "Acme", NULL, t0);
	touch(u, "Beta", NULL, t0 - 5 * 86400);
	touch(u, "Zeta", "anna", t0);
	touch(u, "Gamma", "bo", t0);
	pause_acct(u, "Gamma", NULL, t0);
	OK(cadence_view(u->st, u->cfg, S(2026, 12, 10, 12, 0), NULL, 0, &v,
	    &n, &err));
	assert_int_equal(n, 4);
	assert_string_equal(v[0].a.name, "Beta");
	assert_int_equal(v[0].days_over, 8);
	assert_string_equal(v[1].a.name, "Acme");
	assert_int_equal(v[1].days_since, 33);
	assert_string_equal(v[2].a.name, "Zeta");
	assert_string_equal(v[3].a.name, "Gamma");
	cadence_view_free(v, n);
	OK(cadence_view(u->st, u->cfg, S(2026, 12, 10, 12, 0), "anna", 1, &v,
	    &n, &err));
	assert_int_equal(n, 2);
	cadence_view_free(v, n);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_due_in_working_hours,
		    setup, udb_teardown),
		cmocka_unit_test_setup_teardown(test_pauses, setup,
		    udb_teardown),
		cmocka_unit_test_setup_teardown(test_touch_while_due_withdraws,
		    setup, udb_teardown),
		cmocka_unit_test_setup_teardown(test_touch_while_queued_withdraws,
		    setup, udb_teardown),
		cmocka_unit_test_setup_teardown(
		    test_pause_while_queued_then_resume, setup, udb_teardown),
		cmocka_unit_test_setup_teardown(test_view_order, setup,
		    udb_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
