/*
 * Follow-ups: a reminder to a person to do something at a moment.  Made by
 * hand (`nudge followup add`) or by rules in the daemon; due_at is the
 * moment asked for, remind_at the moment moved into the owner's hours.
 */
#ifndef NUDGE_FOLLOWUP_H
#define NUDGE_FOLLOWUP_H

#include <jansson.h>
#include <sqlite3.h>
#include <stdint.h>
#include <time.h>

struct store;

struct followup {
	int64_t id;
	char *owner;
	char *text;
	int64_t account_id;     /* 0 = none */
	char *account;          /* may be NULL */
	int64_t deal_id;        /* 0 = none */
	int64_t promise_id;     /* 0 = none */
	int64_t due_at, remind_at;
	char *state;            /* "pending", "notified", "done", "cancelled" */
	char *rule;             /* NULL for hand-made ones */
	char *occurrence;       /* unique key of a rule-made one */
	int snoozes;
	char *note;
	int64_t done_at;
	int64_t created_at, updated_at;
	int64_t folded_into;    /* the digest or missed-list message; 0 = none */
};

/*
 * For a statement that reads a follow-up beside rows of another table:
 * FOLLOWUP_COLUMNS (its columns, lib/followup.def) selected from
 * `followups f` joined with FOLLOWUP_JOIN_ACCOUNT, and
 * followup_from_columns() reads them from
 * column `first` on (a NULL f.id reads as id 0: no such follow-up): 0,
 * or -1 when out of memory, leaving f for followup_clear().
 */
#include "followup.def"
#define FOLLOWUP_COLUMNS STORE_DEF_SELECT(FOLLOWUP_DEF) /* lib/store.h */
#define FOLLOWUP_JOIN_ACCOUNT "LEFT JOIN accounts a ON a.id = f.account_id "
int followup_from_columns(sqlite3_stmt *q, int first, struct followup *f);

struct followup_filter {
	const char *owner;
	const char *state;      /* NULL = pending or notified (still to do) */
	int64_t from, to;       /* remind_at window; to == 0: no upper bound */
	int limit;
};

/* A follow-up to make.  Every field is borrowed from the caller. */
struct followup_new {
	const char *owner;
	const char *text;
	int64_t account_id;     /* 0 = none */
	int64_t deal_id;        /* 0 = none */
	int64_t promise_id;     /* 0 = none */
	int64_t due_at, remind_at;
	const char *rule;       /* NULL for hand-made ones */
	const char *occurrence; /* unique key of a rule-made one */
};

/*
 * The one way a follow-up is made: by hand, by the rules, a fold, the
 * weekly summary, the ops notice, notify-test and import all call it.
 * *id is the new follow-up's id, or 0 when a follow-up with the same
 * occurrence already exists: it is left alone, which is what makes
 * scheduling idempotent.  Logs followup.created for a new one.  Caller
 * holds the transaction.
 */
int followup_create(struct store *st, const struct followup_new *n,
    time_t now, int64_t *id, char **errp);
/* The text of a follow-up just made, for a message that names its own id
 * ({{followup}}, known only once it is made).  Caller holds the
 * transaction. */
int followup_set_text(struct store *st, int64_t id, const char *text,
    char **errp);
/* followup_create() of a message nudge writes itself (a fold, the weekly
 * summary, the ops notice, notify-test): due and reminding at `at`,
 * linked to no account, deal or promise. */
int followup_create_message(struct store *st, const char *owner,
    const char *text, const char *rule, const char *occurrence, time_t at,
    time_t now, int64_t *id, char **errp);
int followup_get(struct store *st, int64_t id, struct followup *f,
    char **errp);
/* pending/notified -> done (with optional note) or cancelled. */
int followup_finish(struct store *st, int64_t id, const char *state,
    const char *note, time_t now, char **errp);
/* Move to a new moment; it becomes pending again (a new round). */
int followup_snooze(struct store *st, int64_t id, time_t due_at,
    time_t remind_at, time_t now, char **errp);
int followup_list(struct store *st, const struct followup_filter *f,
    struct followup **out, size_t *n, char **errp);
/* Pending follow-ups with remind_at <= now, oldest first, at most max. */
int followup_list_due(struct store *st, time_t now, int max,
    struct followup **out, size_t *n, char **errp);
/* The follow-ups folded into message id (a digest, a missed list), by
 * id, at most max. */
int followup_list_folded(struct store *st, int64_t id, int max,
    struct followup **out, size_t *n, char **errp);
/* Every follow-up, by id (an export). */
int followup_list_all(struct store *st, struct followup **out, size_t *n,
    char **errp);
/* The earliest remind_at of a pending follow-up; *found = 0 if none. */
int followup_next_remind(struct store *st, int64_t *at, int *found,
    char **errp);
/* Mark the n follow-ups of ids[] pending -> notified (their outbox rows
 * were written). */
int followup_mark_notified(struct store *st, const int64_t *ids, size_t n,
    time_t now, char **errp);
/*
 * Mark pending -> notified as part of the folded message whose occurrence
 * is given (it has no delivery rows of its own; that message does).
 */
int followup_mark_folded(struct store *st, int64_t id, const char *occurrence,
    time_t now, char **errp);
/* Follow-ups made by rule for the account, not cancelled, reminding at or
 * after `since`: gesture rotation and the once-per-period limit. */
int followup_count_rule_account(struct store *st, const char *rule,
    int64_t account_id, time_t since, int64_t *n, char **errp);
/* Cancel the deal's pending follow-ups made by rule (a pre-close touch
 * once the deal has closed). */
int followup_cancel_deal_rule(struct store *st, int64_t deal_id,
    const char *rule, time_t now, char **errp);
int followup_count_pending(struct store *st, int64_t *n, char **errp);
void followup_clear(struct followup *f);
void followup_list_free(struct followup *v, size_t n);
json_t *followup_json(const struct followup *f, const char *zone);
/* Every key of followup_json() set in o, an object empty or filled by an
 * earlier call (see jsonout.h); -1 when a required field cannot be set.
 * FOLLOWUP_JSON_KEYS is how many keys it sets. */
#define FOLLOWUP_JSON_KEYS 15
int followup_json_fill(json_t *o, const struct followup *f, const char *zone);

#endif
