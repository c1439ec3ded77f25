/*
 * Unit tests for lib/import.c: CSV rows in, promises, deals and
 * follow-ups out, through import_csv() on a real store.  A file with any
 * bad row writes nothing (the rows of every table are counted before and
 * after) and names each problem as "file:line: what"; a valid file is
 * committed whole.
 *
 * anna works 08-17 mon-fri in Stockholm (UTC+1 in November), bo 08-17 in
 * New York (UTC-5).  Every import runs at now = Mon 2 Nov 2026 09:00
 * Stockholm.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "unit_db.h"

#include "deal.h"
#include "followup.h"
#include "import.h"
#include "person.h"
#include "promise.h"
#include "store_value.h"
#include "token.h"
#include "unit_text.h"

#define S(y, mo, d, h, mi) udb_local(SE, y, mo, d, h, mi)
#define N(y, mo, d, h, mi) udb_local(NY, y, mo, d, h, mi)

/* An account's latest touch: its moment, and who made it. */
#define LAST_TOUCH "FROM contacts WHERE account_id = ?1 " \
	"ORDER BY at DESC, id DESC LIMIT 1"
static const char LAST_TOUCH_AT[] = "SELECT at " LAST_TOUCH;
static const char LAST_TOUCH_BY[] = "SELECT owner " LAST_TOUCH;

static const char import_conf[] = UDB_CONF_ANNA_BO;
static const char cadence_conf[] = UDB_CONF_ANNA_BO
    "cadences = ( { name = \"all\"; every = \"90d\"; owner = \"anna\"; } );\n";

/* The end of timeutil_parse_when()'s message: what it accepts. */
#define ACCEPTED "accepted: now, today, tomorrow, a weekday (fri, " \
	"friday), HH:MM, combinations such as \"fri 17:00\" or \"tomorrow " \
	"9:30\", a date 2026-12-01, a date and time 2026-12-01T09:30 or " \
	"\"2026-12-01 09:30\" (optional :SS and Z or +01:00), or relative " \
	"+3d, +2h, +3bd, \"in 3 days\", \"in 2 hours\", \"in 3 business " \
	"days\""

static int
setup(void **state)
{
	return (*state = udb_open("import", import_conf)) != NULL ? 0 : -1;
}

/* The rows of every table an import can write. */
struct counts {
	int64_t promises, deals, followups, accounts, events;
	int64_t tokens, external_ids;
};

static struct counts
counts(struct udb *u)
{
	struct counts c;

	c.promises = udb_count(u->st, "promises");
	c.deals = udb_count(u->st, "deals");
	c.followups = udb_count(u->st, "followups");
	c.accounts = udb_count(u->st, "accounts");
	c.events = udb_count(u->st, "events");
	c.tokens = udb_count(u->st, "api_tokens");
	c.external_ids = udb_count(u->st, "deal_external_ids");
	return c;
}

/* got is base with `added` rows more in each table (NULL: none more). */
static void
expect_counts(const struct counts *got, const struct counts *base,
    const struct counts *added)
{
	static const struct counts none;
	const struct counts *a = added != NULL ? added : &none;

	assert_int_equal(got->promises, base->promises + a->promises);
	assert_int_equal(got->deals, base->deals + a->deals);
	assert_int_equal(got->followups, base->followups + a->followups);
	assert_int_equal(got->accounts, base->accounts + a->accounts);
	assert_int_equal(got->events, base->events + a->events);
	assert_int_equal(got->tokens, base->tokens + a->tokens);
	assert_int_equal(got->external_ids,
	    base->external_ids + a->external_ids);
}

/* A record's text fields in the order the tests' tables list them. */
#define PROMISE_FIELDS(p, got) ((got)[0] = (p).owner, (got)[1] = \
	(p).account, (got)[2] = (p).text, (got)[3] = (p).promised_to, \
	(got)[4] = (p).state)
#define DEAL_FIELDS(d, got) ((got)[0] = (d).title, (got)[1] = (d).account, \
	(got)[2] = (d).owner, (got)[3] = (d).stage, (got)[4] = (d).currency)

