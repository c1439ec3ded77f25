/*
 * Allocation-failure ("torture") tests, in the spirit of curl's: every
 * write of the use-case layer (lib/usecase.h) and the daemon's work in
 * lib/ (scheduling, the weekly summary, a delivery round, import) is run
 * once to count the allocations it makes (K), then again for each N in
 * 1..K with the Nth allocation failing (torture.h).  Each run starts from
 * the same database (a copy of a template file) and must end with
 *
 *   - no crash (ASan, valgrind: `make torture`);
 *   - an error with a message, or success when the failure was harmless;
 *   - the database as it was before (failure) or as the run without a
 *     failure left it (success): every row of every table is compared;
 *   - on success, the same result as the run without a failure;
 *   - nothing that was allocated during the call still allocated once its
 *     result is cleared and the store closed.
 *
 * A use-case gets no store (it opens its own, as the CLI's calls do, so
 * store_open() is tortured too); a daemon-side function gets one opened
 * before the call, as nudged's loop does.
 *
 * Environment: NUDGE_TORTURE_STEP=S runs every Sth N only (N = 1, 1+S,
 * ..., and K; scripts/test's brief run); NUDGE_TORTURE_ONLY=case or
 * case:N runs one case, or one N of it (to reproduce a failure, under a
 * debugger); NUDGE_TORTURE_VERBOSE=1 names each run.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "deal.h"
#include "delivery.h"
#include "effect.h"
#include "followup.h"
#include "import.h"
#include "outbox.h"
#include "promise.h"
#include "runstate.h"
#include "schedule.h"
#include "store.h"
#include "team_conf.h"
#include "timeutil.h"
#include "token.h"
#include "torture.h"
#include "unit_transport.h"
#include "usecase.h"

#define SE "Europe/Stockholm"

static const char torture_conf[] =
    TEAM_CONF_CHANNELS
    "ops = \"log\";\n"
    TEAM_CONF_PEOPLE("")
    TEAM_CONF_RULES
    "cadences = (\n"
    "  { name = \"key\"; every = \"30d\"; accounts = [ \"Acme\" ];\n"
    "    owner = \"anna\"; },\n"
    "  { name = \"others\"; every = \"90d\"; }\n"
    ");\n";

/* What the cases work on. */
static struct {
	char dir[64], conf[128], tmpl[128], db[128];
	struct config *cfg;
	time_t t0, now;
	int64_t deal_open, promise_a, promise_b, fu_done, fu_snooze;
	int64_t dead_a, dead_b;         /* dead deliveries */
	char *tmpl_bytes;       /* the template database file */
	size_t tmpl_len;
} fx;

/* The outcome of one call. */
enum { RES_OK, RES_REFUSED, RES_FAILED };
static const char *const r_names[] = { "ok", "refused", "failed" };

static int
r_of(enum uc_status s)
{
	return s == UC_OK ? RES_OK : s == UC_REFUSED ? RES_REFUSED : RES_FAILED;
}

/* --- describing results (after the call, unarmed) --- */

