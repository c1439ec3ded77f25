/*
 * Unit tests for lib/rules.c: which follow-ups each event makes, for whom,
 * with what text, at what due and remind moment (inside the owner's
 * working hours, days, holidays and time zone), and that expanding the
 * same event again makes nothing new (the occurrence key).
 *
 * Each test builds its deals and promises in a real store through the
 * model functions, so the events are the ones the log really holds, then
 * expands them with rules_expand() at an explicit `now`.  2026-11-02 is a
 * Monday; Stockholm is UTC+1 and New York UTC-5 all through November (no
 * daylight saving change between 2 Nov and 1 Mar).  anna works 08-17
 * mon-fri in Stockholm with Fri 20 Nov off; erik 09-18 mon-thu in New
 * York.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "unit_db.h"

#include "deal.h"
#include "event.h"
#include "followup.h"
#include "person.h"
#include "promise.h"
#include "rules.h"

#define S(y, mo, d, h, mi) udb_local(SE, y, mo, d, h, mi)
#define N(y, mo, d, h, mi) udb_local(NY, y, mo, d, h, mi)

static const char rules_conf[] =
    "timezone = \"Europe/Stockholm\";\n"
    "channels = ( { name = \"log\"; type = \"log\"; } );\n"
    "people = (\n"
    "  { handle = \"anna\"; name = \"Anna Lind\";\n"
    "    timezone = \"Europe/Stockholm\"; hours = \"08:00-17:00\";\n"
    "    days = \"mon-fri\"; holidays = [ \"2026-11-20\" ]; },\n"
    "  { handle = \"erik\"; timezone = \"America/New_York\";\n"
    "    hours = \"09:00-18:00\"; days = \"mon-thu\"; }\n"
    ");\n"
    "rules = (\n"
    "  { name = \"thank-you\"; on = \"deal.won\"; after = \"1h\";\n"
    "    message = \"Thank {{account}} for choosing us: {{deal}} "
    "({{deal_value}}).\"; },\n"
    "  { name = \"second-chocolate\"; on = \"deal.won\"; after = \"3bd\";\n"
    "    at = \"10:00\"; second_chocolate = true; once_per = \"90d\";\n"
    "    gestures = [ \"a note\", \"a tip\", \"an introduction\" ];\n"
    "    message = \"Back to {{account}} with {{gesture}}\"; },\n"
    "  { name = \"check-in-30d\"; on = \"deal.won\"; after = \"30d\";\n"
    "    at = \"10:00\"; message = \"30 days since {{deal}}\"; },\n"
    "  { name = \"pre-close\"; on = \"deal.closing\"; before = \"2bd\";\n"
    "    at = \"09:00\";\n"
    "    message = \"{{deal}} with {{account}} is about to close\"; },\n"
    "  { name = \"lost-debrief\"; on = \"deal.lost\"; after = \"1d\";\n"
    "    message = \"Ask {{account}} why {{deal}} was lost (follow-up "
    "{{followup}})\"; },\n"
    "  { name = \"heads-up\"; on = \"promise.target\"; before = \"1bd\";\n"
    "    message = \"Still on track? \\\"{{promise}}\\\" ({{account}}) "
    "target {{target}}; {{promised_to}} expects it {{due}}. nudge promise "
    "renegotiate {{promise_id}}\"; },\n"
    "  { name = \"at-target\"; on = \"promise.target\"; after = \"0s\";\n"
    "    message = \"Target reached for {{promise}}\"; },\n"
    "  { name = \"due-day\"; on = \"promise.due\"; after = \"0s\";\n"
    "    at = \"08:00\";\n"
    "    message = \"Due today to {{promised_to}}: {{promise}} "
    "({{due}})\"; },\n"
    "  { name = \"overdue\"; on = \"promise.overdue\"; after = \"1h\";\n"
    "    repeat = \"1bd\"; escalate_to = \"erik\"; escalate_after = 2;\n"
    "    message = \"Overdue by {{days_overdue}} days: {{promise}} "
    "#{{followup}}\"; },\n"
    "  { name = \"thanks-kept\"; on = \"promise.kept\"; after = \"1d\";\n"
    "    message = \"Kept: {{promise}}. Ask {{promised_to}} how it "
    "landed.\"; }\n"
    ");\n";

static int
setup(void **state)
{
	return (*state = udb_open("rules", rules_conf)) != NULL ? 0 : -1;
}

/* ---- building ----------------------------------------------------------- */

