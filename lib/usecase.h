/*
 * Every write the product offers, as one call: a request in, a result
 * out, its own transaction.  The CLI (cli/), and whatever front end comes
 * next, parse their input into a request, make one call and render the
 * result; the rules (what is refused, what is worked out, what is written
 * together) live here once.  The model is freebsd/pkg: option parsing ->
 * one library call -> render.
 *
 * A request's strings are borrowed; WHEN and DURATION are as people type
 * them, read in the owner's zone and working hours.  A result is owned by
 * the caller and freed with its _clear function, also after a failure.
 * Input is checked before the database is opened: refused input never
 * creates one.  The error message in *errp (caller frees) is the one the
 * CLI prints after "nudge: ".
 */
#ifndef NUDGE_USECASE_H
#define NUDGE_USECASE_H

#include <jansson.h>
#include <stdint.h>
#include <time.h>

#include "calendar_token.h"
#include "deal.h"
#include "followup.h"
#include "outbox.h"
#include "promise.h"

struct config;
struct config_person;
struct store;

enum uc_status {
	UC_OK = 0,
	UC_REFUSED,     /* bad input, no such record, a state that does not
			 * allow it: nothing was written */
	UC_FAILED,      /* the system failed (database, memory): nothing
			 * was written */
};

/* Why a use-case said UC_REFUSED, for a front end that tells them
 * apart (the HTTP API's 400, 404, 409); the CLI exits 2 for each. */
enum uc_refusal {
	UC_BAD_INPUT = 0,       /* the request itself */
	UC_NOT_FOUND,           /* the record it names does not exist */
	UC_CONFLICT,            /* the record's state does not allow it, or
				 * the over-promise check refused (strict) */
};

/* An outcome (a deal won, a promise kept) has happened: it may be later
 * than now by this much clock skew between machines, no more. */
#define UC_OUTCOME_SKEW 300

/* What every use-case works in. */
struct uc_ctx {
	const struct config *cfg;
	time_t now;
	/* The store, opened (durable) the first time a use-case needs
	 * it, at db_path or the configuration's database; it stays the
	 * caller's to close. */
	struct store **st;
	const char *db_path;
	/* Set by a use-case that refuses (UC_BAD_INPUT unless it says
	 * otherwise); the caller zeroes the context. */
	enum uc_refusal refusal;
};

/* Open *ctx->st unless it is open: UC_OK, UC_REFUSED for a file that
 * is not a nudge database (left as it was), or UC_FAILED.  uc_store()
 * creates and migrates the database as needed (to write);
 * uc_store_read() only opens one at this binary's schema (to read: a
 * missing one is UC_FAILED, saying how to make it). */
enum uc_status uc_store(struct uc_ctx *ctx, char **errp);
enum uc_status uc_store_read(struct uc_ctx *ctx, char **errp);

/* --- deals --- */

struct uc_deal_add {
	const char *title, *account, *owner;
	const char *value;      /* "12 500,50"; NULL: none */
	const char *currency;   /* NULL: none */
	const char *closes;     /* WHEN; NULL: not set */
};

enum uc_status uc_deal_add(struct uc_ctx *ctx, const struct uc_deal_add *req,
    struct deal *out, char **errp) __attribute__((warn_unused_result));
/* open -> won or lost, at WHEN (`at`, NULL: now). */
enum uc_status uc_deal_close(struct uc_ctx *ctx, int64_t id,
    const char *stage, const char *at, struct deal *out, char **errp)
    __attribute__((warn_unused_result));

/* --- deals from other systems (the HTTP API) --- */

/* A deal as a CRM or shop sends it: uc_deal_add's fields, the stage it
 * is in (NULL or "open", "won", "lost"; closed at `at`, NULL: now) and
 * its id there.  With source and external_id, a deal already recorded
 * under them is the one answered (and closed if it is open and the
 * request says won or lost): the same event twice is one deal. */
struct uc_deal_import {
	struct uc_deal_add add;
	const char *stage, *at;
	const char *source, *external_id;       /* both or neither */
};

enum uc_status uc_deal_import(struct uc_ctx *ctx,
    const struct uc_deal_import *req, struct deal *out, int *created,
    char **errp) __attribute__((warn_unused_result));
/* The deal's id in another system: *source and *external_id (caller
 * frees) or NULLs. */
int uc_deal_external(struct store *st, int64_t deal_id, char **source,
    char **external_id, char **errp);

/* --- promises --- */