static char *
desc(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *
desc(const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	return s;
}

#define S_(s) ((s) != NULL ? (s) : "-")

/* --- the cases: run() arms, makes the case's call, disarms, and has the
 * case describe (and free) what the call returned --- */

/* A case's own check that failed (NULL: none), reported by run() for a
 * failed run as for a successful one. */
static const char *broken;

static struct uc_ctx
ctx_of(struct store **st)
{
	struct uc_ctx c = { fx.cfg, fx.now, st, fx.db, UC_BAD_INPUT };

	return c;
}

/* What a call returned, for the case's describe() once disarmed: a
 * member a kind of result.  Only what the call (or the case) sets is
 * read. */
union result {
	struct deal deal;
	struct promise promise;
	struct followup followup;
	struct uc_promise_added added;
	struct {
		char secret[TOKEN_SECRET_LEN + 1];
		struct api_token t;
	} token;
	struct {
		const struct config_person *p;
		int64_t id;
	} notified;
	struct uc_delivery_done done;
	struct uc_agenda agenda;
	struct uc_calendar_url url;
	int64_t revoked;
	char *ics;
	struct {
		struct runstate_health h;
		struct runstate rs;
	} health;
	struct {
		int made, queued, more;
	} counts;
	struct effect effect;
	struct {
		struct fake t;
		int claimed;
	} round;
	size_t imported;
	struct uc_contact_added contact;
	struct uc_account_paused paused;
};

/* What a case's call works with, and what it returns. */
struct call {
	struct uc_ctx c;        /* c.st: the store, opened or not */
	const void *arg;        /* the case's */
	union result r;
	int res;                /* RES_ of the call */
};

struct tcase {
	const char *name;
	int lib;        /* the store is opened before the call */
	/* The call, armed: RES_OK, RES_REFUSED or RES_FAILED. */
	int (*call)(struct call *k, char **errp);
	/* What the call returned, unarmed; k->r's own memory freed. */
	char *(*describe)(struct call *k);
	const void *arg;        /* the call's, when cases share one */
};

/* The daemon-side calls return 0 or -1. */
static int
rc_of(int rc)
{
	return rc == 0 ? RES_OK : RES_FAILED;
}

/* --- describing results --- */

static char *
said_deal(struct call *k)
{
	const struct deal *d = &k->r.deal;
	char *s = desc("deal %lld %s/%s/%s %s %lld %s %lld %lld %lld",
	    (long long)d->id, S_(d->title), S_(d->account), S_(d->owner),
	    S_(d->stage), (long long)d->value_minor, S_(d->currency),
	    (long long)d->closes_at, (long long)d->closed_at,
	    (long long)d->updated_at);
	deal_clear(&k->r.deal);
	return s;
}

static char *
desc_promise(const struct promise *p)
{
	return desc("promise %lld %s/%s/%s %s %lld %lld %lld %s %lld %d",
	    (long long)p->id, S_(p->text), S_(p->owner), S_(p->account),
	    S_(p->promised_to), (long long)p->due_at, (long long)p->target_at,
	    (long long)p->deal_id, S_(p->state), (long long)p->kept_at,
	    p->renegotiated);
}

static char *
said_promise(struct call *k)
{
	char *s = desc_promise(&k->r.promise);

	promise_clear(&k->r.promise);
	return s;
}

static char *
said_followup(struct call *k)
{
	const struct followup *f = &k->r.followup;
	char *s = desc("followup %lld %s/%s/%s %lld %lld %s %s %d %lld",
	    (long long)f->id, S_(f->owner), S_(f->text), S_(f->account),
	    (long long)f->due_at, (long long)f->remind_at, S_(f->state),
	    S_(f->note), f->snoozes, (long long)f->done_at);
	followup_clear(&k->r.followup);
	return s;
}

static char *
said_added(struct call *k)
{
	char *p = desc_promise(&k->r.added.promise), *w, *s;

	w = k->r.added.warnings != NULL ? json_dumps(k->r.added.warnings,
	    JSON_COMPACT) : NULL;
	s = desc("%s %s", S_(p), S_(w));
	free(p);
	free(w);
	uc_promise_added_clear(&k->r.added);
	return s;
}

/* The secret is random: its length is what a run shows. */
static char *
said_token(struct call *k)
{
	char *s = desc("%s %s %zu", S_(k->r.token.t.name),
	    S_(k->r.token.t.scope), strlen(k->r.token.secret));

	token_clear(&k->r.token.t);
	return s;
}

static char *
said_refusal(struct call *k)
{
	return desc("%d", (int)k->c.refusal);
}

static char *
said_notified(struct call *k)
{
	return desc("notify-test %lld %s", (long long)k->r.notified.id,
	    k->r.notified.p != NULL ? k->r.notified.p->handle : "-");
}

/* head, then each of the n rows that row() describes, after a "; ". */
static char *
desc_rows(const struct call *k, const char *head, size_t n,
    char *(*row)(const struct call *k, size_t i))
{
	char *acc = desc("%s", head), *one, *next;
	size_t i;

	for (i = 0; i < n && acc != NULL; i++) {
		one = row(k, i);
		next = one != NULL ? desc("%s; %s", acc, one) : NULL;
		free(one);
		free(acc);
		acc = next;
	}
	return acc;
}

/* said_name(): k->r.name's rows as row_fn() describes each, after
 * "name"; then the result cleared by clear_fn(). */
#define SAID_ROWS(name, row_fn, clear_fn)                                  \
	static char *said_##name(struct call *k)                            \
	{                                                                  \
		char *s = desc_rows(k, #name, k->r.name.n, row_fn);        \
									   \
		clear_fn(&k->r.name);                                      \
		return s;                                                  \
	}

/* A person's retry (of one, of every dead one) or dismissal: what it
 * returned, row by row. */
static char *
row_done(const struct call *k, size_t i)
{
	const struct outbox_item *it = &k->r.done.items[i];

	return desc("%lld %s %s %d %lld %s", (long long)it->id,
	    S_(it->delivery_id), S_(it->state), it->attempts,
	    (long long)it->next_attempt_at, S_(it->last_error));
}

SAID_ROWS(done, row_done, uc_delivery_done_clear)

static char *
row_agenda(const struct call *k, size_t i)
{
	const struct uc_agenda_item *it = &k->r.agenda.items[i];

	return desc("%s %lld %lld %s %s %s %d", it->kind, (long long)it->id,
	    (long long)it->at, S_(it->owner), S_(it->text), S_(it->account),
	    it->overdue);
}

SAID_ROWS(agenda, row_agenda, uc_agenda_clear)

static char *
said_url(struct call *k)
{
	char *s = desc("calendar url %s %s %lld", k->r.url.token,
	    S_(k->r.url.url), (long long)k->r.url.replaced);

	uc_calendar_url_clear(&k->r.url);
	return s;
}

static char *
said_revoked(struct call *k)
{
	return desc("calendar revoked %lld", (long long)k->r.revoked);
}

static char *
said_ics(struct call *k)
{
	char *s = desc("calendar %s", S_(k->r.ics));

	free(k->r.ics);
	return s;
}

static char *
said_health(struct call *k)
{
	const struct runstate_health *h = &k->r.health.h;
	char *s = desc("%s alive %d pid %lld age %lld", runstate_state_name(
	    h->state), h->alive, (long long)h->pid,
	    (long long)h->heartbeat_age);

	runstate_clear(&k->r.health.rs);
	return s;
}

static char *
said_made(struct call *k)
{
	return desc("made %d", k->r.counts.made);
}

static char *
said_due(struct call *k)
{
	return desc("queued %d more %d", k->r.counts.queued, k->r.counts.more);
}

static char *
said_effect(struct call *k)
{
	const struct effect *e = &k->r.effect;

	return k->res != RES_OK ? desc("failed") : desc("with %lld/%lld "
	    "without %lld/%lld kept %lld quiet %lld none %lld recent %lld",
	    (long long)e->chocolate.with.again, (long long)e->chocolate.with.n,
	    (long long)e->chocolate.without.again,
	    (long long)e->chocolate.without.n, (long long)e->cadence.with.n,
	    (long long)e->cadence.without.n, (long long)e->no_cadence,
	    (long long)e->too_recent);
}

/* The transport must hear of a failed round (what it took is dropped):
 * run() reports this whatever the result. */
static char *
said_round(struct call *k)
{
	if (k->res != RES_OK && k->r.round.t.undone == 0)
		broken = "failed, but the transport was not told (undone)";
	return desc("claimed %d taken %zu", k->r.round.claimed,
	    k->r.round.t.ntaken);
}

static char *
said_imported(struct call *k)
{
	return desc("imported %zu", k->r.imported);
}

static char *
said_contact(struct call *k)
{
	return desc("contact %lld account %lld at %lld next %lld",
	    (long long)k->r.contact.id, (long long)k->r.contact.account_id,
	    (long long)k->r.contact.at, (long long)k->r.contact.next_due);
}

static char *
said_paused(struct call *k)
{
	return desc("paused %lld until %lld next %lld",
	    (long long)k->r.paused.account_id, (long long)k->r.paused.until,
	    (long long)k->r.paused.next_due);
}

/* --- the calls: use-cases get no store (they open their own) --- */

static int
call_deal_add(struct call *k, char **errp)
{
	struct uc_deal_add req = { "New deal", "Cedar", "anna", "1 000,50",
		"EUR", "+3bd" };

	return r_of(uc_deal_add(&k->c, &req, &k->r.deal, errp));
}

static int
call_deal_close(struct call *k, char **errp)
{
	return r_of(uc_deal_close(&k->c, fx.deal_open, "won", "today 10:00",
	    &k->r.deal, errp));
}

static int
call_deal_import(struct call *k, char **errp)
{
	struct uc_deal_import req = { { "Order 1001", "Cedar", "anna",
		"99.50", "EUR", NULL }, "won", NULL, "shop", "1001" };
	int created;

	return r_of(uc_deal_import(&k->c, &req, &k->r.deal, &created, errp));
}

static int
call_token_add(struct call *k, char **errp)
{
	return r_of(uc_token_add(&k->c, "crm-sync", "write", k->r.token.secret,
	    &k->r.token.t, errp));
}

static int
call_token_revoke(struct call *k, char **errp)
{
	return r_of(uc_token_revoke(&k->c, "nobody", errp));
}

/* arg: strict, or not. */
static int
call_promise_add(struct call *k, char **errp)
{
	struct uc_promise_add req = { "Ship the demo", "anna", "Acme", 0,
		"mon 09:00", "Eva", *(const int *)k->arg, 0 };

	memset(&k->r.added, 0, sizeof(k->r.added));
	return r_of(uc_promise_add(&k->c, &req, &k->r.added, errp));
}

static int
call_followup_add(struct call *k, char **errp)
{
	struct uc_followup_add req = { "Follow the quote up", "bo", NULL,
		fx.deal_open, NULL, "2h", 0 };

	return r_of(uc_followup_add(&k->c, &req, &k->r.followup, errp));
}

/* k->arg: a change to the promise or follow-up at *id, in two words
 * (state and note, due and note, duration and until). */
struct change {
	enum uc_status (*promise)(struct uc_ctx *ctx, int64_t id,
	    const char *a, const char *b, struct promise *out, char **errp);
	enum uc_status (*followup)(struct uc_ctx *ctx, int64_t id,
	    const char *a, const char *b, struct followup *out, char **errp);
	const int64_t *id;
	const char *a, *b;
};

static int
call_change(struct call *k, char **errp)
{
	const struct change *ch = k->arg;

	return r_of(ch->promise != NULL ? ch->promise(&k->c, *ch->id, ch->a,
	    ch->b, &k->r.promise, errp) : ch->followup(&k->c, *ch->id, ch->a,
	    ch->b, &k->r.followup, errp));
}

static int
call_notify_test(struct call *k, char **errp)
{
	k->r.notified.p = NULL;
	k->r.notified.id = 0;
	return r_of(uc_notify_test(&k->c, "anna", &k->r.notified.p,
	    &k->r.notified.id, errp));
}

/* A person's retry or dismissal (k->arg), of one dead delivery or all. */
struct delivery_act {
	int dismiss, all;
};

static int
call_delivery_act(struct call *k, char **errp)
{
	const struct delivery_act *a = k->arg;
	struct uc_delivery_action req = { a->all ? 0 : fx.dead_a, a->all,
		a->all ? NULL : "receiver fixed" };

	return r_of(a->dismiss ? uc_delivery_dismiss(&k->c, &req, &k->r.done,
	    errp) : uc_delivery_retry(&k->c, &req, &k->r.done, errp));
}

static int
call_agenda(struct call *k, char **errp)
{
	memset(&k->r.agenda, 0, sizeof(k->r.agenda));
	return r_of(uc_agenda(&k->c, NULL, 14, &k->r.agenda, errp));
}

/* The calendar's address (the same token each run: torture.c's
 * getrandom), revoked, and the feed. */
static int
call_calendar_url(struct call *k, char **errp)
{
	return r_of(uc_calendar_url(&k->c, "bo", 0, &k->r.url, errp));
}

static int
call_calendar_revoke(struct call *k, char **errp)
{
	k->r.revoked = -1;
	return r_of(uc_calendar_revoke(&k->c, "anna", &k->r.revoked, errp));
}

static int
call_calendar_show(struct call *k, char **errp)
{
	k->r.ics = NULL;
	return r_of(uc_calendar_show(&k->c, "anna", &k->r.ics, errp));
}

static int
call_contact_add(struct call *k, char **errp)
{
	struct uc_contact_add req = { "Acme", "Eva", "lunch", "today 09:00",
		NULL };

	memset(&k->r.contact, 0, sizeof(k->r.contact));
	return r_of(uc_contact_add(&k->c, &req, &k->r.contact, errp));
}

static int
call_account_pause(struct call *k, char **errp)
{
	memset(&k->r.paused, 0, sizeof(k->r.paused));
	return r_of(uc_account_pause(&k->c, "Birch", "2027-01-10",
	    &k->r.paused, errp));
}

/* --- the daemon's calls in lib/: on the store opened before --- */

/* What `nudge status` says of the daemon: its lock probed, its row read. */
static int
call_runstate_health(struct call *k, char **errp)
{
	memset(&k->r.health.h, 0, sizeof(k->r.health.h));
	return rc_of(runstate_health(*k->c.st, fx.now, &k->r.health.rs,
	    &k->r.health.h, errp));
}

/* k->arg: schedule_events() or summary_make(), which make events. */
struct maker {
	int (*make)(struct store *st, const struct config *cfg, time_t now,
	    int *made, char **errp);
};

static int
call_make(struct call *k, char **errp)
{
	const struct maker *m = k->arg;

	k->r.counts.made = -1;
	return rc_of(m->make(*k->c.st, fx.cfg, fx.now, &k->r.counts.made,
	    errp));
}

static int
call_schedule_due(struct call *k, char **errp)
{
	k->r.counts.queued = k->r.counts.more = -1;
	return rc_of(schedule_due(*k->c.st, fx.cfg, fx.now,
	    &k->r.counts.queued, &k->r.counts.more, errp));
}

/* Does it pay off, 200 days on: the deals won have had their horizon,
 * so each case's second chocolate and touches are read too. */
static int
call_effect_build(struct call *k, char **errp)
{
	return rc_of(effect_build(*k->c.st, fx.cfg, NULL, fx.t0 - 86400,
	    fx.now + 200 * 86400, 180 * 86400, &k->r.effect, errp));
}

static int
call_delivery_round(struct call *k, char **errp)
{
	/* A transport that settles each row it takes at once: the log
	 * channel delivers, the chat channel refuses for good (the row is
	 * dead and ops hears of it).  One chat row a round: the claim passes
	 * over the others and goes again without the chat channel. */
	const struct delivery_transport tr = fake_transport(&k->r.round.t,
	    "chat", 1);

	k->r.round.t.decide = fx.cfg;
	k->r.round.t.gone = "chat";
	k->r.round.claimed = -1;
	return rc_of(delivery_round(*k->c.st, fx.now, 1, &tr,
	    &k->r.round.claimed, errp));
}

/* k->arg: what kind of file and its text. */
struct import_case {
	enum import_kind kind;
	const char *csv;
};

static int
call_import(struct call *k, char **errp)
{
	const struct import_case *ic = k->arg;
	/* (libc's memory, neither counted nor failed) */
	FILE *in = fmemopen((void *)(uintptr_t)ic->csv, strlen(ic->csv), "r");
	int rc;

	if (in == NULL) {
		perror("fmemopen");
		exit(2);
	}
	k->r.imported = 0;
	rc = import_csv(*k->c.st, fx.cfg, ic->kind, in, "in.csv", fx.now, 1,
	    &k->r.imported, errp);
	fclose(in);
	return rc_of(rc);
}

/* --- the table --- */

static const int lax = 0, strict = 1;
static const struct delivery_act retry = { 0, 0 }, retry_all = { 0, 1 },
    dismiss = { 1, 0 };
static const struct maker events = { schedule_events },
    summary = { summary_make };
static const struct change kept = { uc_promise_finish, NULL, &fx.promise_a,
	"kept", NULL };
static const struct change renegotiated = { uc_promise_renegotiate, NULL,
	&fx.promise_b, "+5bd", "it slipped" };
static const struct change done = { NULL, uc_followup_finish, &fx.fu_done,
	"done", "talked to Eva" };
static const struct change snoozed = { NULL, uc_followup_snooze,
	&fx.fu_snooze, "1d", NULL };

static const struct import_case promises_csv = { IMPORT_PROMISES,
	"owner,account,text,due,to\n"
	"anna,Acme,Send the contract,2026-11-20,Eva\n"
	"bo,Newco,\"Call, then mail\",2026-11-25 10:00,\n"
	"anna,Birch,Visit,mon 09:00,Per\n" };
static const struct import_case deals_csv = { IMPORT_DEALS,
	"title,account,owner,value,currency,closes\n"
	"Renewal,Acme,anna,5000,SEK,2026-12-01\n"
	"Pilot,Newco,bo,,,\n" };
static const struct import_case followups_csv = { IMPORT_FOLLOWUPS,
	"owner,account,text,at\n"
	"anna,Acme,Ask about the pilot,2026-11-10 10:00\n"
	"bo,Birch,Prepare the review,2026-11-11 09:00\n" };
/* An export's tokens.csv restored: the hash checked, the name and hash
 * looked up, the row written. */
static const struct import_case tokens_csv = { IMPORT_TOKENS,
	"id,name,scope,hash,created,last_used\n"
	"7,crm-sync,write,00112233445566778899aabbccddeeff00112233445566"
	"778899aabbccddeeff,2026-11-01T09:00:00+01:00,"
	"2026-11-01T10:00:00+01:00\n" };

static const struct tcase cases[] = {
	{ "deal_add", 0, call_deal_add, said_deal, NULL },
	{ "deal_close", 0, call_deal_close, said_deal, NULL },
	{ "deal_import", 0, call_deal_import, said_deal, NULL },
	{ "token_add", 0, call_token_add, said_token, NULL },
	{ "token_revoke", 0, call_token_revoke, said_refusal, NULL },
	{ "promise_add", 0, call_promise_add, said_added, &lax },
	{ "promise_add_strict", 0, call_promise_add, said_added, &strict },
	{ "promise_finish", 0, call_change, said_promise, &kept },
	{ "promise_renegotiate", 0, call_change, said_promise,
	    &renegotiated },
	{ "followup_add", 0, call_followup_add, said_followup, NULL },
	{ "followup_finish", 0, call_change, said_followup, &done },
	{ "followup_snooze", 0, call_change, said_followup, &snoozed },
	{ "notify_test", 0, call_notify_test, said_notified, NULL },
	{ "delivery_retry", 0, call_delivery_act, said_done, &retry },
	{ "delivery_retry_all", 0, call_delivery_act, said_done, &retry_all },
	{ "delivery_dismiss", 0, call_delivery_act, said_done, &dismiss },
	{ "agenda", 0, call_agenda, said_agenda, NULL },
	{ "calendar_url", 0, call_calendar_url, said_url, NULL },
	{ "calendar_revoke", 0, call_calendar_revoke, said_revoked, NULL },
	{ "calendar_show", 0, call_calendar_show, said_ics, NULL },
	{ "contact_add", 0, call_contact_add, said_contact, NULL },
	{ "account_pause", 0, call_account_pause, said_paused, NULL },
	{ "runstate_health", 1, call_runstate_health, said_health, NULL },
	{ "schedule_events", 1, call_make, said_made, &events },
	{ "schedule_due", 1, call_schedule_due, said_due, NULL },
	{ "summary_make", 1, call_make, said_made, &summary },
	{ "effect_build", 1, call_effect_build, said_effect, NULL },
	{ "delivery_round", 1, call_delivery_round, said_round, NULL },
	{ "import_promises", 1, call_import, said_imported, &promises_csv },
	{ "import_deals", 1, call_import, said_imported, &deals_csv },
	{ "import_followups", 1, call_import, said_imported, &followups_csv },
	{ "import_tokens", 1, call_import, said_imported, &tokens_csv },
};

/* --- the database: the template, copies of it, every row of it --- */

static void
die(const char *what, const char *err)
{
	fprintf(stderr, "torture: %s: %s\n", what, err != NULL ? err : "?");
	exit(2);
}

static time_t
local(int y, int mo, int d, int h, int mi)
{
	time_t t = 0;

	if (timeutil_make_local(SE, y, mo, d, h, mi, 0, &t) != 0)
		die("timeutil_make_local", "no such moment");
	return t;
}

static void
remove_db(const char *path)
{
	char p[160];

	unlink(path);
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
}

static void
read_file(const char *path, char **bytes, size_t *len)
{
	FILE *f = fopen(path, "rb");
	long n = 0;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0 || (*bytes = malloc((size_t)n)) == NULL ||
	    fread(*bytes, 1, (size_t)n, f) != (size_t)n)
		die(path, strerror(errno));
	*len = (size_t)n;
	fclose(f);
}

/* A fresh copy of the template at fx.db. */
static void
restore(void)
{
	FILE *f;

	remove_db(fx.db);
	if ((f = fopen(fx.db, "wb")) == NULL ||
	    fwrite(fx.tmpl_bytes, 1, fx.tmpl_len, f) != fx.tmpl_len ||
	    fclose(f) != 0)
		die(fx.db, strerror(errno));
}

/* Every row of every table (by name, then rowid), one line a row. */
static char *
dump(const char *path)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *t = NULL, *q = NULL;
	char *buf = NULL, *sql;
	size_t len = 0;
	FILE *out;
	int i;

	if ((out = open_memstream(&buf, &len)) == NULL)
		die("open_memstream", strerror(errno));
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK || sqlite3_prepare_v2(db, "SELECT name FROM "
	    "sqlite_master WHERE type = 'table' ORDER BY name", -1, &t,
	    NULL) != SQLITE_OK)
		die(path, sqlite3_errmsg(db));
	while (sqlite3_step(t) == SQLITE_ROW) {
		sql = sqlite3_mprintf("SELECT * FROM \"%w\" ORDER BY rowid",
		    (const char *)sqlite3_column_text(t, 0));
		if (sql == NULL || sqlite3_prepare_v2(db, sql, -1, &q, NULL) !=
		    SQLITE_OK)
			die(path, sqlite3_errmsg(db));
		sqlite3_free(sql);
		while (sqlite3_step(q) == SQLITE_ROW) {
			fprintf(out, "%s:", sqlite3_column_text(t, 0));
			for (i = 0; i < sqlite3_column_count(q); i++)
				fprintf(out, " %s", sqlite3_column_type(q, i) ==
				    SQLITE_NULL ? "NULL" :
				    (const char *)sqlite3_column_text(q, i));
			fputc('\n', out);
		}
		sqlite3_finalize(q);
	}
	sqlite3_finalize(t);
	sqlite3_close(db);
	if (fclose(out) != 0)
		die("dump", strerror(errno));
	return buf;
}

