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
#include "summary.h"
#include "team_conf.h"
#include "timeutil.h"
#include "token.h"
#include "torture.h"
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

static char *
desc_deal(const struct deal *d)
{
	return desc("deal %lld %s/%s/%s %s %lld %s %lld %lld %lld",
	    (long long)d->id, S_(d->title), S_(d->account), S_(d->owner),
	    S_(d->stage), (long long)d->value_minor, S_(d->currency),
	    (long long)d->closes_at, (long long)d->closed_at,
	    (long long)d->updated_at);
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
desc_followup(const struct followup *f)
{
	return desc("followup %lld %s/%s/%s %lld %lld %s %s %d %lld",
	    (long long)f->id, S_(f->owner), S_(f->text), S_(f->account),
	    (long long)f->due_at, (long long)f->remind_at, S_(f->state),
	    S_(f->note), f->snoozes, (long long)f->done_at);
}

/* --- the cases: each arms, calls, disarms, describes and clears --- */

/* A case's own check that failed (NULL: none), reported by run() for a
 * failed run as for a successful one. */
static const char *broken;

static struct uc_ctx
ctx_of(struct store **st)
{
	struct uc_ctx c = { fx.cfg, fx.now, st, fx.db, UC_BAD_INPUT };

	return c;
}

static int
case_deal_add(struct store **st, long n, char **errp, char **out)
{
	struct uc_ctx c = ctx_of(st);
	struct uc_deal_add req = { "New deal", "Cedar", "anna", "1 000,50",
		"EUR", "+3bd" };
	struct deal d;
	enum uc_status s;

	torture_arm(n);
	s = uc_deal_add(&c, &req, &d, errp);
	torture_disarm();
	*out = desc_deal(&d);
	deal_clear(&d);
	return r_of(s);
}

static int
case_deal_close(struct store **st, long n, char **errp, char **out)
{
	struct uc_ctx c = ctx_of(st);
	struct deal d;
	enum uc_status s;

	torture_arm(n);
	s = uc_deal_close(&c, fx.deal_open, "won", "today 10:00", &d, errp);
	torture_disarm();
	*out = desc_deal(&d);
	deal_clear(&d);
	return r_of(s);
}

static int
case_deal_import(struct store **st, long n, char **errp, char **out)
{
	struct uc_ctx c = ctx_of(st);
	struct uc_deal_import req = { { "Order 1001", "Cedar", "anna",
		"99.50", "EUR", NULL }, "won", NULL, "shop", "1001" };
	struct deal d;
	enum uc_status s;
	int created;

	torture_arm(n);
	s = uc_deal_import(&c, &req, &d, &created, errp);
	torture_disarm();
	*out = desc_deal(&d);
	deal_clear(&d);
	return r_of(s);
}

static int
case_token_add(struct store **st, long n, char **errp, char **out)
{
	struct uc_ctx c = ctx_of(st);
	char secret[TOKEN_SECRET_LEN + 1];
	struct api_token t;
	enum uc_status s;

	torture_arm(n);
	s = uc_token_add(&c, "crm-sync", "write", secret, &t, errp);
	torture_disarm();
	/* The secret is random: its length is what a run shows. */
	*out = desc("%s %s %zu", S_(t.name), S_(t.scope), strlen(secret));
	token_clear(&t);
	return r_of(s);
}

static int
case_token_revoke(struct store **st, long n, char **errp, char **out)
{
	struct uc_ctx c = ctx_of(st);
	enum uc_status s;

	torture_arm(n);
	s = uc_token_revoke(&c, "nobody", errp);
	torture_disarm();
	*out = desc("%d", (int)c.refusal);
	return r_of(s);
}

static int
promise_add(struct store **st, long n, int strict, char **errp, char **out)
{
	struct uc_ctx c = ctx_of(st);
	struct uc_promise_add req = { "Ship the demo", "anna", "Acme", 0,
		"mon 09:00", "Eva", strict, 0 };
	struct uc_promise_added r;
	enum uc_status s;
	char *w, *p;

	memset(&r, 0, sizeof(r));
	torture_arm(n);
	s = uc_promise_add(&c, &req, &r, errp);
	torture_disarm();
	p = desc_promise(&r.promise);
	w = r.warnings != NULL ? json_dumps(r.warnings, JSON_COMPACT) : NULL;
	*out = desc("%s %s", S_(p), S_(w));
	free(p);
	free(w);
	uc_promise_added_clear(&r);
	return r_of(s);
}

static int
case_promise_add(struct store **st, long n, char **errp, char **out)
{
	return promise_add(st, n, 0, errp, out);
}

static int
case_promise_add_strict(struct store **st, long n, char **errp, char **out)
{
	return promise_add(st, n, 1, errp, out);
}

static int
case_promise_finish(struct store **st, long n, char **errp, char **out)
{
	struct uc_ctx c = ctx_of(st);
	struct promise p;
	enum uc_status s;

	torture_arm(n);
	s = uc_promise_finish(&c, fx.promise_a, "kept", NULL, &p, errp);
	torture_disarm();
	*out = desc_promise(&p);
	promise_clear(&p);
	return r_of(s);
}

static int
case_promise_renegotiate(struct store **st, long n, char **errp, char **out)
{
	struct uc_ctx c = ctx_of(st);
	struct promise p;
	enum uc_status s;

	torture_arm(n);
	s = uc_promise_renegotiate(&c, fx.promise_b, "+5bd", "it slipped",
	    &p, errp);
	torture_disarm();
	*out = desc_promise(&p);
	promise_clear(&p);
	return r_of(s);
}

static int
case_followup_add(struct store **st, long n, char **errp, char **out)
{
	struct uc_ctx c = ctx_of(st);
	struct uc_followup_add req = { "Follow the quote up", "bo", NULL,
		fx.deal_open, NULL, "2h", 0 };
	struct followup f;
	enum uc_status s;

	torture_arm(n);
	s = uc_followup_add(&c, &req, &f, errp);
	torture_disarm();
	*out = desc_followup(&f);
	followup_clear(&f);
	return r_of(s);
}

static int
case_followup_finish(struct store **st, long n, char **errp, char **out)
{
	struct uc_ctx c = ctx_of(st);
	struct followup f;
	enum uc_status s;

	torture_arm(n);
	s = uc_followup_finish(&c, fx.fu_done, "done", "talked to Eva", &f,
	    errp);
	torture_disarm();
	*out = desc_followup(&f);
	followup_clear(&f);
	return r_of(s);
}

static int
case_followup_snooze(struct store **st, long n, char **errp, char **out)
{
	struct uc_ctx c = ctx_of(st);
	struct followup f;
	enum uc_status s;

	torture_arm(n);
	s = uc_followup_snooze(&c, fx.fu_snooze, "1d", NULL, &f, errp);
	torture_disarm();
	*out = desc_followup(&f);
	followup_clear(&f);
	return r_of(s);
}

static int
case_notify_test(struct store **st, long n, char **errp, char **out)
{
	struct uc_ctx c = ctx_of(st);
	const struct config_person *p = NULL;
	int64_t id = 0;
	enum uc_status s;

	torture_arm(n);
	s = uc_notify_test(&c, "anna", &p, &id, errp);
	torture_disarm();
	*out = desc("notify-test %lld %s", (long long)id,
	    p != NULL ? p->handle : "-");
	return r_of(s);
}

/* A person's retry (of one, of every dead one) or dismissal: what it
 * returned, row by row. */
static char *
desc_done(const struct uc_delivery_done *d)
{
	char *acc = desc("done"), *next;
	size_t i;

	for (i = 0; i < d->n && acc != NULL; i++) {
		next = desc("%s; %lld %s %s %d %lld %s", acc,
		    (long long)d->items[i].id, S_(d->items[i].delivery_id),
		    S_(d->items[i].state), d->items[i].attempts,
		    (long long)d->items[i].next_attempt_at,
		    S_(d->items[i].last_error));
		free(acc);
		acc = next;
	}
	return acc;
}

static int
delivery_act(struct store **st, long n, int dismiss, int all, char **errp,
    char **out)
{
	struct uc_ctx c = ctx_of(st);
	struct uc_delivery_action req = { all ? 0 : fx.dead_a, all,
		all ? NULL : "receiver fixed" };
	struct uc_delivery_done d;
	enum uc_status s;

	torture_arm(n);
	s = dismiss ? uc_delivery_dismiss(&c, &req, &d, errp) :
	    uc_delivery_retry(&c, &req, &d, errp);
	torture_disarm();
	*out = desc_done(&d);
	uc_delivery_done_clear(&d);
	return r_of(s);
}

static int
case_delivery_retry(struct store **st, long n, char **errp, char **out)
{
	return delivery_act(st, n, 0, 0, errp, out);
}

static int
case_delivery_retry_all(struct store **st, long n, char **errp, char **out)
{
	return delivery_act(st, n, 0, 1, errp, out);
}

static int
case_delivery_dismiss(struct store **st, long n, char **errp, char **out)
{
	return delivery_act(st, n, 1, 0, errp, out);
}

static int
case_agenda(struct store **st, long n, char **errp, char **out)
{
	struct uc_ctx c = ctx_of(st);
	struct uc_agenda a;
	enum uc_status s;
	char *acc = desc("agenda"), *next;
	size_t i;

	memset(&a, 0, sizeof(a));
	torture_arm(n);
	s = uc_agenda(&c, NULL, 14, &a, errp);
	torture_disarm();
	for (i = 0; i < a.n && acc != NULL; i++) {
		next = desc("%s; %s %lld %lld %s %s %s %d", acc, a.items[i].kind,
		    (long long)a.items[i].id, (long long)a.items[i].at,
		    S_(a.items[i].owner), S_(a.items[i].text),
		    S_(a.items[i].account), a.items[i].overdue);
		free(acc);
		acc = next;
	}
	*out = acc;
	uc_agenda_clear(&a);
	return r_of(s);
}

/* The calendar's address (the same token each run: torture.c's
 * getrandom), revoked, and the feed. */
static int
case_calendar_url(struct store **st, long n, char **errp, char **out)
{
	struct uc_ctx c = ctx_of(st);
	struct uc_calendar_url u;
	enum uc_status s;

	torture_arm(n);
	s = uc_calendar_url(&c, "bo", 0, &u, errp);
	torture_disarm();
	*out = desc("calendar url %s %s %lld", u.token, S_(u.url),
	    (long long)u.replaced);
	uc_calendar_url_clear(&u);
	return r_of(s);
}

static int
case_calendar_revoke(struct store **st, long n, char **errp, char **out)
{
	struct uc_ctx c = ctx_of(st);
	int64_t revoked = -1;
	enum uc_status s;

	torture_arm(n);
	s = uc_calendar_revoke(&c, "anna", &revoked, errp);
	torture_disarm();
	*out = desc("calendar revoked %lld", (long long)revoked);
	return r_of(s);
}

static int
case_calendar_show(struct store **st, long n, char **errp, char **out)
{
	struct uc_ctx c = ctx_of(st);
	char *ics = NULL;
	enum uc_status s;

	torture_arm(n);
	s = uc_calendar_show(&c, "anna", &ics, errp);
	torture_disarm();
	*out = desc("calendar %s", S_(ics));
	free(ics);
	return r_of(s);
}

/* What `nudge status` says of the daemon: its lock probed, its row read. */
static int
case_runstate_health(struct store **st, long n, char **errp, char **out)
{
	struct runstate_health h;
	struct runstate rs;
	int rc;

	memset(&h, 0, sizeof(h));
	torture_arm(n);
	rc = runstate_health(*st, fx.now, &rs, &h, errp);
	torture_disarm();
	*out = desc("%s alive %d pid %lld age %lld", runstate_state_name(
	    h.state), h.alive, (long long)h.pid, (long long)h.heartbeat_age);
	runstate_clear(&rs);
	return rc == 0 ? RES_OK : RES_FAILED;
}

static int
case_schedule_events(struct store **st, long n, char **errp, char **out)
{
	int made = -1, rc;

	torture_arm(n);
	rc = schedule_events(*st, fx.cfg, fx.now, &made, errp);
	torture_disarm();
	*out = desc("made %d", made);
	return rc == 0 ? RES_OK : RES_FAILED;
}

static int
case_schedule_due(struct store **st, long n, char **errp, char **out)
{
	int queued = -1, more = -1, rc;

	torture_arm(n);
	rc = schedule_due(*st, fx.cfg, fx.now, &queued, &more, errp);
	torture_disarm();
	*out = desc("queued %d more %d", queued, more);
	return rc == 0 ? RES_OK : RES_FAILED;
}

static int
case_summary_make(struct store **st, long n, char **errp, char **out)
{
	int made = -1, rc;

	torture_arm(n);
	rc = summary_make(*st, fx.cfg, fx.now, &made, errp);
	torture_disarm();
	*out = desc("made %d", made);
	return rc == 0 ? RES_OK : RES_FAILED;
}

/* Does it pay off, 200 days on: the deals won have had their horizon,
 * so each case's second chocolate and touches are read too. */
static int
case_effect_build(struct store **st, long n, char **errp, char **out)
{
	struct effect e;
	int rc;

	torture_arm(n);
	rc = effect_build(*st, fx.cfg, NULL, fx.t0 - 86400, fx.now +
	    200 * 86400, EFFECT_HORIZON_DEFAULT, &e, errp);
	torture_disarm();
	*out = rc != 0 ? desc("failed") : desc("with %lld/%lld without "
	    "%lld/%lld kept %lld quiet %lld none %lld recent %lld",
	    (long long)e.chocolate.with.again, (long long)e.chocolate.with.n,
	    (long long)e.chocolate.without.again,
	    (long long)e.chocolate.without.n, (long long)e.cadence.with.n,
	    (long long)e.cadence.without.n, (long long)e.no_cadence,
	    (long long)e.too_recent);
	return rc == 0 ? RES_OK : RES_FAILED;
}

/* A transport that settles each row it takes at once: the log channel
 * delivers, the chat channel refuses for good (the row is dead and ops
 * hears of it). */
struct tp {
	int taken, committed, undone;
};

static int
tp_record_ended(void *arg, struct store *st, size_t *n, char **errp)
{
	(void)arg, (void)st, (void)errp;
	*n = 0;
	return 0;
}

static int
tp_room(void *arg)
{
	(void)arg;
	return 16;
}

/* One chat row a round: the claim passes over the others and goes
 * again without the chat channel. */
static int
tp_channel_room(void *arg, const char *channel)
{
	(void)arg;
	return strcmp(channel, "chat") == 0 ? 1 : 16;
}

static int
tp_take(void *arg, struct store *st, struct outbox_item *it, time_t now,
    char **errp)
{
	struct tp *t = arg;
	struct delivery_result res = { NULL, 0, 0, 0 };
	struct delivery_fate fate;

	t->taken++;
	if (strcmp(it->channel, "chat") == 0) {
		res.error = "410 Gone";
		res.permanent = 1;
		res.code = 410;
	}
	delivery_decide(fx.cfg, it, &res, &fate);
	return delivery_record(st, fx.cfg, it, &res, &fate, now, NULL, errp);
}

static void
tp_committed(void *arg)
{
	((struct tp *)arg)->committed++;
}

static void
tp_undone(void *arg, int kept)
{
	(void)kept;
	((struct tp *)arg)->undone++;
}

static int
case_delivery_round(struct store **st, long n, char **errp, char **out)
{
	struct tp t = { 0, 0, 0 };
	const struct delivery_transport tr = { &t, tp_record_ended, tp_room,
		tp_channel_room, tp_take, tp_committed, tp_undone };
	int claimed = -1, rc;

	torture_arm(n);
	rc = delivery_round(*st, fx.now, 1, &tr, &claimed, errp);
	torture_disarm();
	*out = desc("claimed %d taken %d", claimed, t.taken);
	/* The transport must hear of a failed round (what it took is
	 * dropped): run() reports this whatever the result. */
	if (rc != 0 && t.undone == 0)
		broken = "failed, but the transport was not told (undone)";
	return rc == 0 ? RES_OK : RES_FAILED;
}

static int
import(struct store **st, long n, enum import_kind kind, const char *csv,
    char **errp, char **out)
{
	FILE *in = fmemopen((void *)(uintptr_t)csv, strlen(csv), "r");
	size_t count = 0;
	int rc;

	if (in == NULL) {
		perror("fmemopen");
		exit(2);
	}
	torture_arm(n);
	rc = import_csv(*st, fx.cfg, kind, in, "in.csv", fx.now, 1, &count,
	    errp);
	torture_disarm();
	fclose(in);
	*out = desc("imported %zu", count);
	return rc == 0 ? RES_OK : RES_FAILED;
}

static int
case_import_promises(struct store **st, long n, char **errp, char **out)
{
	return import(st, n, IMPORT_PROMISES,
	    "owner,account,text,due,to\n"
	    "anna,Acme,Send the contract,2026-11-20,Eva\n"
	    "bo,Newco,\"Call, then mail\",2026-11-25 10:00,\n"
	    "anna,Birch,Visit,mon 09:00,Per\n", errp, out);
}

static int
case_import_deals(struct store **st, long n, char **errp, char **out)
{
	return import(st, n, IMPORT_DEALS,
	    "title,account,owner,value,currency,closes\n"
	    "Renewal,Acme,anna,5000,SEK,2026-12-01\n"
	    "Pilot,Newco,bo,,,\n", errp, out);
}

static int
case_import_followups(struct store **st, long n, char **errp, char **out)
{
	return import(st, n, IMPORT_FOLLOWUPS,
	    "owner,account,text,at\n"
	    "anna,Acme,Ask about the pilot,2026-11-10 10:00\n"
	    "bo,Birch,Prepare the review,2026-11-11 09:00\n", errp, out);
}

/* An export's tokens.csv restored: the hash checked, the name and hash
 * looked up, the row written. */
static int
case_import_tokens(struct store **st, long n, char **errp, char **out)
{
	return import(st, n, IMPORT_TOKENS,
	    "id,name,scope,hash,created,last_used\n"
	    "7,crm-sync,write,00112233445566778899aabbccddeeff00112233445566"
	    "778899aabbccddeeff,2026-11-01T09:00:00+01:00,"
	    "2026-11-01T10:00:00+01:00\n", errp, out);
}

static int
case_contact_add(struct store **st, long n, char **errp, char **out)
{
	struct uc_ctx c = ctx_of(st);
	struct uc_contact_add req = { "Acme", "Eva", "lunch", "today 09:00",
		NULL };
	struct uc_contact_added r;
	enum uc_status s;

	memset(&r, 0, sizeof(r));
	torture_arm(n);
	s = uc_contact_add(&c, &req, &r, errp);
	torture_disarm();
	*out = desc("contact %lld account %lld at %lld next %lld",
	    (long long)r.id, (long long)r.account_id, (long long)r.at,
	    (long long)r.next_due);
	return r_of(s);
}

static int
case_account_pause(struct store **st, long n, char **errp, char **out)
{
	struct uc_ctx c = ctx_of(st);
	struct uc_account_paused r;
	enum uc_status s;

	memset(&r, 0, sizeof(r));
	torture_arm(n);
	s = uc_account_pause(&c, "Birch", "2027-01-10", &r, errp);
	torture_disarm();
	*out = desc("paused %lld until %lld next %lld",
	    (long long)r.account_id, (long long)r.until,
	    (long long)r.next_due);
	return r_of(s);
}

struct tcase {
	const char *name;
	int lib;        /* the store is opened before the call */
	int (*call)(struct store **st, long n, char **errp, char **out);
};

static const struct tcase cases[] = {
	{ "deal_add", 0, case_deal_add },
	{ "deal_close", 0, case_deal_close },
	{ "deal_import", 0, case_deal_import },
	{ "token_add", 0, case_token_add },
	{ "token_revoke", 0, case_token_revoke },
	{ "promise_add", 0, case_promise_add },
	{ "promise_add_strict", 0, case_promise_add_strict },
	{ "promise_finish", 0, case_promise_finish },
	{ "promise_renegotiate", 0, case_promise_renegotiate },
	{ "followup_add", 0, case_followup_add },
	{ "followup_finish", 0, case_followup_finish },
	{ "followup_snooze", 0, case_followup_snooze },
	{ "notify_test", 0, case_notify_test },
	{ "delivery_retry", 0, case_delivery_retry },
	{ "delivery_retry_all", 0, case_delivery_retry_all },
	{ "delivery_dismiss", 0, case_delivery_dismiss },
	{ "agenda", 0, case_agenda },
	{ "calendar_url", 0, case_calendar_url },
	{ "calendar_revoke", 0, case_calendar_revoke },
	{ "calendar_show", 0, case_calendar_show },
	{ "contact_add", 0, case_contact_add },
	{ "account_pause", 0, case_account_pause },
	{ "runstate_health", 1, case_runstate_health },
	{ "schedule_events", 1, case_schedule_events },
	{ "schedule_due", 1, case_schedule_due },
	{ "summary_make", 1, case_summary_make },
	{ "effect_build", 1, case_effect_build },
	{ "delivery_round", 1, case_delivery_round },
	{ "import_promises", 1, case_import_promises },
	{ "import_deals", 1, case_import_deals },
	{ "import_followups", 1, case_import_followups },
	{ "import_tokens", 1, case_import_tokens },
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
	char *err = NULL, *out = NULL, *db, msg[512];
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
	r = o->r = c->call(&st, n, &err, &out);
	k = torture_disarm();   /* (already disarmed: the count) */
	hit = torture_hit();
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