static time_t
now(void)
{
	return S(2026, 11, 2, 9, 0);
}

/* import_csv() of text named name; returns its result, *count and the
 * message (freed by the caller; NULL on success). */
static int
import(struct udb *u, enum import_kind kind, const char *name,
    const char *text, size_t *count, char **msg)
{
	FILE *in;
	int rc;

	*msg = NULL;
	*count = (size_t)-1;
	assert_non_null(in = fmemopen((void *)text, strlen(text), "r"));
	rc = import_csv(u->st, u->cfg, kind, in, name, now(), 0, count,
	    msg);
	fclose(in);
	return rc;
}

/* A file that must go in whole: want records. */
static void
import_ok(struct udb *u, enum import_kind kind, const char *name,
    const char *text, size_t want)
{
	size_t n;
	char *msg;

	if (import(u, kind, name, text, &n, &msg) != 0)
		fail_msg("%s refused: %s", name, msg);
	assert_null(msg);
	assert_int_equal(n, want);
}

/* import_ok(), and the rows it added to each table: exactly `added`
 * (NULL: none). */
static void
import_adds(struct udb *u, enum import_kind kind, const char *name,
    const char *text, size_t want, const struct counts *added)
{
	struct counts before = counts(u), after;

	import_ok(u, kind, name, text, want);
	after = counts(u);
	expect_counts(&after, &before, added);
}

/* A file that must be refused with exactly `want` and write nothing. */
static void
expect_refused(struct udb *u, enum import_kind kind, const char *name,
    const char *text, const char *want)
{
	struct counts before = counts(u), after;
	size_t n;
	char *msg;

	assert_int_equal(import(u, kind, name, text, &n, &msg), -1);
	assert_non_null(msg);
	if (strcmp(msg, want) != 0) {
		print_error("got:\n%s\nwant:\n%s\n", msg, want);
		free(msg);
		fail();
	}
	free(msg);
	assert_int_equal(n, 0);
	after = counts(u);
	expect_counts(&after, &before, NULL);
}

/* ---- valid files -------------------------------------------------------- */

/* Promises: a date alone is due at the end of the owner's working day in
 * their zone; the target is the slack policy's; quoting keeps commas;
 * optional columns may be empty. */
static void
test_promises(void **state)
{
	/* owner, account, text, promised_to, state */
	static const char *const want1[] = { "anna", "Acme",
		"Send the quote, signed", "Maria", "open" };
	static const char *const want2[] = { "bo", "Beta", "Call back", NULL,
		"open" };
	/* The events are each new promise's and account's. */
	static const struct counts added = { .promises = 2, .accounts = 2,
		.events = 4 };
	struct udb *u = *state;
	const char *got[5];
	const struct config_person *anna = config_person(u->cfg, "anna");
	struct timeutil_hours h;
	struct promise_slack slack;
	struct promise p;

	import_adds(u, IMPORT_PROMISES, "p.csv",
	    "owner,account,text,due,to\n"
	    "anna,Acme,\"Send the quote, signed\",2026-11-06,Maria\n"
	    "\n"
	    "bo,Beta,Call back,2026-11-05 10:00,\n", 2, &added);

	OK(promise_get(u->st, 1, &p, &err));
	PROMISE_FIELDS(p, got);
	ut_expect_fields("promise 1", got, want1, 5);
	assert_int_equal(p.made_at, now());
	udb_expect_moment("due", SE, p.due_at, S(2026, 11, 6, 17, 0));
	person_hours(anna, &h);
	slack.percent = u->cfg->promises.slack_percent;
	slack.min = u->cfg->promises.min_slack;
	slack.max = u->cfg->promises.max_slack;
	udb_expect_moment("target", SE, p.target_at,
	    promise_target(&h, &slack, now(), p.due_at));
	assert_true(p.target_at < p.due_at && p.target_at >= now());
	promise_clear(&p);

	OK(promise_get(u->st, 2, &p, &err));
	PROMISE_FIELDS(p, got);
	ut_expect_fields("promise 2", got, want2, 5);
	udb_expect_moment("due, bo", NY, p.due_at, N(2026, 11, 5, 10, 0));
	promise_clear(&p);
}