/* A deal of owner on account, created at `made` (closes_at 0: none). */
static int64_t
add_deal(struct udb *u, const char *owner, const char *account,
    const char *title, time_t closes, time_t made)
{
	struct deal d;

	memset(&d, 0, sizeof(d));
	d.title = (char *)title;
	d.owner = (char *)owner;
	d.account = (char *)account;
	d.value_minor = 1250050;
	d.has_value = 1;
	d.currency = "SEK";
	d.closes_at = closes;
	d.stage = "open";
	OK(store_begin(u->st, &err));
	OK(deal_insert(u->st, &d, made, &err));
	OK(store_commit(u->st, &err));
	return d.id;
}

static void
close_deal(struct udb *u, int64_t id, const char *stage, time_t at)
{
	OK(store_begin(u->st, &err));
	OK(deal_close(u->st, id, stage, at, at, &err));
	OK(store_commit(u->st, &err));
}

static int64_t
add_promise(struct udb *u, const char *owner, time_t made, time_t due,
    time_t target)
{
	int64_t id;

	OK(store_begin(u->st, &err));
	id = udb_add_promise(u->st, owner, "Send the quote", "Maria", made,
	    due, target);
	OK(store_commit(u->st, &err));
	return id;
}

/* Expand the latest event `kind` of the subject at now; returns *made. */
static int
expand(struct udb *u, const char *type, int64_t id, const char *kind,
    time_t now)
{
	struct event *ev = NULL;
	size_t n = 0, i, found = (size_t)-1;
	int made = -1;

	OK(event_list_subject(u->st, type, id, &ev, &n, &err));
	for (i = 0; i < n; i++)
		if (strcmp(ev[i].kind, kind) == 0)
			found = i;
	if (found == (size_t)-1) {
		event_list_free(ev, n);
		fail_msg("no event %s for %s %lld", kind, type, (long long)id);
	}
	OK(store_begin(u->st, &err));
	OK(rules_expand(u->st, u->cfg, &ev[found], now, &made, &err));
	OK(store_commit(u->st, &err));
	event_list_free(ev, n);
	return made;
}

/* The subject's latest event kind_a expanded again at at_a, then kind_b
 * at at_b: neither makes a follow-up. */
static void
expect_replays(struct udb *u, const char *type, int64_t id,
    const char *kind_a, time_t at_a, const char *kind_b, time_t at_b)
{
	int64_t before = udb_count(u->st, "followups");

	assert_int_equal(expand(u, type, id, kind_a, at_a), 0);
	assert_int_equal(expand(u, type, id, kind_b, at_b), 0);
	assert_int_equal(udb_count(u->st, "followups"), before);
}

/* rules_repeat() for the follow-up with occurrence occ; returns *made. */
static int
repeat(struct udb *u, const char *occ, time_t now)
{
	struct followup f;
	int made = -1;

	if (!udb_followup(u->st, occ, &f))
		fail_msg("no follow-up %s", occ);
	OK(store_begin(u->st, &err));
	OK(rules_repeat(u->st, u->cfg, &f, now, &made, &err));
	OK(store_commit(u->st, &err));
	followup_clear(&f);
	return made;
}

/* A deal of owner on account, made at `made` and won at `won`, whose
 * deal.won event makes `want` follow-ups. */
static int64_t
win_deal(struct udb *u, const char *owner, const char *account,
    const char *title, time_t made, time_t won, int want)
{
	int64_t d = add_deal(u, owner, account, title, 0, made);

	close_deal(u, d, "won", won);
	assert_int_equal(expand(u, "deal", d, "deal.won", won), want);
	return d;
}

/* The promise's state set to kept at `at`, recorded at `now`. */
static void
keep_promise(struct udb *u, int64_t p, time_t at, time_t now)
{
	OK(store_begin(u->st, &err));
	OK(promise_set_state(u->st, p, "kept", at, now, &err));
	OK(store_commit(u->st, &err));
}

/* The promise renegotiated at `at` to a new due and target. */
static void
renegotiate(struct udb *u, int64_t p, time_t due, time_t target, time_t at)
{
	OK(store_begin(u->st, &err));
	OK(promise_renegotiate(u->st, p, due, target, "supplier late", at,
	    &err));
	OK(store_commit(u->st, &err));
}

/* ---- checking ----------------------------------------------------------- */

/* The id a follow-up's text ends its head with: none, the id of the
 * event's subject, or the follow-up's own (known only once it is made). */
enum text_id { NO_ID, SUBJECT_ID, OWN_ID };

/* A follow-up the event named `event` makes for its subject: the rule,
 * the occurrence's suffix, the owner, the account it is linked to (as it
 * is to its deal or promise), due and remind as wall times in
 * zone, and the text: text, then the id (unless NO_ID) and tail. */
