/*
 * The use-case layer (lib/usecase.h): each rule a command applies, reached
 * without the CLI, on a real store.  What is refused says why and writes
 * nothing (the rows are counted before and after); refused input never
 * creates a database; what succeeds is committed and returned.
 *
 * 2026-11-02 is a Monday; anna works 08-17 mon-fri in Stockholm (UTC+1 in
 * November) and may hold one open promise a week.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sys/stat.h>

#include "unit_db.h"

#include "delivery.h"
#include "err.h"
#include "outbox.h"
#include "person.h"
#include "report.h"
#include "text.h"
#include "token.h"
#include "usecase.h"
#include "unit_uc.h"
#include "unit_transport.h"

#define SE "Europe/Stockholm"
#define S(y, mo, d, h, mi) udb_local(SE, y, mo, d, h, mi)

static const char uc_conf[] =
    "timezone = \"Europe/Stockholm\";\n"
    "channels = ( { name = \"log\"; type = \"log\"; } );\n"
    "people = (\n"
    "  { handle = \"anna\"; timezone = \"Europe/Stockholm\";\n"
    "    hours = \"08:00-17:00\"; days = \"mon-fri\"; capacity = 1; },\n"
    "  { handle = \"bo\"; timezone = \"Europe/Stockholm\";\n"
    "    hours = \"08:00-17:00\"; days = \"mon-fri\"; }\n"
    ");\n";

/* What the tests change: every table a use-case writes. */
static const char *const uc_tables[] = { "deals", "promises", "followups",
	"accounts", "events", "api_tokens", "deal_external_ids", NULL };

struct fx {
	struct udb *u;
	struct uc_ctx ctx;
	int64_t rows[8];
	struct fake k;                  /* the delivery rounds' transport */
	struct delivery_transport t;    /* over k */
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (f == NULL || (f->u = udb_open("usecase", uc_conf)) == NULL) {
		free(f);
		return -1;
	}
	f->ctx = udb_ctx(f->u, S(2026, 11, 2, 9, 0));
	/* Channel "slow" may have two out: its share. */
	f->t = fake_transport(&f->k, "slow", 2);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	udb_close(f->u);
	free(f);
	return 0;
}

/* Remember the row counts, to show later that nothing was written. */
static void
snapshot(struct fx *f)
{
	size_t i;

	for (i = 0; uc_tables[i] != NULL; i++)
		f->rows[i] = udb_count(f->u->st, uc_tables[i]);
}

static void
unchanged(struct fx *f)
{
	size_t i;

	for (i = 0; uc_tables[i] != NULL; i++)
		if (udb_count(f->u->st, uc_tables[i]) != f->rows[i])
			fail_msg("%s: %lld rows, were %lld", uc_tables[i],
			    (long long)udb_count(f->u->st, uc_tables[i]),
			    (long long)f->rows[i]);
}