/* Deals: value in minor units, the close date at the end of the owner's
 * day, won_at at its start making the deal won. */
static void
test_deals(void **state)
{
	/* title, account, owner, stage, currency; the value (when it has
	 * one), closes_at and closed_at; and its account's last touch: when
	 * it was won, by its owner, or none for the open one. */
	static const struct {
		const char *fields[5];
		int has_value;
		int64_t value_minor;
		const char *zone;
		struct udb_wall closes, closed;
		const char *toucher;
	} want[] = {
		{ { "Big deal", "Acme", "anna", "open", "SEK" }, 1, 1250050,
		    SE, { 2026, 11, 13, 17, 0 }, { 0 }, NULL },
		{ { "Won deal", "Beta", "bo", "won", NULL }, 0, 0,
		    NY, { 0 }, { 2026, 10, 30, 8, 0 }, "bo" },
	};
	const char *got[5];
	struct udb *u = *state;
	struct deal d;
	char what[32];
	int64_t at, i;
	char *who, *why = NULL;

	import_ok(u, IMPORT_DEALS, "d.csv",
	    "title,account,owner,value,currency,closes,won_at\n"
	    "Big deal,Acme,anna,12500.50,sek,2026-11-13,\n"
	    "Won deal,Beta,bo,,,,2026-10-30\n", 2);
	assert_int_equal(udb_count(u->st, "deals"), 2);
	for (i = 0; i < 2; i++) {
		OK(deal_get(u->st, i + 1, &d, &err));
		DEAL_FIELDS(d, got);
		snprintf(what, sizeof(what), "deal %lld", (long long)i + 1);
		ut_expect_fields(what, got, want[i].fields, 5);
		assert_int_equal(!d.has_value, !want[i].has_value);
		if (want[i].has_value)
			assert_int_equal(d.value_minor, want[i].value_minor);
		udb_expect_moment(what, want[i].zone, d.closes_at,
		    udb_wall(want[i].zone, want[i].closes));
		udb_expect_moment(what, want[i].zone, d.closed_at,
		    udb_wall(want[i].zone, want[i].closed));
		/* The account's latest touch (none: no row, at 0, no
		 * owner) is the won deal's, by its owner. */
		assert_int_equal(store_value_int(u->st, LAST_TOUCH_AT,
		    STORE_ARGS(STORE_INT(d.account_id)), &at, "last touch",
		    &why), want[i].toucher != NULL);
		assert_int_equal(at, d.closed_at);
		assert_int_equal(store_value_text(u->st, LAST_TOUCH_BY,
		    STORE_ARGS(STORE_INT(d.account_id)), &who, "last touch",
		    &why), want[i].toucher != NULL);
		ut_expect_fields(what, (const char *const *)&who,
		    &want[i].toucher, 1);
		free(who);
		deal_clear(&d);
	}
}

static int
setup_cadence(void **state)
{
	return (*state = udb_open("import", cadence_conf)) != NULL ? 0 : -1;
}

/* A year of won deals: each account's stay-in-touch reminder is planned
 * once, from its last deal (Acme's 2026-09-01 + 90 days; Beta's already
 * overdue, so due now), with none made and withdrawn for the older ones. */
static void
test_deals_plan_cadences_once(void **state)
{
	struct udb *u = *state;

	import_ok(u, IMPORT_DEALS, "d.csv",
	    "title,account,owner,value,currency,closes,won_at\n"
	    "One,Acme,anna,,,,2026-01-10\n"
	    "Two,Acme,anna,,,,2026-05-04\n"
	    "Three,Acme,anna,,,,2026-09-01\n"
	    "Old,Beta,bo,,,,2026-02-02\n", 4);
	assert_int_equal(udb_int(u->st, "SELECT count(*) FROM followups WHERE "
	    "rule LIKE ?1 AND state = 'pending'", "cadence:%"), 2);
	assert_int_equal(udb_int(u->st, "SELECT count(*) FROM followups WHERE "
	    "rule LIKE ?1 AND state <> 'pending'", "cadence:%"), 0);
	assert_int_equal(udb_int(u->st, "SELECT count(*) FROM contacts WHERE "
	    "source = ?1", "deal"), 4);
	assert_int_equal(udb_int(u->st, "SELECT f.due_at FROM followups f JOIN "
	    "accounts a ON a.id = f.account_id WHERE a.name = ?1 AND f.rule "
	    "LIKE 'cadence:%'", "Acme"), S(2026, 11, 30, 8, 0));
}