/* With NUDGE_TORTURE_SAVE=DIR, what was wanted and what was got, as
 * DIR/want and DIR/got (for diff -u). */
static void
save_diff(const char *a, const char *b)
{
	const char *dir = getenv("NUDGE_TORTURE_SAVE");
	char path[512];
	FILE *f;

	if (dir == NULL)
		return;
	snprintf(path, sizeof(path), "%s/want", dir);
	if ((f = fopen(path, "w")) != NULL)
		fputs(a, f), fclose(f);
	snprintf(path, sizeof(path), "%s/got", dir);
	if ((f = fopen(path, "w")) != NULL)
		fputs(b, f), fclose(f);
}

/* The first line where a and b differ. */
static void
show_diff(const char *what, const char *a, const char *b)
{
	size_t la, lb;

	save_diff(a, b);
	while (*a != '\0' && *b != '\0') {
		la = strcspn(a, "\n");
		lb = strcspn(b, "\n");
		if (la != lb || memcmp(a, b, la) != 0)
			break;
		a += la + (a[la] != '\0');
		b += lb + (b[lb] != '\0');
	}
	fprintf(stderr, "    %s: want \"%.*s\"\n    %*s  got  \"%.*s\"\n", what,
	    (int)strcspn(a, "\n"), a, (int)strlen(what), "",
	    (int)strcspn(b, "\n"), b);
}