struct uc_promise_add {
	const char *text, *owner;
	const char *account;    /* one of account and deal_id */
	int64_t deal_id;
	const char *due;        /* WHEN, promised to the customer */
	const char *to;         /* the contact; NULL: none */
	int strict;             /* refuse what the check warns of */
	int force;              /* a due moment already past is allowed */
};

struct uc_promise_added {
	struct promise promise;
	json_t *warnings;       /* [{"check", "reason"}...] of the check */
	const struct config_person *owner;      /* the configuration's */
};

/* Log a promise: its internal target worked out, the over-promise check
 * run (warnings, or with strict a refusal naming each). */
enum uc_status uc_promise_add(struct uc_ctx *ctx,
    const struct uc_promise_add *req, struct uc_promise_added *out,
    char **errp) __attribute__((warn_unused_result));
void uc_promise_added_clear(struct uc_promise_added *r);
/* open -> kept (at WHEN `at`, NULL: now), broken or cancelled. */
enum uc_status uc_promise_finish(struct uc_ctx *ctx, int64_t id,
    const char *state, const char *at, struct promise *out, char **errp)
    __attribute__((warn_unused_result));
/* A new due moment agreed with the customer (and a new target from now). */
enum uc_status uc_promise_renegotiate(struct uc_ctx *ctx, int64_t id,
    const char *due, const char *note, struct promise *out, char **errp)
    __attribute__((warn_unused_result));

/* --- follow-ups --- */

struct uc_followup_add {
	const char *text, *owner;
	const char *account;    /* one of account and deal_id */
	int64_t deal_id;
	const char *at;         /* WHEN; or */
	const char *in;         /* DURATION of the owner's working time */
	int force;              /* a moment already past is allowed */
};

enum uc_status uc_followup_add(struct uc_ctx *ctx,
    const struct uc_followup_add *req, struct followup *out, char **errp)
    __attribute__((warn_unused_result));
/* pending or notified -> done (with an optional note) or cancelled. */
enum uc_status uc_followup_finish(struct uc_ctx *ctx, int64_t id,
    const char *state, const char *note, struct followup *out, char **errp)
    __attribute__((warn_unused_result));
/* To a new moment: `duration` of working time from now, or `until` WHEN. */
enum uc_status uc_followup_snooze(struct uc_ctx *ctx, int64_t id,
    const char *duration, const char *until, struct followup *out,
    char **errp) __attribute__((warn_unused_result));
/* A test reminder due now on the person's channels; *id is its id. */
enum uc_status uc_notify_test(struct uc_ctx *ctx, const char *handle,
    const struct config_person **person, int64_t *id, char **errp)
    __attribute__((warn_unused_result));

/* --- deliveries (the outbox) --- */

/* A person's action on deliveries; each is an event on its delivery
 * ("delivery.retried", "delivery.dismissed": who, when, the note), which
 * `nudge delivery show` lists as its history. */
struct uc_delivery_action {
	int64_t id;             /* one delivery; or */
	int all_dead;           /* retry only: every dead one not dismissed */
	const char *note;       /* NULL: none */
};

struct uc_delivery_done {
	struct outbox_item *items;      /* the rows acted on, as they are now */
	size_t n;
};

/* Dead, dismissed or failing (retry) -> queued, due now, with a fresh
 * attempt count and the same delivery id (the receiver's key to drop a
 * copy); the event keeps the state, attempts and error it had.  Queued,
 * sending or delivered rows are refused. */
enum uc_status uc_delivery_retry(struct uc_ctx *ctx,
    const struct uc_delivery_action *req, struct uc_delivery_done *out,
    char **errp) __attribute__((warn_unused_result));
/* Dead -> dismissed: handled, no longer counted by `nudge status`. */
enum uc_status uc_delivery_dismiss(struct uc_ctx *ctx,
    const struct uc_delivery_action *req, struct uc_delivery_done *out,
    char **errp) __attribute__((warn_unused_result));
void uc_delivery_done_clear(struct uc_delivery_done *d);

/* --- contacts and stay-in-touch cadences --- */

/* A touch of an account (a call, a visit, a message); the action links
 * and the API make the same call.  It resets the account's stay-in-touch
 * clock: a reminder still pending is withdrawn, the next one planned. */
struct uc_contact_add {
	const char *account;    /* made on first use, as elsewhere */
	const char *with;       /* whom; NULL: not said */
	const char *note;       /* NULL: none */
	const char *at;         /* WHEN it happened; NULL: now */
	const char *owner;      /* who; NULL: the account's cadence owner */
};