/* Follow-ups: a date alone is the start of the owner's day; the reminder
 * moves into working time (a Saturday to Monday). */
static void
test_followups(void **state)
{
	/* owner, account, text, state, rule; due and remind_at. */
	static const struct {
		const char *fields[5];
		const char *zone;
		struct udb_wall due, remind;
	} want[] = {
		{ { "anna", "Acme", "Call about the renewal", "pending", NULL },
		    SE, { 2026, 11, 7, 8, 0 }, { 2026, 11, 9, 8, 0 } },
		{ { "bo", "Beta", "Send the deck", "pending", NULL },
		    NY, { 2026, 11, 4, 13, 0 }, { 2026, 11, 4, 13, 0 } },
	};
	/* The events are each new follow-up's and account's. */
	static const struct counts added = { .followups = 2, .accounts = 2,
		.events = 4 };
	const char *got[5];
	struct udb *u = *state;
	struct followup f;
	char what[32];
	int64_t i;

	import_adds(u, IMPORT_FOLLOWUPS, "f.csv",
	    "owner,account,text,at\n"
	    "anna,Acme,Call about the renewal,2026-11-07\n"
	    "bo,Beta,Send the deck,2026-11-04 13:00\n", 2, &added);
	for (i = 0; i < 2; i++) {
		OK(followup_get(u->st, i + 1, &f, &err));
		got[0] = f.owner;
		got[1] = f.account;
		got[2] = f.text;
		got[3] = f.state;
		got[4] = f.rule;
		snprintf(what, sizeof(what), "follow-up %lld", (long long)i + 1);
		ut_expect_fields(what, got, want[i].fields, 5);
		udb_expect_moment(what, want[i].zone, f.due_at,
		    udb_wall(want[i].zone, want[i].due));
		udb_expect_moment(what, want[i].zone, f.remind_at,
		    udb_wall(want[i].zone, want[i].remind));
		followup_clear(&f);
	}
}

/* A header alone imports nothing, successfully. */
static void
test_header_only(void **state)
{
	struct udb *u = *state;

	import_adds(u, IMPORT_PROMISES, "p.csv",
	    "owner,account,text,due\n", 0, NULL);
}

/* ---- bad files ---------------------------------------------------------- */

/* Every bad row named with its line, the good rows around them not
 * written either; then the corrected file goes in whole. */