/* The template: a few deals, promises and follow-ups made on Monday
 * 2 Nov 2026 at 09:00; events not yet expanded by the rules, a follow-up
 * already queued on anna's two channels.  The cases run on Friday 6 Nov at
 * 16:30, half an hour after the weekly summary's moment. */
/* Two dead deliveries, for the retry and dismiss cases: a later round
 * of a queued one's follow-up (the queued ones stay for the delivery
 * round). */
static void
template_dead(struct store *st)
{
	struct outbox_item *v = NULL;
	struct outbox_new q[2];
	char *err = NULL;
	size_t n;

	if (outbox_list(st, "queued", &v, &n, &err) != 0)
		die("outbox_list", err);
	if (n < 1)
		die("template", "no delivery queued");
	q[0].followup_id = q[1].followup_id = v[0].followup_id;
	outbox_list_free(v, n);
	q[0].channel = "chat";
	q[1].channel = "log";
	q[0].round = q[1].round = 1;
	if (outbox_enqueue(st, q, 2, fx.t0, &err) != 0 ||
	    outbox_list(st, "queued", &v, &n, &err) != 0)
		die("outbox_enqueue", err);
	fx.dead_a = v[n - 2].id;
	fx.dead_b = v[n - 1].id;
	outbox_list_free(v, n);
	if (outbox_mark_failed(st, fx.dead_a, "HTTP 410", 0, fx.t0, &err) !=
	    0 || outbox_mark_failed(st, fx.dead_b, "SMTP 550", 0, fx.t0,
	    &err) != 0)
		die("outbox_mark_failed", err);
}