struct made {
	const char *event, *rule, *suffix, *owner, *account, *zone;
	struct udb_wall due, remind;
	enum text_id id;
	const char *text, *tail;
};

/* What deal events make. */
static const struct made deal_rows[] = {
	/* test_deal_won: won on Wed 4 Nov 15:30. */
	{ "won Acme", "thank-you", "0", "anna", "Acme", SE,
	    { 2026, 11, 4, 16, 30 }, { 2026, 11, 4, 16, 30 }, NO_ID,
	    "Thank Acme for choosing us: Big deal (12500.50 SEK).", "" },
	/* Thu, Fri, Mon: 3bd keeps 15:30 as the due moment; the reminder
	 * comes at the rule's 10:00 that day. */
	{ "won Acme", "second-chocolate", "0", "anna", "Acme", SE,
	    { 2026, 11, 9, 15, 30 }, { 2026, 11, 9, 10, 0 }, NO_ID,
	    "Back to Acme with a note", "" },
	/* 30 civil days: Fri 4 Dec. */
	{ "won Acme", "check-in-30d", "0", "anna", "Acme", SE,
	    { 2026, 12, 4, 15, 30 }, { 2026, 12, 4, 10, 0 }, NO_ID,
	    "30 days since Big deal", "" },
	/* test_deal_won_hours_and_zone: 18:30 Thu is after erik's day; Fri
	 * is not his: Mon 09:00 NY. */
	{ "won Globex", "thank-you", "0", "erik", "Globex", NY,
	    { 2026, 11, 5, 18, 30 }, { 2026, 11, 9, 9, 0 }, NO_ID,
	    "Thank Globex for choosing us: Widgets (12500.50 SEK).", "" },
	/* His business days: Mon, Tue, Wed (Friday skipped) -> Wed. */
	{ "won Globex", "second-chocolate", "0", "erik", "Globex", NY,
	    { 2026, 11, 11, 17, 30 }, { 2026, 11, 11, 10, 0 }, NO_ID,
	    "Back to Globex with a note", "" },
	/* 17:30 Thu is after anna's hours, Fri 20 is her holiday: Mon
	 * 08:00. */
	{ "won Initech", "thank-you", "0", "anna", "Initech", SE,
	    { 2026, 11, 19, 17, 30 }, { 2026, 11, 23, 8, 0 }, NO_ID,
	    "Thank Initech for choosing us: Staplers (12500.50 SEK).", "" },
	/* Mon, Tue, Wed (the holiday is no business day). */
	{ "won Initech", "second-chocolate", "0", "anna", "Initech", SE,
	    { 2026, 11, 25, 16, 30 }, { 2026, 11, 25, 10, 0 }, NO_ID,
	    "Back to Initech with a note", "" },
	/* test_deal_closing: two working days before Fri 13 17:00. */
	{ "created closing", "pre-close", "0", "anna", "Acme", SE,
	    { 2026, 11, 11, 17, 0 }, { 2026, 11, 11, 9, 0 }, NO_ID,
	    "Big deal with Acme is about to close", "" },
	/* test_deal_lost: a day after Fri 16:30 is Saturday: Monday 08:00. */
	{ "lost", "lost-debrief", "0", "anna", "Acme", SE,
	    { 2026, 11, 7, 16, 30 }, { 2026, 11, 9, 8, 0 }, OWN_ID,
	    "Ask Acme why Big deal was lost (follow-up ", ")" },
	/* test_second_chocolate_once_per_and_rotation. */
	{ "chocolate Acme", "second-chocolate", "0", "anna", "Acme", SE,
	    { 2026, 11, 9, 15, 30 }, { 2026, 11, 9, 10, 0 }, NO_ID,
	    "Back to Acme with a note", "" },
	{ "chocolate Beta", "second-chocolate", "0", "anna", "Beta", SE,
	    { 2026, 11, 10, 15, 30 }, { 2026, 11, 10, 10, 0 }, NO_ID,
	    "Back to Beta with a note", "" },
	{ "chocolate Acme again", "second-chocolate", "0", "anna", "Acme", SE,
	    { 2027, 3, 4, 10, 0 }, { 2027, 3, 4, 10, 0 }, NO_ID,
	    "Back to Acme with a tip", "" },
};