static void
test_bad_rows(void **state)
{
	static const struct counts three = { .promises = 3, .accounts = 1,
		.events = 4 };
	struct udb *u = *state;

	/* A deal for the promise rows to refer to. */
	import_ok(u, IMPORT_DEALS, "d.csv",
	    "title,account,owner\nBig deal,Acme,anna\n", 1);

	expect_refused(u, IMPORT_PROMISES, "p.csv",
	    "owner,account,text,due,deal\n"
	    "anna,Acme,Good one,2026-11-06,1\n"
	    "zed,Acme,Unknown owner,2026-11-06,\n"
	    "anna,Acme,,2026-11-06,\n"
	    "anna,Acme,Bad date,someday,\n"
	    "anna,Acme,Too few\n"
	    "anna,Acme,Bad deal id,2026-11-06,x\n"
	    "anna,Acme,No such deal,2026-11-06,99\n"
	    ",Acme,No owner,2026-11-06,\n"
	    "anna,Acme,Good two,2026-11-06,\n",
	    "p.csv:3: unknown owner 'zed'\n"
	    "p.csv:4: text is empty\n"
	    "p.csv:5: due: cannot read 'someday' as a time: not recognised; "
	    ACCEPTED "\n"
	    "p.csv:6: 3 fields, the header has 5\n"
	    "p.csv:7: bad deal id 'x'\n"
	    "p.csv:8: no deal with id 99\n"
	    "p.csv:9: owner is empty\n"
	    "nothing imported: 7 bad rows");

	expect_refused(u, IMPORT_DEALS, "d.csv",
	    "title,account,owner,value,closes\n"
	    "Fine,Acme,anna,100,2026-11-13\n"
	    "Bad value,Acme,anna,lots,\n"
	    "Bad close,Acme,bo,,2026-13-45\n",
	    "d.csv:3: bad amount 'lots' (expected a number such as 12500 or "
	    "12500.50)\n"
	    "d.csv:4: closes: cannot read '2026-13-45' as a time: no such "
	    "date; " ACCEPTED "\n"
	    "nothing imported: 2 bad rows");

	/* A row spanning two lines (a line break is no text) is named by
	 * the line it starts on; the next row by its own. */
	expect_refused(u, IMPORT_FOLLOWUPS, "f.csv",
	    "owner,account,text,at\n"
	    "anna,Acme,\"Two\nlines\",2026-11-07\n"
	    "anna,,Call,2026-11-07\n",
	    "f.csv:2: text contains a control character at byte 4\n"
	    "f.csv:4: account is empty\n"
	    "nothing imported: 2 bad rows");

	/* The same promises, corrected: all of them go in. */
	import_adds(u, IMPORT_PROMISES, "p.csv",
	    "owner,account,text,due,deal\n"
	    "anna,Acme,Good one,2026-11-06,1\n"
	    "bo,Acme,Known owner,2026-11-06,\n"
	    "anna,Beta,Good two,2026-11-06,\n", 3, &three);  /* Beta */
	assert_int_equal(udb_int(u->st, "SELECT deal_id FROM promises "
	    "WHERE text = ?1", "Good one"), 1);
}

/* Past 50 bad rows the rest are counted. */
static void
test_many_bad_rows(void **state)
{
	struct udb *u = *state;
	struct counts before = counts(u), after;
	char *text, *msg;
	size_t size = 0, n;
	FILE *m;
	int i;

	assert_non_null(m = open_memstream(&text, &size));
	fputs("owner,account,text,due\n", m);
	for (i = 0; i < 60; i++)
		fprintf(m, "zed%d,Acme,Call,2026-11-06\n", i);
	fputs("anna,Acme,Call,2026-11-06\n", m);
	assert_int_equal(fclose(m), 0);
	assert_int_equal(import(u, IMPORT_PROMISES, "many.csv", text, &n,
	    &msg), -1);
	free(text);
	assert_non_null(msg);
	assert_non_null(strstr(msg, "many.csv:2: unknown owner 'zed0'\n"));
	assert_non_null(strstr(msg, "many.csv:51: unknown owner 'zed49'\n"
	    "... and 10 more bad rows\nnothing imported: 60 bad rows"));
	assert_null(strstr(msg, "zed50"));
	free(msg);
	after = counts(u);
	expect_counts(&after, &before, NULL);
}

/* The header: unknown, repeated and missing columns, and no header at
 * all, refused before any row. */
static void
test_bad_header(void **state)
{
	struct udb *u = *state;

	expect_refused(u, IMPORT_PROMISES, "h.csv",
	    "owner,account,text,due,colour\nanna,Acme,Call,2026-11-06,red\n",
	    "h.csv:1: unknown column 'colour' in the header");
	expect_refused(u, IMPORT_PROMISES, "h.csv",
	    "owner,account,owner,text,due\n",
	    "h.csv:1: column 'owner' appears twice");
	expect_refused(u, IMPORT_PROMISES, "h.csv",
	    "owner,account,text\nanna,Acme,Call\n",
	    "h.csv:1: the header lacks column 'due' (needs owner,account,"
	    "text,due)");
	expect_refused(u, IMPORT_DEALS, "h.csv",
	    "title,owner\n",
	    "h.csv:1: the header lacks column 'account' (needs title,"
	    "account,owner)");
	expect_refused(u, IMPORT_FOLLOWUPS, "e.csv", "",
	    "e.csv: empty file (expected a header row)");
	/* A quote left open: the file is malformed, nothing is written. */
	expect_refused(u, IMPORT_FOLLOWUPS, "q.csv",
	    "owner,account,text,at\nanna,Acme,\"Call,2026-11-07\n",
	    "q.csv:2: a quoted field is never closed");
}