static void
make_template(void)
{
	struct store *st = NULL;
	struct uc_ctx c = { NULL, 0, &st, fx.tmpl, UC_BAD_INPUT };
	struct uc_deal_add d1 = { "Big deal", "Acme", "anna", "12 500,50",
		"SEK", "fri" };
	struct uc_deal_add d2 = { "Small deal", "Birch", "bo", NULL, NULL,
		NULL };
	struct uc_promise_add p1 = { "Send the quote", "anna", "Acme", 0,
		"thu 12:00", "Eva", 0, 0 };
	struct uc_promise_add p2 = { "Call back", "bo", NULL, 0, "2026-11-20",
		NULL, 0, 0 };
	struct uc_followup_add f1 = { "Check in", "anna", "Acme", 0,
		"tue 10:00", NULL, 0 };
	struct uc_followup_add f2 = { "Ping", "bo", "Birch", 0, "fri 09:00",
		NULL, 0 };
	struct uc_followup_add f3 = { "Later", "anna", NULL, 0, NULL, "2d",
		0 };
	struct uc_promise_added pa;
	struct uc_calendar_url cu;
	struct deal d;
	struct followup f;
	char *err = NULL;
	int queued, more;

	c.cfg = fx.cfg;
	c.now = fx.t0;
#define UC(call, what)                                                      \
	do {                                                                \
		if ((call) != UC_OK)                                        \
			die(what, err);                                     \
	} while (0)
	UC(uc_deal_add(&c, &d1, &d, &err), "deal 1");
	fx.deal_open = d.id;
	deal_clear(&d);
	UC(uc_deal_add(&c, &d2, &d, &err), "deal 2");
	p2.deal_id = d.id;
	deal_clear(&d);
	UC(uc_promise_add(&c, &p1, &pa, &err), "promise 1");
	fx.promise_a = pa.promise.id;
	uc_promise_added_clear(&pa);
	UC(uc_promise_add(&c, &p2, &pa, &err), "promise 2");
	fx.promise_b = pa.promise.id;
	uc_promise_added_clear(&pa);
	UC(uc_followup_add(&c, &f1, &f, &err), "follow-up 1");
	followup_clear(&f);
	UC(uc_followup_add(&c, &f2, &f, &err), "follow-up 2");
	fx.fu_done = f.id;
	followup_clear(&f);
	UC(uc_followup_add(&c, &f3, &f, &err), "follow-up 3");
	fx.fu_snooze = f.id;
	followup_clear(&f);
	c.now = fx.t0 + 3600;
	UC(uc_deal_close(&c, p2.deal_id, "won", NULL, &d, &err), "deal won");
	deal_clear(&d);
	UC(uc_calendar_url(&c, "anna", 0, &cu, &err), "calendar url");
	uc_calendar_url_clear(&cu);
#undef UC
	if (schedule_due(st, fx.cfg, local(2026, 11, 3, 10, 30), &queued,
	    &more, &err) != 0 || queued < 1)
		die("schedule_due", err);
	template_dead(st);
	store_close(st);
	read_file(fx.tmpl, &fx.tmpl_bytes, &fx.tmpl_len);
}