/* What promise events make. */
static const struct made promise_rows[] = {
	/* anna_promise: target Thu 5 Nov 15:00, due Fri 6 Nov 17:00. */
	{ "promise created", "heads-up", "0", "anna", "Acme", SE,
	    { 2026, 11, 4, 15, 0 }, { 2026, 11, 4, 15, 0 }, SUBJECT_ID,
	    "Still on track? \"Send the quote\" (Acme) target "
	    "2026-11-05 15:00; Maria expects it 2026-11-06 17:00. nudge "
	    "promise renegotiate ", "" },
	{ "promise created", "at-target", "0", "anna", "Acme", SE,
	    { 2026, 11, 5, 15, 0 }, { 2026, 11, 5, 15, 0 }, NO_ID,
	    "Target reached for Send the quote", "" },
	{ "promise created", "due-day", "0", "anna", "Acme", SE,
	    { 2026, 11, 6, 17, 0 }, { 2026, 11, 6, 8, 0 }, NO_ID,
	    "Due today to Maria: Send the quote (2026-11-06 17:00)", "" },
	/* Fri 18:00 is after hours: Mon 08:00, 63 h after due = 2 days. */
	{ "promise created", "overdue", "0", "anna", "Acme", SE,
	    { 2026, 11, 6, 18, 0 }, { 2026, 11, 9, 8, 0 }, OWN_ID,
	    "Overdue by 2 days: Send the quote #", "" },
	/* test_promise_kept: a day after it was kept. */
	{ "kept", "thanks-kept", "0", "anna", "Acme", SE,
	    { 2026, 11, 6, 11, 0 }, { 2026, 11, 6, 11, 0 }, NO_ID,
	    "Kept: Send the quote. Ask Maria how it landed.", "" },
	/* test_promise_renegotiated: due Fri 13 17:00, target Thu 12 15:00. */
	{ "renegotiated", "due-day", "0", "anna", "Acme", SE,
	    { 2026, 11, 13, 17, 0 }, { 2026, 11, 13, 8, 0 }, NO_ID,
	    "Due today to Maria: Send the quote (2026-11-13 17:00)", "" },
	{ "renegotiated", "at-target", "0", "anna", "Acme", SE,
	    { 2026, 11, 12, 15, 0 }, { 2026, 11, 12, 15, 0 }, NO_ID,
	    "Target reached for Send the quote", "" },
	/* Fri 13 18:00 -> Mon 16 08:00. */
	{ "renegotiated", "overdue", "0", "anna", "Acme", SE,
	    { 2026, 11, 13, 18, 0 }, { 2026, 11, 16, 8, 0 }, OWN_ID,
	    "Overdue by 2 days: Send the quote #", "" },
	/* Repeat 1: due + 1bd (Mon 17:00) + 1h = Mon 18:00 -> Tue 08:00,
	 * 87 h after due = 3 days.  Not yet escalated. */
	{ "overdue 1", "overdue", "1", "anna", "Acme", SE,
	    { 2026, 11, 9, 18, 0 }, { 2026, 11, 10, 8, 0 }, OWN_ID,
	    "Overdue by 3 days: Send the quote #", "" },
	/* Repeat 2 (Tue 18:00 -> Wed 08:00, 111 h = 4 days) and erik's
	 * copy: Tue 18:00 Stockholm is Tue 12:00 in New York, inside his
	 * hours, 4 days counted to that moment; each with its own id. */
	{ "overdue 2", "overdue", "2", "anna", "Acme", SE,
	    { 2026, 11, 10, 18, 0 }, { 2026, 11, 11, 8, 0 }, OWN_ID,
	    "Overdue by 4 days: Send the quote #", "" },
	{ "overdue 2", "overdue", "2:escalated", "erik", "Acme", NY,
	    { 2026, 11, 10, 12, 0 }, { 2026, 11, 10, 12, 0 }, OWN_ID,
	    "Escalated (anna's, reminder 3): Overdue by 4 days: Send the "
	    "quote #", "" },};

/* The follow-up m for subject id exists, pending, with its owner, text,
 * due and remind moments (shown in its zone when they differ), linked to
 * the subject (a deal, or else a promise) and its account. */