struct uc_contact_added {
	int64_t id, account_id;
	int64_t at;
	const struct config_person *owner;      /* the configuration's */
	int64_t next_due;       /* the next stay-in-touch moment; 0: none */
	const char *cadence;    /* its name (the configuration's); or NULL */
};

enum uc_status uc_contact_add(struct uc_ctx *ctx,
    const struct uc_contact_add *req, struct uc_contact_added *out,
    char **errp) __attribute__((warn_unused_result));
/* The touch logged, as `contact --json` and the API give it: its id, the
 * account, when and by whom (in their zone), with whom, the note, and the
 * next stay-in-touch moment.  New reference; NULL out of memory. */
json_t *uc_contact_json(const struct uc_contact_add *req,
    const struct uc_contact_added *r);

/* Pause an account's stay-in-touch reminders until WHEN (NULL: until it
 * is resumed), or resume them; the account must exist. */
struct uc_account_paused {
	int64_t account_id;
	int64_t until;          /* 0: until resumed (or, resumed: none) */
	int64_t next_due;       /* the next stay-in-touch moment; 0: none */
};

enum uc_status uc_account_pause(struct uc_ctx *ctx, const char *account,
    const char *until, struct uc_account_paused *out, char **errp)
    __attribute__((warn_unused_result));
enum uc_status uc_account_resume(struct uc_ctx *ctx, const char *account,
    struct uc_account_paused *out, char **errp)
    __attribute__((warn_unused_result));

/* --- the HTTP API's tokens --- */

struct api_token;

/* A new token NAME with scope "read" or "write": its secret into
 * secret (TOKEN_SECRET_LEN + 1, lib/token.h), shown once; the database
 * keeps its hash. */
enum uc_status uc_token_add(struct uc_ctx *ctx, const char *name,
    const char *scope, char *secret, struct api_token *out, char **errp)
    __attribute__((warn_unused_result));
/* The token NAME deleted: the API refuses it from now on. */
enum uc_status uc_token_revoke(struct uc_ctx *ctx, const char *name,
    char **errp) __attribute__((warn_unused_result));

/* --- the agenda --- */

#define UC_AGENDA_MAX_DAYS 3660

struct uc_agenda_item {
	const char *kind;       /* "followup", "promise.target", "promise.due" */
	int64_t id;
	int64_t at;
	const char *owner;      /* these point into the agenda's records */
	const char *text;
	const char *account;    /* may be NULL */
	int overdue;
};

struct uc_agenda {
	struct uc_agenda_item *items;   /* by moment, then id */
	size_t n;
	struct followup *followups;     /* what the items point into */
	size_t nfollowups;
	struct promise *promises;
	size_t npromises;
};

/* What is coming in the next `days` days for owner (NULL: everyone):
 * follow-ups to do, promise targets still ahead, promise due dates, and
 * what is already overdue. */
enum uc_status uc_agenda(struct uc_ctx *ctx, const char *owner, long days,
    struct uc_agenda *out, char **errp) __attribute__((warn_unused_result));
void uc_agenda_clear(struct uc_agenda *a);
/* The agenda as `agenda --json` and the API give it: each time in tz, or
 * with tz NULL in its owner's zone; NULL when out of memory. */
json_t *uc_agenda_json(const struct uc_agenda *ag, const struct config *cfg,
    const char *tz);

/* --- calendar feeds (lib/calendar.h) --- */

struct uc_calendar_url {
	char token[CALENDAR_TOKEN_LEN + 1];
	char *url;              /* the feed's address, made of the token */
	int64_t replaced;       /* the token row --new revoked; 0: none */
};

/* A secret address for handle's feed: a new token, of which only the
 * hash is kept.  The token is shown this once, so a person who has a
 * live one is refused unless `renew`, which revokes it in the same
 * transaction (the old address stops working). */
enum uc_status uc_calendar_url(struct uc_ctx *ctx, const char *handle,
    int renew, struct uc_calendar_url *out, char **errp)
    __attribute__((warn_unused_result));
void uc_calendar_url_clear(struct uc_calendar_url *u);
/* Revoke handle's address: *revoked is its token row, 0 when there was
 * none (nothing written). */
enum uc_status uc_calendar_revoke(struct uc_ctx *ctx, const char *handle,
    int64_t *revoked, char **errp) __attribute__((warn_unused_result));
/* handle's feed as iCalendar text (caller frees), as its address serves
 * it. */
enum uc_status uc_calendar_show(struct uc_ctx *ctx, const char *handle,
    char **ics, char **errp) __attribute__((warn_unused_result));

#endif