/* --- running --- */

static char current[96];
static int shown;               /* problems shown of this case */

static void
on_death(void)
{
	fprintf(stderr, "torture: died in %s (reproduce with "
	    "NUDGE_TORTURE_ONLY=%s)\n", current, current);
}

static void
on_signal(int sig)
{
	on_death();
	signal(sig, SIG_DFL);
	raise(sig);
}

void __sanitizer_set_death_callback(void (*)(void)) __attribute__((weak));

/* One run of c with the nth allocation failing (0: none); the number of
 * problems found.  ref: the run without a failure (NULL: this is it). */
struct outcome {
	int r;
	long k;
	char *out, *db;
};

static int
run(const struct tcase *c, long n, const char *start,
    const struct outcome *ref, struct outcome *o)
{
	struct store *st = NULL;
	struct call call;
	char *err = NULL, *out, *db, msg[512];
	int problems = 0, r, hit, had_err, open_tx;
	long k;
	size_t live;

	snprintf(current, sizeof(current), "%s:%ld", c->name, n);
	if (getenv("NUDGE_TORTURE_VERBOSE") != NULL)
		fprintf(stderr, "  %s\n", current);
	restore();
	if (c->lib && store_open(fx.db, 0, &st, &err) != 0)
		die("store_open", err);
	srandom(1);
	broken = NULL;
	call.c = ctx_of(&st);
	call.arg = c->arg;
	torture_arm(n);
	r = call.res = o->r = c->call(&call, &err);
	k = torture_disarm();
	hit = torture_hit();
	out = c->describe(&call);
	/* Closing rolls back what is left open, as nudged's long-lived
	 * store would not: its next round would commit it. */
	open_tx = st != NULL && !sqlite3_get_autocommit(store_db(st));
	store_close(st);
	/* The message is the caller's too: freed before counting. */
	snprintf(msg, sizeof(msg), "%s", S_(err));
	had_err = err != NULL;
	free(err);
	err = NULL;
	live = torture_live();
	db = dump(fx.db);
	/* The first few problems of a case are shown, then only counted. */
#define PROBLEM(...)                                                        \
	do {                                                                \
		if (shown++ < 8) {                                          \
			fprintf(stderr, "torture: %s: ", current);          \
			fprintf(stderr, __VA_ARGS__);                       \
			fputc('\n', stderr);                                \
		}                                                           \
		problems++;                                                 \
	} while (0)
	if (open_tx)
		PROBLEM("%s (%s), but left a transaction open", r_names[r],
		    msg);
	if (broken != NULL)
		PROBLEM("%s", broken);
	if (live != 0) {
		PROBLEM("%zu block(s) allocated during the call still "
		    "allocated (the first was allocation %ld)", live,
		    torture_live_first());
		torture_forget();
	}
	if (ref == NULL) {
		o->k = k;
		o->out = out;
		o->db = db;
		if (r == RES_FAILED)
			PROBLEM("fails without an allocation failure: %s",
			    msg);
		return problems;
	}
	if (!hit)
		PROBLEM("allocation %ld was not reached (%ld made): the "
		    "call is not deterministic", n, k);
	if (r == RES_OK) {
		if (ref->r != RES_OK)
			PROBLEM("succeeds, but %s without a failure",
			    r_names[ref->r]);
		if (strcmp(out, ref->out) != 0) {
			PROBLEM("succeeds with another result");
			if (shown <= 8)
				show_diff("result", ref->out, out);
		}
		if (strcmp(db, ref->db) != 0) {
			PROBLEM("succeeds, but the database differs from a "
			    "run without a failure");
			if (shown <= 8)
				show_diff("row", ref->db, db);
		}
	} else {
		if (!had_err)
			PROBLEM("%s without a message", r_names[r]);
		if (strcmp(db, start) != 0) {
			PROBLEM("%s (%s), but wrote to the database",
			    r_names[r], msg);
			if (shown <= 8)
				show_diff("row", start, db);
		}
	}
	free(out);
	free(db);
	return problems;
#undef PROBLEM
}