/*
 * A row is named by the line it starts on, after a blank line too (the
 * blank line's number was given once: "b.csv:3" for the row on line 4,
 * and line 1 for a header after a blank first line).  Blank lines
 * themselves make no row.
 */
static void
test_line_after_blank_line(void **state)
{
	struct udb *u = *state;
	struct counts before = counts(u), after;
	size_t n;
	char *msg;
	int right;

	/* Without the blank line the row is named right. */
	expect_refused(u, IMPORT_PROMISES, "b.csv",
	    "owner,account,text,due\n"
	    "anna,Acme,Call,2026-11-06\n"
	    "zed,Acme,Call,2026-11-06\n",
	    "b.csv:3: unknown owner 'zed'\n"
	    "nothing imported: 1 bad row");

	assert_int_equal(import(u, IMPORT_PROMISES, "b.csv",
	    "owner,account,text,due\n"
	    "anna,Acme,Call,2026-11-06\n"
	    "\n"
	    "zed,Acme,Call,2026-11-06\n"
	    "zed,Acme,Call,2026-11-06\n", &n, &msg), -1);
	assert_non_null(msg);
	after = counts(u);
	expect_counts(&after, &before, NULL);
	right = strcmp(msg, "b.csv:4: unknown owner 'zed'\n"
	    "b.csv:5: unknown owner 'zed'\n"
	    "nothing imported: 2 bad rows") == 0;
	if (!right)
		print_error("got:\n%s\n", msg);
	free(msg);
	assert_true(right);
	expect_refused(u, IMPORT_DEALS, "h.csv",
	    "\ntitle,owner\n",
	    "h.csv:2: the header lacks column 'account' (needs title,"
	    "account,owner)");
}

/* ---- an export's files: tokens and external ids --------------------- */

#define TOKENS_HEAD "id,name,scope,hash,created,last_used\n"
#define DEALS_HEAD "title,account,owner,value,currency,closes,closed_at," \
	"stage,id,created,updated,history,external_ids\n"
/* An open deal of anna's with Acme, up to its external_ids cell. */
#define DEAL_ROW(title, id) title ",Acme,anna,,,,,open," id \
	",2026-11-01T09:00:00+01:00,2026-11-01T09:00:00+01:00,,"
/* The cell of one external id of source crm, as CSV quotes its JSON. */
#define EXTERNAL(id) \
	"\"[{\"\"source\"\":\"\"crm\"\",\"\"external_id\"\":\"\"" \
	id "\"\"}]\"\n"

/*
 * A token restored from an export's tokens.csv is the same token: its
 * secret, never in the export, authenticates against the restored hash.
 * A hash that is not 64 lower-case hex digits would lock its client out,
 * so it is refused with the line, and nothing is written.
 */