static void
expect_row(struct udb *u, const struct made *m, const char *subject,
    int64_t id)
{
	struct followup f;
	char occ[160], text[256];

	snprintf(occ, sizeof(occ), "%s:%s:%lld:%s", m->rule, subject,
	    (long long)id, m->suffix);
	if (!udb_followup(u->st, occ, &f))
		fail_msg("no follow-up %s", occ);
	if (m->id == NO_ID)
		snprintf(text, sizeof(text), "%s%s", m->text, m->tail);
	else
		snprintf(text, sizeof(text), "%s%lld%s", m->text,
		    (long long)(m->id == SUBJECT_ID ? id : f.id), m->tail);
	assert_string_equal(f.owner, m->owner);
	assert_string_equal(f.rule, m->rule);
	assert_int_equal(f.deal_id, strcmp(subject, "deal") == 0 ? id : 0);
	assert_int_equal(f.promise_id, strcmp(subject, "deal") == 0 ? 0 : id);
	assert_true(f.account_id > 0);
	assert_string_equal(f.account, m->account);
	assert_string_equal(f.state, "pending");
	assert_string_equal(f.text, text);
	udb_expect_moment(occ, m->zone, f.due_at,
	    udb_wall(m->zone, m->due));
	udb_expect_moment(occ, m->zone, f.remind_at,
	    udb_wall(m->zone, m->remind));
	followup_clear(&f);
}

/* Every follow-up listed for `event` exists for subject id. */
static void
expect_made(struct udb *u, const char *event, const char *subject,
    int64_t id)
{
	int deal = strcmp(subject, "deal") == 0;
	const struct made *rows = deal ? deal_rows : promise_rows;
	size_t i, n = 0, nrows = deal ?
	    sizeof(deal_rows) / sizeof(deal_rows[0]) :
	    sizeof(promise_rows) / sizeof(promise_rows[0]);

	for (i = 0; i < nrows; i++)
		if (strcmp(rows[i].event, event) == 0) {
			expect_row(u, &rows[i], subject, id);
			n++;
		}
	if (n == 0)
		fail_msg("no follow-ups listed for %s", event);
}

static char *
state_of(struct udb *u, const char *occ)
{
	struct followup f;
	char *s;

	if (!udb_followup(u->st, occ, &f))
		fail_msg("no follow-up %s", occ);
	s = f.state;
	f.state = NULL;
	followup_clear(&f);
	return s;
}

static void
expect_state(struct udb *u, const char *occ, const char *want)
{
	char *s = state_of(u, occ);

	if (strcmp(s, want) != 0) {
		print_error("%s: state %s, want %s\n", occ, s, want);
		free(s);
		fail();
	}
	free(s);
}

/* ---- deals -------------------------------------------------------------- */

/* A won deal: the thank-you an hour later, the second chocolate three
 * working days later at 10:00 with the first gesture, the check-in 30
 * calendar days later at 10:00.  Linked to the deal and its account. */
static void
test_deal_won(void **state)
{
	struct udb *u = *state;
	int64_t d, before;

	before = udb_count(u->st, "followups");
	d = win_deal(u, "anna", "Acme", "Big deal", S(2026, 11, 2, 9, 0),
	    S(2026, 11, 4, 15, 30), 3);                 /* won on a Wed */
	assert_int_equal(udb_count(u->st, "followups"), before + 3);

	expect_made(u, "won Acme", "deal", d);

	/* Replayed (a restart, a reload): nothing new, later or not. */
	expect_replays(u, "deal", d, "deal.won", S(2026, 11, 4, 15, 30),
	    "deal.won", S(2026, 11, 5, 9, 0));
	assert_int_equal(udb_count(u->st, "followups"), before + 3);
}

/* Moments land inside the owner's hours, days and zone: erik (New York,
 * mon-thu 09-18) wins on Thursday 17:30 his time; anna wins the day
 * before her Friday off at 16:30. */
static void
test_deal_won_hours_and_zone(void **state)
{
	struct udb *u = *state;
	int64_t d, e;

	e = win_deal(u, "erik", "Globex", "Widgets", N(2026, 11, 2, 9, 0),
	    N(2026, 11, 5, 17, 30), 3);
	expect_made(u, "won Globex", "deal", e);

	d = win_deal(u, "anna", "Initech", "Staplers", S(2026, 11, 2, 9, 0),
	    S(2026, 11, 19, 16, 30), 3);
	expect_made(u, "won Initech", "deal", d);
}

/* An open deal with an expected close date: the pre-close touch two
 * working days before, at 09:00.  Without a close date: nothing.  Once
 * the deal is won the pending pre-close touch is cancelled. */