static double
seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(void)
{
	const char *only = getenv("NUDGE_TORTURE_ONLY");
	const char *step_env = getenv("NUDGE_TORTURE_STEP");
	long step = step_env != NULL ? atol(step_env) : 1, only_n = 0, n;
	size_t only_len = 0, i;
	struct outcome ref, o;
	char *err = NULL, *start;
	int problems = 0, p, cases_run = 0;
	long runs = 0, runs0, nok;
	double t0 = seconds(), tc;

	if (torture_init() != 0)
		die("torture_init", "SQLite is already initialised");
	if (step < 1)
		step = 1;
	if (only != NULL) {
		const char *colon = strchr(only, ':');

		only_len = colon != NULL ? (size_t)(colon - only) :
		    strlen(only);
		only_n = colon != NULL ? atol(colon + 1) : 0;
	}
	if (__sanitizer_set_death_callback != NULL)
		__sanitizer_set_death_callback(on_death);
	signal(SIGSEGV, on_signal);
	signal(SIGABRT, on_signal);
	signal(SIGBUS, on_signal);
	signal(SIGFPE, on_signal);

	snprintf(fx.dir, sizeof(fx.dir), "/tmp/nudge-torture-XXXXXX");
	if (mkdtemp(fx.dir) == NULL)
		die("mkdtemp", strerror(errno));
	snprintf(fx.conf, sizeof(fx.conf), "%s/nudge.conf", fx.dir);
	snprintf(fx.tmpl, sizeof(fx.tmpl), "%s/template.db", fx.dir);
	snprintf(fx.db, sizeof(fx.db), "%s/nudge.db", fx.dir);
	{
		FILE *f = fopen(fx.conf, "w");

		if (f == NULL || fputs(torture_conf, f) < 0 || fclose(f) != 0)
			die(fx.conf, strerror(errno));
	}
	if (config_load(fx.conf, &fx.cfg, &err) != 0)
		die("config_load", err);
	fx.t0 = local(2026, 11, 2, 9, 0);
	fx.now = local(2026, 11, 6, 16, 30);
	make_template();
	restore();
	start = dump(fx.db);

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct tcase *c = &cases[i];

		if (only != NULL && (strlen(c->name) != only_len ||
		    strncmp(c->name, only, only_len) != 0))
			continue;
		tc = seconds();
		cases_run++;
		shown = 0;
		memset(&ref, 0, sizeof(ref));
		p = run(c, 0, start, NULL, &ref);
		nok = 0;
		runs0 = runs;
		for (n = 1; n <= ref.k; n += (n + step > ref.k && n < ref.k) ?
		    ref.k - n : step) {
			if (only_n != 0 && n != only_n)
				continue;
			p += run(c, n, start, &ref, &o);
			runs++;
			if (o.r == RES_OK)
				nok++;
		}
		printf("torture: %-20s %-7s K=%-5ld %5ld failed cleanly, "
		    "%4ld harmless, %5.1f s%s\n", c->name, r_names[ref.r],
		    ref.k, runs - runs0 - nok, nok, seconds() - tc,
		    p ? " FAILED" : "");
		problems += p;
		free(ref.out);
		free(ref.db);
	}
	free(start);
	config_free(fx.cfg);
	remove_db(fx.db);
	remove_db(fx.tmpl);
	unlink(fx.conf);
	rmdir(fx.dir);
	free(fx.tmpl_bytes);
	printf("torture: %d cases, %ld runs (N step %ld), %d problems, "
	    "%.1f s\n", cases_run, runs, step, problems, seconds() - t0);
	return problems == 0 ? 0 : 1;
}