static void
test_restore_tokens(void **state)
{
	struct udb *u = *state;
	const char *secret = TOKEN_PREFIX "00112233445566778899aabbccddeeff"
	    "00112233445566778899aabbccddeeff";
	char hash[TOKEN_HASH_LEN + 1], *text, *msg = NULL;
	struct api_token t;

	expect_refused(u, IMPORT_TOKENS, "tokens.csv", TOKENS_HEAD
	    "1,crm,write,00112233445566778899AABBCCDDEEFF00112233445566778899"
	    "aabbccddeeff00112233,2026-11-01T09:00:00+01:00,\n",
	    "tokens.csv:2: hash must be 64 lower-case hex digits (the "
	    "token's SHA-256, as nudge export writes it)");
	expect_refused(u, IMPORT_TOKENS, "tokens.csv", TOKENS_HEAD
	    "1,crm,write,abc,2026-11-01T09:00:00+01:00,\n",
	    "tokens.csv:2: hash must be 64 lower-case hex digits (the "
	    "token's SHA-256, as nudge export writes it)");
	expect_refused(u, IMPORT_TOKENS, "tokens.csv", TOKENS_HEAD
	    "1,crm,admin,abc,2026-11-01T09:00:00+01:00,\n",
	    "tokens.csv:2: scope 'admin' is not one of read, write");
	token_hash(secret, hash);
	assert_true(asprintf(&text, TOKENS_HEAD
	    "1,crm,write,%s,2026-11-01T09:00:00+01:00,"
	    "2026-11-01T10:00:00+01:00\n"
	    "2,dash,read,%s,2026-11-01T09:00:00+01:00,\n", hash, hash) > 0);
	expect_refused(u, IMPORT_TOKENS, "tokens.csv", text,
	    "tokens.csv:3: token 'dash' has the hash of another token");
	free(text);
	assert_true(asprintf(&text, TOKENS_HEAD
	    "1,crm,write,%s,2026-11-01T09:00:00+01:00,"
	    "2026-11-01T10:00:00+01:00\n", hash) > 0);
	import_ok(u, IMPORT_TOKENS, "tokens.csv", text, 1);
	free(text);
	assert_int_equal(token_auth(u->st, secret, now(), &t, &msg), 1);
	assert_string_equal(t.name, "crm");
	assert_string_equal(t.scope, "write");
	assert_int_equal(t.created_at, S(2026, 11, 1, 9, 0));
	token_clear(&t);
}

/*
 * A deal's external ids come back with it; two deals under one (source,
 * external_id) would make a second "won" ambiguous, so the file is
 * refused at the second one and nothing is written.
 */
static void
test_restore_external_ids(void **state)
{
	struct udb *u = *state;

	import_ok(u, IMPORT_ACCOUNTS, "accounts.csv",
	    "id,name,created,history,paused_at,paused_until,contacts\n"
	    "1,Acme,2026-11-01T09:00:00+01:00,,,,\n", 1);
	expect_refused(u, IMPORT_DEALS, "deals.csv", DEALS_HEAD
	    DEAL_ROW("Roof", "1") EXTERNAL("42")
	    DEAL_ROW("Door", "2") EXTERNAL("42"),
	    "deals.csv:3: external id '42' of source 'crm' is deal 1's "
	    "already (one deal per source and external id)");
	expect_refused(u, IMPORT_DEALS, "deals.csv", DEALS_HEAD
	    DEAL_ROW("Roof", "1") "\"[{\"\"source\"\":\"\"crm\"\"}]\"\n",
	    "deals.csv:2: external_id is missing");
	import_ok(u, IMPORT_DEALS, "deals.csv", DEALS_HEAD
	    DEAL_ROW("Roof", "1") EXTERNAL("42")
	    DEAL_ROW("Door", "2") EXTERNAL("43"), 2);
	assert_int_equal(udb_count(u->st, "deal_external_ids"), 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_promises, setup,
		    udb_teardown),
		cmocka_unit_test_setup_teardown(test_deals, setup, udb_teardown),
		cmocka_unit_test_setup_teardown(test_deals_plan_cadences_once,
		    setup_cadence, udb_teardown),
		cmocka_unit_test_setup_teardown(test_followups, setup,
		    udb_teardown),
		cmocka_unit_test_setup_teardown(test_header_only, setup,
		    udb_teardown),
		cmocka_unit_test_setup_teardown(test_bad_rows, setup,
		    udb_teardown),
		cmocka_unit_test_setup_teardown(test_many_bad_rows, setup,
		    udb_teardown),
		cmocka_unit_test_setup_teardown(test_bad_header, setup,
		    udb_teardown),
		cmocka_unit_test_setup_teardown(test_line_after_blank_line,
		    setup, udb_teardown),
		cmocka_unit_test_setup_teardown(test_restore_tokens, setup,
		    udb_teardown),
		cmocka_unit_test_setup_teardown(test_restore_external_ids,
		    setup, udb_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