static void
test_deal_closing(void **state)
{
	struct udb *u = *state;
	int64_t d, plain, before;
	char occ[64];

	d = add_deal(u, "anna", "Acme", "Big deal", S(2026, 11, 13, 17, 0),
	    S(2026, 11, 2, 9, 0));
	assert_int_equal(expand(u, "deal", d, "deal.created",
	    S(2026, 11, 2, 9, 0)), 1);
	expect_made(u, "created closing", "deal", d);
	assert_int_equal(expand(u, "deal", d, "deal.created",
	    S(2026, 11, 2, 9, 5)), 0);

	before = udb_count(u->st, "followups");
	plain = add_deal(u, "anna", "Acme", "Small deal", 0,
	    S(2026, 11, 2, 9, 0));
	assert_int_equal(expand(u, "deal", plain, "deal.created",
	    S(2026, 11, 2, 9, 0)), 0);
	assert_int_equal(udb_count(u->st, "followups"), before);

	/* Won before the close date: the touch before closing is gone. */
	snprintf(occ, sizeof(occ), "pre-close:deal:%lld:0", (long long)d);
	expect_state(u, occ, "pending");
	close_deal(u, d, "won", S(2026, 11, 9, 11, 0));
	assert_int_equal(expand(u, "deal", d, "deal.won",
	    S(2026, 11, 9, 11, 0)), 3);
	expect_state(u, occ, "cancelled");
	/* The deal.created event replayed now that the deal is closed. */
	assert_int_equal(expand(u, "deal", d, "deal.created",
	    S(2026, 11, 9, 11, 5)), 0);
	expect_state(u, occ, "cancelled");
}

/* A lost deal: the debrief rule, none of the won rules, and the pre-close
 * touch cancelled. */
static void
test_deal_lost(void **state)
{
	struct udb *u = *state;
	int64_t d;
	char occ[64];

	d = add_deal(u, "anna", "Acme", "Big deal", S(2026, 11, 13, 17, 0),
	    S(2026, 11, 2, 9, 0));
	assert_int_equal(expand(u, "deal", d, "deal.created",
	    S(2026, 11, 2, 9, 0)), 1);
	close_deal(u, d, "lost", S(2026, 11, 6, 16, 30));     /* Fri */
	assert_int_equal(expand(u, "deal", d, "deal.lost",
	    S(2026, 11, 6, 16, 30)), 1);
	/* {{followup}} is its own id, known only once it was made. */
	expect_made(u, "lost", "deal", d);
	snprintf(occ, sizeof(occ), "pre-close:deal:%lld:0", (long long)d);
	expect_state(u, occ, "cancelled");
	snprintf(occ, sizeof(occ), "thank-you:deal:%lld:0", (long long)d);
	assert_int_equal(udb_int(u->st,
	    "SELECT count(*) FROM followups WHERE occurrence = ?1", occ), 0);
}

/* The second chocolate comes at most once per account in 90 days, and
 * its gesture rotates per account. */
static void
test_second_chocolate_once_per_and_rotation(void **state)
{
	struct udb *u = *state;
	int64_t a, c, other;

	a = win_deal(u, "anna", "Acme", "First", S(2026, 11, 2, 9, 0),
	    S(2026, 11, 4, 15, 30), 3);
	expect_made(u, "chocolate Acme", "deal", a);

	/* A day later, same account: thank-you and check-in only. */
	win_deal(u, "anna", "Acme", "Second", S(2026, 11, 2, 9, 0),
	    S(2026, 11, 5, 15, 30), 2);
	assert_int_equal(udb_int(u->st, "SELECT count(*) FROM followups "
	    "WHERE rule = ?1", "second-chocolate"), 1);

	/* Another account the same day: its own first gesture. */
	other = win_deal(u, "anna", "Beta", "Other", S(2026, 11, 2, 9, 0),
	    S(2026, 11, 5, 15, 30), 3);
	expect_made(u, "chocolate Beta", "deal", other);

	/* Acme again after more than 90 days: the next gesture. */
	c = win_deal(u, "anna", "Acme", "Third", S(2027, 2, 1, 9, 0),
	    S(2027, 3, 1, 10, 0), 3);                   /* won on a Mon */
	expect_made(u, "chocolate Acme again", "deal", c);
}

/* ---- promises ----------------------------------------------------------- */

/* Made Mon 09:00, target Thu 15:00, due Fri 17:00 (anna); its
 * promise.created event expanded then, making its four follow-ups. */
static int64_t
anna_promise(struct udb *u)
{
	int64_t p = add_promise(u, "anna", S(2026, 11, 2, 9, 0),
	    S(2026, 11, 6, 17, 0), S(2026, 11, 5, 15, 0));

	assert_int_equal(expand(u, "promise", p, "promise.created",
	    S(2026, 11, 2, 9, 0)), 4);
	return p;
}

/* A new promise: the heads-up a working day before the target, the
 * target itself, the morning of the due day, and overdue an hour after;
 * each linked to the promise and its account. */