/* A lib call that takes the caller's `&err`: fail with its message. */
#define LIBOK(call)                                                         \
	do {                                                                \
		if ((call) != 0)                                            \
			fail_msg("%s: %s", #call, err ? err : "");          \
	} while (0)

/* rc is UC_REFUSED with a message containing `want`. */
#define REFUSED(call, want)                                                 \
	do {                                                                \
		enum uc_status rc_ = (call);                                \
		refused_at(__FILE__, __LINE__, rc_, err, want);             \
		err = NULL;                                                 \
	} while (0)
static void
refused_at(const char *file, int line, enum uc_status rc, char *err,
    const char *want)
{
	assert_true(want[0] != '\0');  /* "" is in every message */
	if (rc != UC_REFUSED || err == NULL || strstr(err, want) == NULL) {
		print_error("%s:%d: status %d, message '%s', wanted refused "
		    "with '%s'\n", file, line, (int)rc, err ? err : "", want);
		free(err);
		fail();
	}
	free(err);
}

/* A request to add a deal or a promise that must be refused with a
 * message containing `want`. */
struct refusal {
	const struct uc_deal_add *deal;
	const struct uc_promise_add *promise;   /* when deal is NULL */
	const char *want;
};

#define DEAL_REQ(...) &(const struct uc_deal_add){ __VA_ARGS__ }, NULL
#define PROMISE_REQ(...) NULL, &(const struct uc_promise_add){ __VA_ARGS__ }

/* Every request of bad refused, and nothing written. */
static void
expect_refusals(struct fx *f, const struct refusal *bad, size_t n)
{
	struct uc_promise_added r;
	struct deal d;
	char *err = NULL;
	size_t i;

	snapshot(f);
	for (i = 0; i < n; i++) {
		if (bad[i].deal != NULL) {
			REFUSED(uc_deal_add(&f->ctx, bad[i].deal, &d, &err),
			    bad[i].want);
			deal_clear(&d);
		} else {
			REFUSED(uc_promise_add(&f->ctx, bad[i].promise, &r,
			    &err), bad[i].want);
			uc_promise_added_clear(&r);
		}
	}
	unchanged(f);
}

static int64_t
add_deal(struct fx *f, const char *title, const char *account)
{
	struct uc_deal_add req = { title, account, "anna", "12 500,50", "SEK",
		NULL };
	struct deal d;
	char *err = NULL;
	int64_t id;

	if (uc_deal_add(&f->ctx, &req, &d, &err) != UC_OK)
		fail_msg("uc_deal_add: %s", err);
	id = d.id;
	deal_clear(&d);
	return id;
}

/* anna's promise to Acme AB to send the offer by `due`: its id. */
static int64_t
add_offer(struct fx *f, const char *due)
{
	struct uc_promise_add req = { "Send the offer", "anna", "Acme AB", 0,
		due, NULL, 0, 0 };
	struct uc_promise_added r;
	char *err = NULL;
	int64_t id;

	assert_int_equal(uc_promise_add(&f->ctx, &req, &r, &err), UC_OK);
	id = r.promise.id;
	uc_promise_added_clear(&r);
	return id;
}

static void
test_deal_add_and_close(void **state)
{
	struct fx *f = *state;
	struct uc_deal_add req = { "Roof", "Acme AB", "anna", "12 500,50",
		"SEK", "fri" };
	const struct refusal bad[] = {
		{ DEAL_REQ("Roof", "Acme AB", "anna", "12,5,0", "SEK", "fri"),
		    "bad amount '12,5,0'" },
		{ DEAL_REQ("Roof", "Acme AB", "nobody", NULL, "SEK", "fri"),
		    "unknown owner 'nobody' (people in" },
		{ DEAL_REQ("Roof", "Acme AB", "anna", NULL, "SEK",
		    "the day after never"), "--closes: " },
		{ DEAL_REQ("bell\a", "Acme AB", "anna", NULL, "SEK", NULL),
		    "deal title" },
	};
	struct deal d;
	char *err = NULL;

	assert_int_equal(uc_deal_add(&f->ctx, &req, &d, &err), UC_OK);
	assert_true(d.id > 0);
	assert_int_equal(d.value_minor, 1250050);
	assert_string_equal(d.currency, "SEK");
	/* A date alone closes at the end of the owner's day. */
	udb_expect_moment("closes", SE, d.closes_at, S(2026, 11, 6, 17, 0));
	assert_int_equal(udb_count(f->u->st, "deals"), 1);
	deal_clear(&d);

	expect_refusals(f, bad, sizeof(bad) / sizeof(bad[0]));

	assert_int_equal(uc_deal_close(&f->ctx, 1, "won", "2026-11-02 08:30",
	    &d, &err), UC_OK);
	assert_string_equal(d.stage, "won");
	udb_expect_moment("closed", SE, d.closed_at, S(2026, 11, 2, 8, 30));
	deal_clear(&d);
	snapshot(f);
	REFUSED(uc_deal_close(&f->ctx, 1, "lost", NULL, &d, &err),
	    "deal 1 is already won");
	deal_clear(&d);
	REFUSED(uc_deal_close(&f->ctx, 99, "won", NULL, &d, &err), "99");
	deal_clear(&d);
	unchanged(f);
}

/* Input is checked before the store is opened: a refusal never creates
 * a database, and the first good request does. */
static void
test_refused_input_creates_no_database(void **state)
{
	struct fx *f = *state;
	struct uc_deal_add req = { "Roof", "Acme AB", "nobody", NULL, NULL,
		NULL };
	struct store *st = NULL;
	struct uc_ctx ctx = f->ctx;
	struct stat sb;
	struct deal d;
	char path[192], *err = NULL;

	snprintf(path, sizeof(path), "%s/other.db", f->u->dir);
	ctx.st = &st;
	ctx.db_path = path;
	REFUSED(uc_deal_add(&ctx, &req, &d, &err), "unknown owner");
	deal_clear(&d);
	assert_null(st);
	assert_int_equal(stat(path, &sb), -1);
	req.owner = "anna";
	assert_int_equal(uc_deal_add(&ctx, &req, &d, &err), UC_OK);
	deal_clear(&d);
	assert_non_null(st);
	assert_int_equal(stat(path, &sb), 0);
	store_close(st);
}

static void
test_promise_add_rules(void **state)
{
	struct fx *f = *state;
	struct uc_promise_add req = { "Send the offer", "anna", "Acme AB", 0,
		"fri 17:00", "Bo", 0, 0 };
	const struct refusal bad[] = {
		/* Past due needs force. */
		{ PROMISE_REQ("Send the offer", "anna", "Acme AB", 0,
		    "2026-11-01 12:00", "Bo", 0, 0),
		    "--due 2026-11-01 12:00 is in the past (use --force" },
		/* Over capacity and a phrase: warnings, refused under
		 * strict with every reason named. */
		{ PROMISE_REQ("We guarantee it", "anna", "Acme AB", 0,
		    "thu 17:00", "Bo", 1, 0),
		    "promise refused (--strict):\n  - " },
		/* A deal that is not there. */
		{ PROMISE_REQ("We guarantee it", "anna", NULL, 42, "thu 17:00",
		    "Bo", 0, 0), "42" },
	};
	struct uc_promise_added r;
	struct timeutil_hours h;
	struct promise_slack slack;
	char *err = NULL;

	assert_int_equal(uc_promise_add(&f->ctx, &req, &r, &err), UC_OK);
	assert_true(r.promise.id > 0);
	assert_string_equal(r.owner->handle, "anna");
	assert_int_equal(json_array_size(r.warnings), 0);
	/* The internal target is earlier than the promised moment, in
	 * working time, and after now. */
	udb_expect_moment("due", SE, r.promise.due_at, S(2026, 11, 6, 17, 0));
	assert_true(r.promise.target_at < r.promise.due_at);
	assert_true(r.promise.target_at > f->ctx.now);
	person_hours(r.owner, &h);
	slack.percent = f->ctx.cfg->promises.slack_percent;
	slack.min = f->ctx.cfg->promises.min_slack;
	slack.max = f->ctx.cfg->promises.max_slack;
	assert_int_equal(r.promise.target_at, promise_target(&h, &slack,
	    f->ctx.now, r.promise.due_at));
	uc_promise_added_clear(&r);

	expect_refusals(f, bad, sizeof(bad) / sizeof(bad[0]));

	req.text = "We guarantee it";
	req.due = "2026-11-01 12:00";
	req.deal_id = add_deal(f, "Roof", "Deal Account");
	req.account = NULL;
	req.force = 1;
	assert_int_equal(uc_promise_add(&f->ctx, &req, &r, &err), UC_OK);
	assert_string_equal(r.promise.account, "Deal Account");
	assert_int_equal(r.promise.deal_id, req.deal_id);
	assert_true(json_array_size(r.warnings) >= 2);
	uc_promise_added_clear(&r);
}

static void
test_promise_finish_and_renegotiate(void **state)
{
	struct fx *f = *state;
	struct promise p;
	char *err = NULL, note[TEXT_MAX_BYTES + 2];
	int64_t id = add_offer(f, "fri 17:00");

	snapshot(f);
	memset(note, 'x', sizeof(note) - 1);
	note[sizeof(note) - 1] = '\0';
	REFUSED(uc_promise_renegotiate(&f->ctx, id, "mon 17:00", note, &p,
	    &err), "--note");
	promise_clear(&p);
	REFUSED(uc_promise_renegotiate(&f->ctx, id, "someday", NULL, &p,
	    &err), "--due: ");
	promise_clear(&p);
	REFUSED(uc_promise_finish(&f->ctx, id, "kept", "not a time", &p,
	    &err), "--at: ");
	promise_clear(&p);
	unchanged(f);

	/* A new date agreed in time: a new target, worked out from now. */
	f->ctx.now = S(2026, 11, 3, 9, 0);
	assert_int_equal(uc_promise_renegotiate(&f->ctx, id, "2026-11-13",
	    "asked for a week", &p, &err), UC_OK);
	assert_int_equal(p.renegotiated, 1);
	udb_expect_moment("due", SE, p.due_at, S(2026, 11, 13, 17, 0));
	assert_true(p.target_at < p.due_at && p.target_at > f->ctx.now);
	promise_clear(&p);

	/* An outcome has happened: not later than now (and a little
	 * skew), except "today", which is now. */
	f->ctx.now = S(2026, 11, 3, 10, 30);
	snapshot(f);
	REFUSED(uc_promise_finish(&f->ctx, id, "kept", "2026-11-03 10:36",
	    &p, &err), "--at: '2026-11-03 10:36' is in the future");
	promise_clear(&p);
	REFUSED(uc_promise_finish(&f->ctx, id, "kept", "tomorrow", &p, &err),
	    "--at: 'tomorrow' is in the future");
	promise_clear(&p);
	unchanged(f);
	assert_int_equal(uc_promise_finish(&f->ctx, id, "kept",
	    "2026-11-03 10:00", &p, &err), UC_OK);
	assert_string_equal(p.state, "kept");
	udb_expect_moment("kept", SE, p.kept_at, S(2026, 11, 3, 10, 0));
	assert_int_equal(promise_kept_how(&p), PROMISE_KEPT_EARLY);
	promise_clear(&p);
	snapshot(f);
	REFUSED(uc_promise_finish(&f->ctx, id, "broken", NULL, &p, &err),
	    "is already kept");
	promise_clear(&p);
	unchanged(f);

	/* "today" is now, not the end of today's working hours. */
	id = add_offer(f, "fri 17:00");
	assert_int_equal(uc_promise_finish(&f->ctx, id, "kept", "today", &p,
	    &err), UC_OK);
	assert_int_equal(p.kept_at, f->ctx.now);
	promise_clear(&p);
}

/* promise_kept_how() and the report's SQL split kept promises alike,
 * at the boundaries included. */
static void
test_kept_how_matches_report(void **state)
{
	struct fx *f = *state;
	struct uc_promise_add req = { "p", "bo", "Acme AB", 0, "fri 17:00",
		NULL, 0, 0 };
	struct uc_promise_added r;
	struct promise p;
	struct report rep;
	int64_t ids[4], at[4], n[3] = { 0, 0, 0 };
	char *err = NULL, when[TIMEUTIL_ISO_MAX];
	size_t i;

	for (i = 0; i < 4; i++) {
		assert_int_equal(uc_promise_add(&f->ctx, &req, &r, &err),
		    UC_OK);
		ids[i] = r.promise.id;
		/* At the target, a second after it, at the due moment, a
		 * second after that. */
		at[i] = i < 2 ? r.promise.target_at + (int64_t)i :
		    r.promise.due_at + (int64_t)i - 2;
		uc_promise_added_clear(&r);
	}
	f->ctx.now = S(2026, 11, 9, 9, 0);
	for (i = 0; i < 4; i++) {
		timeutil_format_iso((time_t)at[i], SE, when, sizeof(when));
		assert_int_equal(uc_promise_finish(&f->ctx, ids[i], "kept",
		    when, &p, &err), UC_OK);
		n[promise_kept_how(&p)]++;
		promise_clear(&p);
	}
	assert_int_equal(n[PROMISE_KEPT_EARLY], 1);
	assert_int_equal(n[PROMISE_KEPT_ON_TIME], 2);
	assert_int_equal(n[PROMISE_KEPT_LATE], 1);
	LIBOK(report_build(f->u->st, f->u->cfg, "bo", S(2026, 11, 1, 0, 0),
	    f->ctx.now, &rep, &err));
	assert_int_equal(rep.nrows, 1);
	assert_int_equal(rep.rows[0].kept_early, n[PROMISE_KEPT_EARLY]);
	assert_int_equal(rep.rows[0].kept_on_time, n[PROMISE_KEPT_ON_TIME]);
	assert_int_equal(rep.rows[0].kept_late, n[PROMISE_KEPT_LATE]);
	report_free(&rep);
}

static void
test_followup_add_finish_snooze(void **state)
{
	struct fx *f = *state;
	struct uc_followup_add req = { "Call Bo", "anna", "Acme AB", 0, NULL,
		"2h", 0 };
	struct followup fu;
	char *err = NULL;
	int64_t id;

	assert_int_equal(uc_followup_add(&f->ctx, &req, &fu, &err), UC_OK);
	udb_expect_moment("remind", SE, fu.remind_at, S(2026, 11, 2, 11, 0));
	assert_string_equal(fu.account, "Acme AB");
	assert_string_equal(fu.state, "pending");
	id = fu.id;
	followup_clear(&fu);

	snapshot(f);
	req.in = NULL;
	req.at = "2026-11-01 10:00";
	REFUSED(uc_followup_add(&f->ctx, &req, &fu, &err),
	    "--at 2026-11-01 10:00 is in the past (use --force");
	followup_clear(&fu);
	req.at = NULL;
	req.in = "2 fortnights";
	REFUSED(uc_followup_add(&f->ctx, &req, &fu, &err), "--in: ");
	followup_clear(&fu);
	REFUSED(uc_followup_snooze(&f->ctx, id, "soon", NULL, &fu, &err),
	    "invalid duration 'soon'");
	followup_clear(&fu);
	REFUSED(uc_followup_snooze(&f->ctx, id, NULL, "never", &fu, &err),
	    "--until: ");
	followup_clear(&fu);
	unchanged(f);

	/* A Saturday moment lands on Monday's start. */
	assert_int_equal(uc_followup_snooze(&f->ctx, id, NULL,
	    "2026-11-07 10:00", &fu, &err), UC_OK);
	udb_expect_moment("snoozed", SE, fu.remind_at, S(2026, 11, 9, 8, 0));
	assert_int_equal(fu.snoozes, 1);
	followup_clear(&fu);
	assert_int_equal(uc_followup_finish(&f->ctx, id, "done", "called",
	    &fu, &err), UC_OK);
	assert_string_equal(fu.state, "done");
	assert_string_equal(fu.note, "called");
	followup_clear(&fu);
	snapshot(f);
	REFUSED(uc_followup_finish(&f->ctx, id, "cancelled", NULL, &fu, &err),
	    "is already done");
	followup_clear(&fu);
	REFUSED(uc_followup_finish(&f->ctx, 999, "done", NULL, &fu, &err),
	    "no follow-up with id 999");
	followup_clear(&fu);
	unchanged(f);

	/* By deal: the deal's account, linked to the deal. */
	req.deal_id = add_deal(f, "Roof", "Deal Account");
	req.account = NULL;
	req.in = "1d";
	assert_int_equal(uc_followup_add(&f->ctx, &req, &fu, &err), UC_OK);
	assert_string_equal(fu.account, "Deal Account");
	assert_int_equal(fu.deal_id, req.deal_id);
	followup_clear(&fu);
}

static void
test_notify_test(void **state)
{
	struct fx *f = *state;
	const struct config_person *p;
	struct followup fu;
	char *err = NULL;
	int64_t id;

	snapshot(f);
	REFUSED(uc_notify_test(&f->ctx, "nobody", &p, &id, &err),
	    "unknown owner");
	unchanged(f);
	assert_int_equal(uc_notify_test(&f->ctx, "anna", &p, &id, &err),
	    UC_OK);
	assert_string_equal(p->handle, "anna");
	LIBOK(followup_get(f->u->st, id, &fu, &err));
	/* Now, not in working hours. */
	assert_int_equal(fu.remind_at, f->ctx.now);
	assert_non_null(strstr(fu.text, "notify-test"));
	followup_clear(&fu);
}

static void
test_agenda(void **state)
{
	struct fx *f = *state;
	struct uc_followup_add fr = { "Call Bo", "bo", "Acme AB", 0, NULL,
		"1h", 0 };
	struct uc_agenda a;
	struct followup fu;
	char *err = NULL;

	add_offer(f, "wed 17:00");
	assert_int_equal(uc_followup_add(&f->ctx, &fr, &fu, &err), UC_OK);
	followup_clear(&fu);

	assert_int_equal(uc_agenda(&f->ctx, NULL, 7, &a, &err), UC_OK);
	assert_int_equal(a.n, 3);
	assert_string_equal(a.items[0].kind, "followup");
	assert_string_equal(a.items[1].kind, "promise.target");
	assert_string_equal(a.items[2].kind, "promise.due");
	assert_true(a.items[0].at <= a.items[1].at &&
	    a.items[1].at <= a.items[2].at);
	assert_false(a.items[2].overdue);
	uc_agenda_clear(&a);

	assert_int_equal(uc_agenda(&f->ctx, "bo", 7, &a, &err), UC_OK);
	assert_int_equal(a.n, 1);
	uc_agenda_clear(&a);
	/* Past its target, a promise shows only its due moment; past that,
	 * it is overdue. */
	f->ctx.now = S(2026, 11, 5, 9, 0);
	assert_int_equal(uc_agenda(&f->ctx, "anna", 7, &a, &err), UC_OK);
	assert_int_equal(a.n, 1);
	assert_string_equal(a.items[0].kind, "promise.due");
	assert_true(a.items[0].overdue);
	uc_agenda_clear(&a);

	REFUSED(uc_agenda(&f->ctx, NULL, 0, &a, &err), "--days");
	uc_agenda_clear(&a);
	REFUSED(uc_agenda(&f->ctx, NULL, UC_AGENDA_MAX_DAYS + 1, &a, &err),
	    "--days");
	uc_agenda_clear(&a);
	REFUSED(uc_agenda(&f->ctx, "nobody", 7, &a, &err), "unknown owner");
	uc_agenda_clear(&a);
}

/* What an attempt's outcome makes of its row. */
static void
test_delivery_decide(void **state)
{
	struct fx *f = *state;
	const struct config *cfg = f->u->cfg;
	struct outbox_item it;
	struct delivery_result res;
	struct delivery_fate fate;
	long cap = (long)cfg->delivery.max_backoff.seconds;

	memset(&it, 0, sizeof(it));
	memset(&res, 0, sizeof(res));
	delivery_decide(cfg, &it, &res, &fate);
	assert_int_equal(fate.dead, 0);
	assert_int_equal(fate.wait, 0);

	res.error = "HTTP 503";
	delivery_decide(cfg, &it, &res, &fate);
	assert_int_equal(fate.dead, 0);
	assert_true(fate.wait > 0 && fate.wait <= cap);
	/* Retry-After is honoured, up to max_backoff. */
	res.retry_after = cap - 1;
	delivery_decide(cfg, &it, &res, &fate);
	assert_int_equal(fate.wait, cap - 1);
	res.retry_after = 365L * 86400;
	delivery_decide(cfg, &it, &res, &fate);
	assert_int_equal(fate.wait, cap);
	/* The last attempt, or a permanent refusal, is dead. */
	res.retry_after = 0;
	it.attempts = cfg->delivery.attempts - 1;
	delivery_decide(cfg, &it, &res, &fate);
	assert_int_equal(fate.dead, 1);
	it.attempts = 0;
	res.permanent = 1;
	delivery_decide(cfg, &it, &res, &fate);
	assert_int_equal(fate.dead, 1);
}

/* A follow-up of anna's due at 500, for the outbox tests: its id. */
static int64_t
anna_followup(struct fx *f, const char *text)
{
	struct followup_new fn;
	char *err = NULL;
	int64_t fid;

	memset(&fn, 0, sizeof(fn));
	fn.owner = "anna";
	fn.text = text;
	fn.due_at = fn.remind_at = 500;
	LIBOK(followup_create(f->u->st, &fn, 500, &fid, &err));
	return fid;
}

/* n deliveries on "log" of a new follow-up of anna's, in rounds 0 to
 * n - 1, into q (not enqueued): the follow-up's id. */
static int64_t
anna_deliveries(struct fx *f, const char *text, struct outbox_new *q,
    size_t n)
{
	int64_t fid = anna_followup(f, text);
	size_t i;

	for (i = 0; i < n; i++) {
		q[i].followup_id = fid;
		q[i].channel = "log";
		q[i].round = (int)i;
	}
	return fid;
}

static void
test_delivery_round(void **state)
{
	struct fx *f = *state;
	struct outbox_new q[3];
	char *err = NULL;
	int64_t fid = anna_deliveries(f, "x", q, 3);
	int claimed;

	LIBOK(outbox_enqueue(f->u->st, q, 3, 500, &err));

	/* The round claims the three due rows, once committed. */
	assert_int_equal(delivery_round(f->u->st, 1000, 1, &f->t, &claimed,
	    &err), 0);
	assert_int_equal(claimed, 3);
	assert_int_equal(f->k.ntaken, 3);
	assert_int_equal(f->k.committed, 1);
	assert_int_equal(udb_int(f->u->st, "SELECT count(*) FROM deliveries "
	    "WHERE state = 'sending'", NULL), 3);

	/* Their outcomes are written in the next one, and a claim that
	 * fails still keeps them (the savepoint). */
	f->k.nended = 3;
	f->k.error = NULL;
	f->k.fail_take = 1;
	LIBOK(outbox_enqueue(f->u->st, (struct outbox_new[]){ { fid, "log", 9 } },
	    1, 500, &err));
	assert_int_equal(delivery_round(f->u->st, 1000, 1, &f->t, &claimed,
	    &err), -1);
	assert_non_null(strstr(err, "the transport failed"));
	free(err);
	err = NULL;
	assert_int_equal(f->k.undone, 1);
	assert_int_equal(f->k.kept, 1);
	assert_int_equal(udb_int(f->u->st, "SELECT count(*) FROM deliveries "
	    "WHERE state = 'delivered'", NULL), 3);
	/* The row it could not take is due again, unclaimed. */
	assert_int_equal(udb_int(f->u->st, "SELECT count(*) FROM deliveries "
	    "WHERE state = 'queued'", NULL), 1);

	/* Only recording: nothing is claimed. */
	f->k.fail_take = 0;
	assert_int_equal(delivery_round(f->u->st, 1000, 0, &f->t, &claimed,
	    &err), 0);
	assert_int_equal(claimed, 0);
	assert_int_equal(f->k.ntaken, 3);
}

/* What the outbox holds, as a number: a change to any row changes it. */
static int64_t
outbox_print(struct fx *f)
{
	return udb_int(f->u->st, "SELECT total(id * (length(state) * 7 + "
	    "attempts * 3 + next_attempt_at + updated_at + "
	    "coalesce(length(last_error), 0))) FROM deliveries", NULL);
}

/* Four deliveries of one follow-up, each tried once: dead (HTTP 410),
 * dead (timed out), failing, and queued again; their ids into id[]. */
static void
dead_letters(struct fx *f, int64_t id[4])
{
	struct outbox_new q[4];
	struct outbox_item *v = NULL;
	char *err = NULL;
	size_t n, i;
	int again;

	anna_deliveries(f, "Call Bo", q, 4);
	LIBOK(outbox_enqueue(f->u->st, q, 4, 500, &err));
	LIBOK(outbox_claim_due(f->u->st, 600, 4, &v, &n, &err));
	assert_int_equal(n, 4);
	for (i = 0; i < 4; i++)
		id[i] = v[i].id;
	outbox_list_free(v, n);
	LIBOK(outbox_mark_failed(f->u->st, id[0], "HTTP 410", 0, 610, &err));
	LIBOK(outbox_mark_failed(f->u->st, id[1], "timed out", 0, 620, &err));
	LIBOK(outbox_mark_failed(f->u->st, id[2], "HTTP 500", f->ctx.now + 60,
	    630, &err));
	LIBOK(outbox_requeue_sending(f->u->st, 640, &again, &err));
	assert_int_equal(again, 1);
}

/* The event a person's action on delivery id left: 1 when one of kind
 * says was/attempts/last_error/note as given. */
static int64_t
delivery_event_is(struct fx *f, int64_t id, const char *kind,
    const char *json)
{
	char want[512];

	snprintf(want, sizeof(want), "%s %lld %s", kind, (long long)id, json);
	return udb_int(f->u->st, "SELECT count(*) FROM events WHERE "
	    "subject_type = 'delivery' AND actor IS NOT NULL AND "
	    "kind || ' ' || subject_id || ' ' || data = ?1", want);
}

/* One delivery done by a person's action: id, now in `state`, and the
 * event of kind saying `json`. */
static void
expect_done_one(struct fx *f, const struct uc_delivery_done *d, int64_t id,
    const char *state, const char *kind, const char *json)
{
	assert_int_equal(d->n, 1);
	assert_true(d->items[0].id == id);
	assert_string_equal(d->items[0].state, state);
	assert_int_equal(delivery_event_is(f, id, kind, json), 1);
}

static void
test_delivery_retry_dismiss(void **state)
{
	struct fx *f = *state;
	struct uc_delivery_action req = { 0, 0, NULL };
	struct uc_delivery_done d;
	struct outbox_counts oc;
	struct outbox_item *v = NULL;
	char *err = NULL;
	int64_t id[4], print;
	size_t n;

	dead_letters(f, id);
	LIBOK(outbox_count(f->u->st, 0, &oc, &err));
	assert_int_equal(oc.dead, 2);
	assert_int_equal(oc.failing, 1);
	assert_int_equal(oc.queued, 1);

	/* Refused, and nothing written. */
	snapshot(f);
	print = outbox_print(f);
	req.id = 99;
	REFUSED(uc_delivery_retry(&f->ctx, &req, &d, &err),
	    "no delivery with id 99");
	REFUSED(uc_delivery_dismiss(&f->ctx, &req, &d, &err),
	    "no delivery with id 99");
	req.id = id[3];
	REFUSED(uc_delivery_retry(&f->ctx, &req, &d, &err),
	    "is queued: only a dead or failing delivery can be retried");
	REFUSED(uc_delivery_dismiss(&f->ctx, &req, &d, &err),
	    "is queued, not dead: only a dead delivery can be dismissed");
	req.id = id[2];
	REFUSED(uc_delivery_dismiss(&f->ctx, &req, &d, &err),
	    "is failing, not dead");
	req.id = id[0];
	req.note = "bell\a";
	REFUSED(uc_delivery_dismiss(&f->ctx, &req, &d, &err), "--note");
	req.note = NULL;
	req.all_dead = 1;
	REFUSED(uc_delivery_retry(&f->ctx, &req, &d, &err),
	    "retry takes one delivery id or all dead ones");
	req.id = 0;
	REFUSED(uc_delivery_dismiss(&f->ctx, &req, &d, &err),
	    "dismiss takes one delivery id");
	req.all_dead = 0;
	REFUSED(uc_delivery_retry(&f->ctx, &req, &d, &err),
	    "retry takes one delivery id");
	unchanged(f);
	assert_true(outbox_print(f) == print);

	/* Dismissed: handled, no longer dead; once. */
	req.id = id[1];
	req.note = "customer left";
	assert_int_equal(uc_delivery_dismiss(&f->ctx, &req, &d, &err), UC_OK);
	expect_done_one(f, &d, id[1], "dismissed", "delivery.dismissed",
	    "{\"attempts\":1,\"last_error\":\"timed out\",\"note\":"
	    "\"customer left\",\"was\":\"dead\"}");
	assert_string_equal(d.items[0].last_error, "timed out");
	uc_delivery_done_clear(&d);
	LIBOK(outbox_count(f->u->st, 1, &oc, &err));
	assert_int_equal(oc.dead, 1);
	assert_int_equal(oc.dismissed, 1);
	assert_int_equal(oc.delivered, 0);
	snapshot(f);
	REFUSED(uc_delivery_dismiss(&f->ctx, &req, &d, &err),
	    "is already dismissed");
	unchanged(f);

	/* Every dead one (not the dismissed one) is due now, with a fresh
	 * count and the same delivery id; the event keeps what it said. */
	memset(&req, 0, sizeof(req));
	req.all_dead = 1;
	assert_int_equal(uc_delivery_retry(&f->ctx, &req, &d, &err), UC_OK);
	expect_done_one(f, &d, id[0], "queued", "delivery.retried",
	    "{\"attempts\":1,\"last_error\":\"HTTP 410\",\"note\":null,"
	    "\"was\":\"dead\"}");
	assert_int_equal(d.items[0].attempts, 0);
	assert_true(d.items[0].next_attempt_at == f->ctx.now);
	assert_null(d.items[0].last_error);
	/* nudge-<the database's identity, 16 hex digits>-<follow-up>-
	 * <round>-<channel>, the same it had. */
	assert_int_equal(strlen(d.items[0].delivery_id), 6 + 16 + 11);
	assert_memory_equal(d.items[0].delivery_id, "nudge-", 6);
	assert_string_equal(d.items[0].delivery_id + 22, "-1-0-6c6f67");
	uc_delivery_done_clear(&d);
	LIBOK(outbox_count(f->u->st, 0, &oc, &err));
	assert_int_equal(oc.dead, 0);
	assert_int_equal(oc.dismissed, 1);
	/* Nothing dead is left: nothing to do, not a refusal. */
	assert_int_equal(uc_delivery_retry(&f->ctx, &req, &d, &err), UC_OK);
	assert_int_equal(d.n, 0);
	uc_delivery_done_clear(&d);

	/* A dismissed one and a failing one can be retried too. */
	req.all_dead = 0;
	req.id = id[1];
	assert_int_equal(uc_delivery_retry(&f->ctx, &req, &d, &err), UC_OK);
	assert_string_equal(d.items[0].state, "queued");
	uc_delivery_done_clear(&d);
	req.id = id[2];
	assert_int_equal(uc_delivery_retry(&f->ctx, &req, &d, &err), UC_OK);
	assert_true(d.items[0].next_attempt_at == f->ctx.now);
	uc_delivery_done_clear(&d);

	/* nudged claims them now; one being sent or delivered is not
	 * retried. */
	LIBOK(outbox_claim_due(f->u->st, f->ctx.now, 10, &v, &n, &err));
	assert_int_equal(n, 4);
	outbox_list_free(v, n);
	snapshot(f);
	req.id = id[0];
	REFUSED(uc_delivery_retry(&f->ctx, &req, &d, &err),
	    "is being sent now");
	LIBOK(outbox_mark_delivered(f->u->st, &id[0], 1, f->ctx.now, &err));
	REFUSED(uc_delivery_retry(&f->ctx, &req, &d, &err), "is delivered");
	unchanged(f);
}

/* A backlog on one channel, due first, takes only its share: the rows
 * of another channel due after it are claimed in the same round. */
static void
test_delivery_round_shares(void **state)
{
	struct fx *f = *state;
	struct outbox_new q[12];
	char *err = NULL;
	int claimed;
	size_t i;

	anna_deliveries(f, "x", q, 12);
	for (i = 0; i < 10; i++)
		q[i].channel = "slow";
	/* Ten for "slow" due at 500, two for "log" at 600. */
	LIBOK(outbox_enqueue(f->u->st, q, 10, 500, &err));
	LIBOK(outbox_enqueue(f->u->st, q + 10, 2, 600, &err));

	assert_int_equal(delivery_round(f->u->st, 1000, 1, &f->t, &claimed,
	    &err), 0);
	assert_int_equal(claimed, 4);
	assert_int_equal(udb_int(f->u->st, "SELECT count(*) FROM deliveries "
	    "WHERE state = 'sending' AND channel = 'slow'", NULL), 2);
	assert_int_equal(udb_int(f->u->st, "SELECT count(*) FROM deliveries "
	    "WHERE state = 'sending' AND channel = 'log'", NULL), 2);
	/* The oldest of the backlog went first. */
	assert_int_equal(udb_int(f->u->st, "SELECT max(round) FROM deliveries "
	    "WHERE state = 'sending' AND channel = 'slow'", NULL), 1);
}

/* Why a refusal: the HTTP API's 400, 404 and 409 (the CLI exits 2 for
 * each). */
static void
test_refusal_kinds(void **state)
{
	struct fx *f = *state;
	int64_t id = add_deal(f, "Roof", "Acme AB");
	struct deal d;
	struct followup fu;
	char *err = NULL;

	snapshot(f);
	REFUSED(uc_deal_close(&f->ctx, 999, "won", NULL, &d, &err),
	    "no deal with id 999");
	assert_int_equal(f->ctx.refusal, UC_NOT_FOUND);
	deal_clear(&d);
	f->ctx.refusal = UC_BAD_INPUT;
	REFUSED(uc_followup_finish(&f->ctx, 999, "done", NULL, &fu, &err),
	    "no follow-up with id 999");
	assert_int_equal(f->ctx.refusal, UC_NOT_FOUND);
	followup_clear(&fu);
	assert_int_equal(uc_deal_close(&f->ctx, id, "won", NULL, &d, &err),
	    UC_OK);
	deal_clear(&d);
	snapshot(f);
	f->ctx.refusal = UC_BAD_INPUT;
	REFUSED(uc_deal_close(&f->ctx, id, "lost", NULL, &d, &err),
	    "is already won");
	assert_int_equal(f->ctx.refusal, UC_CONFLICT);
	deal_clear(&d);
	f->ctx.refusal = UC_BAD_INPUT;
	REFUSED(uc_deal_close(&f->ctx, id, "lost", "tomorrow 99:00", &d,
	    &err), "--at");
	assert_int_equal(f->ctx.refusal, UC_BAD_INPUT);
	deal_clear(&d);
	unchanged(f);
}

/* A deal from another system: once per source and external id, closed
 * when it comes again won. */
static void
test_deal_import(void **state)
{
	struct fx *f = *state;
	struct uc_deal_import req = { { "Pilot", "Acme AB", "anna", "100",
		"EUR", NULL }, NULL, NULL, "hubspot", "4711" };
	char *err = NULL, *source = NULL, *ext = NULL;
	struct deal d;
	int created;

	assert_int_equal(uc_deal_import(&f->ctx, &req, &d, &created, &err),
	    UC_OK);
	assert_true(created);
	assert_string_equal(d.stage, "open");
	deal_clear(&d);
	assert_int_equal(udb_int(f->u->st, "SELECT count(*) FROM contacts",
	    NULL), 0);
	req.stage = "won";
	assert_int_equal(uc_deal_import(&f->ctx, &req, &d, &created, &err),
	    UC_OK);
	assert_false(created);
	assert_string_equal(d.stage, "won");
	/* Won as `deal won` wins it: a touch of its account, by its owner. */
	assert_int_equal(udb_int(f->u->st, "SELECT count(*) FROM contacts "
	    "WHERE source = 'deal' AND source_id = 1 AND owner = 'anna' "
	    "AND at = (SELECT closed_at FROM deals WHERE id = 1)", NULL), 1);
	assert_int_equal(uc_deal_external(f->u->st, d.id, &source, &ext,
	    &err), 0);
	assert_string_equal(source, "hubspot");
	assert_string_equal(ext, "4711");
	free(source);
	free(ext);
	deal_clear(&d);
	snapshot(f);
	assert_int_equal(uc_deal_import(&f->ctx, &req, &d, &created, &err),
	    UC_OK);
	assert_false(created);
	deal_clear(&d);
	unchanged(f);
	assert_int_equal(udb_int(f->u->st, "SELECT count(*) FROM events "
	    "WHERE kind = 'deal.won'", NULL), 1);
	/* A deal new and already won is a touch too; one new and lost not. */
	req.external_id = "4712";
	assert_int_equal(uc_deal_import(&f->ctx, &req, &d, &created, &err),
	    UC_OK);
	assert_true(created);
	assert_int_equal(udb_int(f->u->st, "SELECT count(*) FROM contacts "
	    "WHERE source = 'deal' AND source_id = 2", NULL), 1);
	deal_clear(&d);
	req.external_id = "4713";
	req.stage = "lost";
	assert_int_equal(uc_deal_import(&f->ctx, &req, &d, &created, &err),
	    UC_OK);
	assert_int_equal(udb_int(f->u->st, "SELECT count(*) FROM contacts",
	    NULL), 2);
	deal_clear(&d);
	req.external_id = "4711";
	snapshot(f);
	REFUSED(uc_deal_import(&f->ctx, &req, &d, &created, &err),
	    "already won");
	assert_int_equal(f->ctx.refusal, UC_CONFLICT);
	deal_clear(&d);
	req.source = NULL;
	REFUSED(uc_deal_import(&f->ctx, &req, &d, &created, &err),
	    "source and external_id go together");
	deal_clear(&d);
	unchanged(f);
}

/* Tokens: the secret once, its hash kept, a name once, revoked. */
static void
test_tokens(void **state)
{
	struct fx *f = *state;
	char secret[TOKEN_SECRET_LEN + 1], hash[TOKEN_HASH_LEN + 1];
	char *err = NULL;
	struct api_token t, a;

	assert_int_equal(uc_token_add(&f->ctx, "crm", "write", secret, &t,
	    &err), UC_OK);
	assert_int_equal(strlen(secret), TOKEN_SECRET_LEN);
	token_hash(secret, hash);
	assert_int_equal(udb_int(f->u->st, "SELECT count(*) FROM api_tokens",
	    NULL), 1);
	token_clear(&t);
	assert_int_equal(token_auth(f->u->st, secret, 1000, &a, &err), 1);
	assert_string_equal(a.scope, "write");
	assert_int_equal(a.last_used_at, 1000);
	token_clear(&a);
	secret[10] ^= 1;
	assert_int_equal(token_auth(f->u->st, secret, 1000, &a, &err), 0);
	snapshot(f);
	REFUSED(uc_token_add(&f->ctx, "crm", "read", secret, &t, &err),
	    "a token named 'crm' exists");
	assert_int_equal(f->ctx.refusal, UC_CONFLICT);
	token_clear(&t);
	REFUSED(uc_token_add(&f->ctx, "c r m", "read", secret, &t, &err),
	    "letters, digits");
	token_clear(&t);
	unchanged(f);
	assert_int_equal(uc_token_revoke(&f->ctx, "crm", &err), UC_OK);
	f->ctx.refusal = UC_BAD_INPUT;
	REFUSED(uc_token_revoke(&f->ctx, "crm", &err), "no token named");
	assert_int_equal(f->ctx.refusal, UC_NOT_FOUND);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_deal_add_and_close, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_refused_input_creates_no_database, setup, teardown),
		cmocka_unit_test_setup_teardown(test_promise_add_rules, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_promise_finish_and_renegotiate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kept_how_matches_report,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_followup_add_finish_snooze, setup, teardown),
		cmocka_unit_test_setup_teardown(test_notify_test, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_agenda, setup, teardown),
		cmocka_unit_test_setup_teardown(test_delivery_decide, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_delivery_round, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_delivery_retry_dismiss,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_delivery_round_shares,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_refusal_kinds, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_deal_import, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_tokens, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