static void
test_promise_created(void **state)
{
	struct udb *u = *state;
	int64_t p, before;

	before = udb_count(u->st, "followups");
	p = anna_promise(u);
	assert_int_equal(udb_count(u->st, "followups"), before + 4);
	expect_made(u, "promise created", "promise", p);

	expect_replays(u, "promise", p, "promise.created",
	    S(2026, 11, 2, 9, 0), "promise.created", S(2026, 11, 3, 9, 0));
}

/* Kept: the kept rule a day after the moment it was kept; the pending
 * reminders are cancelled, and the creation replayed makes none again. */
static void
test_promise_kept(void **state)
{
	struct udb *u = *state;
	int64_t p, before;
	char occ[64];

	p = anna_promise(u);
	keep_promise(u, p, S(2026, 11, 5, 11, 0), S(2026, 11, 5, 11, 5));
	before = udb_count(u->st, "followups");
	assert_int_equal(expand(u, "promise", p, "promise.kept",
	    S(2026, 11, 5, 11, 5)), 1);
	expect_made(u, "kept", "promise", p);
	snprintf(occ, sizeof(occ), "due-day:promise:%lld:0", (long long)p);
	expect_state(u, occ, "cancelled");

	/* The creation event replayed after the promise was kept: it is no
	 * longer open, so nothing, not even a new round of keys. */
	expect_replays(u, "promise", p, "promise.created",
	    S(2026, 11, 5, 12, 0), "promise.kept", S(2026, 11, 5, 12, 0));
	assert_int_equal(udb_count(u->st, "followups"), before + 1);
}

/* Renegotiated in time: the old reminders are cancelled and the new dates
 * get a round of their own (subject "promise.r1"). */
static void
test_promise_renegotiated(void **state)
{
	struct udb *u = *state;
	int64_t p;
	char occ[64];

	p = anna_promise(u);
	renegotiate(u, p, S(2026, 11, 13, 17, 0), S(2026, 11, 12, 15, 0),
	    S(2026, 11, 3, 10, 0));
	assert_int_equal(expand(u, "promise", p, "promise.renegotiated",
	    S(2026, 11, 3, 10, 0)), 4);
	snprintf(occ, sizeof(occ), "due-day:promise:%lld:0", (long long)p);
	expect_state(u, occ, "cancelled");
	expect_made(u, "renegotiated", "promise.r1", p);
	/* Replayed, and the old creation event: the old keys exist. */
	expect_replays(u, "promise", p, "promise.renegotiated",
	    S(2026, 11, 3, 10, 5), "promise.created", S(2026, 11, 3, 10, 5));
}

/* Overdue repeats every working day while open; from the second repeat
 * erik hears of it too, at the same moment in his own hours.  Repeating
 * the same follow-up again makes nothing; escalations do not repeat;
 * neither does a rule without `repeat`, nor a kept promise. */
static void
test_promise_overdue_repeat_and_escalation(void **state)
{
	struct udb *u = *state;
	char o0[64], o1[64], o2[64], due[64], esc[80];
	int64_t p, before;

	p = anna_promise(u);
	snprintf(o0, sizeof(o0), "overdue:promise:%lld:0", (long long)p);
	snprintf(o1, sizeof(o1), "overdue:promise:%lld:1", (long long)p);
	snprintf(o2, sizeof(o2), "overdue:promise:%lld:2", (long long)p);
	snprintf(due, sizeof(due), "due-day:promise:%lld:0", (long long)p);
	snprintf(esc, sizeof(esc), "overdue:promise:%lld:2:escalated",
	    (long long)p);

	/* Repeat 1, not yet escalated; repeat 2 and erik's copy. */
	assert_int_equal(repeat(u, o0, S(2026, 11, 9, 8, 0)), 1);
	expect_made(u, "overdue 1", "promise", p);
	assert_int_equal(repeat(u, o1, S(2026, 11, 10, 8, 0)), 2);
	expect_made(u, "overdue 2", "promise", p);

	before = udb_count(u->st, "followups");
	assert_int_equal(repeat(u, o1, S(2026, 11, 10, 8, 5)), 0);
	assert_int_equal(repeat(u, esc, S(2026, 11, 10, 12, 0)), 0);
	assert_int_equal(repeat(u, due, S(2026, 11, 6, 8, 0)), 0);
	assert_int_equal(udb_count(u->st, "followups"), before);

	keep_promise(u, p, S(2026, 11, 11, 9, 0), S(2026, 11, 11, 9, 0));
	assert_int_equal(repeat(u, o2, S(2026, 11, 11, 9, 0)), 0);
	assert_int_equal(udb_count(u->st, "followups"), before);
}

/* Nothing for an owner no longer in the configuration, for events of
 * other subjects, and for kinds no rule is on -- next to a case that
 * does make follow-ups. */
static void
test_nothing_made(void **state)
{
	struct udb *u = *state;
	struct event ev;
	int64_t gone, d, before;
	int made = -1;

	anna_promise(u);

	before = udb_count(u->st, "followups");
	gone = add_promise(u, "zed", S(2026, 11, 2, 9, 0),
	    S(2026, 11, 6, 17, 0), S(2026, 11, 5, 15, 0));
	assert_int_equal(expand(u, "promise", gone, "promise.created",
	    S(2026, 11, 2, 9, 0)), 0);
	assert_int_equal(udb_count(u->st, "followups"), before);

	/* A follow-up's own event, and a deal event no rule is on. */
	d = add_deal(u, "anna", "Acme", "Big deal", 0, S(2026, 11, 2, 9, 0));
	memset(&ev, 0, sizeof(ev));
	ev.id = 1000;
	ev.at = S(2026, 11, 2, 9, 0);
	ev.kind = "followup.created";
	ev.subject_type = "followup";
	ev.subject_id = 1;
	ev.actor = "test";
	OK(rules_expand(u->st, u->cfg, &ev, ev.at, &made, &err));
	assert_int_equal(made, 0);
	ev.kind = "deal.updated";
	ev.subject_type = "deal";
	ev.subject_id = d;
	made = -1;
	OK(rules_expand(u->st, u->cfg, &ev, ev.at, &made, &err));
	assert_int_equal(made, 0);
	assert_int_equal(udb_count(u->st, "followups"), before);
}

/* rules_moment(): the rule's offset in the person's working time, then
 * its time of day, then into hours. */
static void
test_rules_moment(void **state)
{
	struct udb *u = *state;
	const struct config_rule *pre = NULL, *heads = NULL;
	struct timeutil_hours h;
	size_t i;

	for (i = 0; i < u->cfg->nrules; i++) {
		if (strcmp(u->cfg->rules[i].name, "pre-close") == 0)
			pre = &u->cfg->rules[i];
		if (strcmp(u->cfg->rules[i].name, "heads-up") == 0)
			heads = &u->cfg->rules[i];
	}
	assert_non_null(pre);
	assert_non_null(heads);
	person_hours(config_person(u->cfg, "anna"), &h);
	udb_expect_moment("pre-close", SE, rules_moment(pre, &h,
	    S(2026, 11, 13, 17, 0)), S(2026, 11, 11, 9, 0));
	/* 1bd before Mon 08:30 is Fri 08:30 ... */
	udb_expect_moment("heads-up", SE, rules_moment(heads, &h,
	    S(2026, 11, 9, 8, 30)), S(2026, 11, 6, 8, 30));
	/* ... except when that Friday is her holiday: Thursday. */
	udb_expect_moment("heads-up, holiday", SE, rules_moment(heads, &h,
	    S(2026, 11, 23, 8, 30)), S(2026, 11, 19, 8, 30));
	/* Before hours: moved to the start of that day. */
	udb_expect_moment("heads-up, early", SE, rules_moment(heads, &h,
	    S(2026, 11, 10, 6, 0)), S(2026, 11, 9, 8, 0));
	/* The same rule in erik's hours and zone. */
	person_hours(config_person(u->cfg, "erik"), &h);
	udb_expect_moment("pre-close, erik", NY, rules_moment(pre, &h,
	    N(2026, 11, 13, 17, 0)), N(2026, 11, 11, 9, 0));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_deal_won, setup,
		    udb_teardown),
		cmocka_unit_test_setup_teardown(test_deal_won_hours_and_zone,
		    setup, udb_teardown),
		cmocka_unit_test_setup_teardown(test_deal_closing, setup,
		    udb_teardown),
		cmocka_unit_test_setup_teardown(test_deal_lost, setup,
		    udb_teardown),
		cmocka_unit_test_setup_teardown(
		    test_second_chocolate_once_per_and_rotation, setup,
		    udb_teardown),
		cmocka_unit_test_setup_teardown(test_promise_created, setup,
		    udb_teardown),
		cmocka_unit_test_setup_teardown(test_promise_kept, setup,
		    udb_teardown),
		cmocka_unit_test_setup_teardown(test_promise_renegotiated,
		    setup, udb_teardown),
		cmocka_unit_test_setup_teardown(
		    test_promise_overdue_repeat_and_escalation, setup,
		    udb_teardown),
		cmocka_unit_test_setup_teardown(test_nothing_made, setup,
		    udb_teardown),
		cmocka_unit_test_setup_teardown(test_rules_moment, setup,
		    udb_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
