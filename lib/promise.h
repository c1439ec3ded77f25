/*
 * Promises made to customers: the date promised (due_at) and our earlier
 * internal target (target_at), and how each ended.
 */
#ifndef NUDGE_PROMISE_H
#define NUDGE_PROMISE_H

#include <jansson.h>
#include <stdint.h>
#include <time.h>

#include "timeutil.h"

struct store;

struct promise {
	int64_t id;
	char *text;
	char *owner;
	int64_t account_id;
	char *account;
	int64_t deal_id;        /* 0 = none */
	char *promised_to;      /* may be NULL */
	int64_t made_at, due_at, target_at;
	char *state;            /* "open", "kept", "broken", "cancelled" */
	int64_t kept_at;        /* 0 = not kept */
	int renegotiated;
	int64_t created_at, updated_at;
};

struct promise_filter {
	const char *owner;
	const char *state;      /* NULL = any; "overdue": as overdue */
	int overdue;            /* open and due before `now` */
	time_t now;
	int limit;
};

/* The slack policy: share of the lead time, bounded. */
struct promise_slack {
	int percent;
	struct timeutil_duration min, max;
};

/*
 * The internal target for a promise made at `made` and due at `due`:
 * `percent` of the lead time earlier, at least `min` and at most `max`
 * before the due moment, never before `made`, moved into working hours when
 * that still leaves it before `due`.
 */
time_t promise_target(const struct timeutil_hours *h,
    const struct promise_slack *slack, time_t made, time_t due);

/* Insert (account created if new), log promise.created.  Caller holds the
 * transaction and has set target_at. */
int promise_insert(struct store *st, struct promise *p, time_t now,
    char **errp);
int promise_get(struct store *st, int64_t id, struct promise *p,
    char **errp);
/* open -> kept (at `at`) / broken / cancelled; logs promise.<state> and
 * cancels the promise's pending rule-made reminders. */
int promise_set_state(struct store *st, int64_t id, const char *state,
    time_t at, time_t now, char **errp);
/*
 * Move an open promise that is not yet due to a new due date (and target),
 * agreed with the customer in time: counted as renegotiated, not broken.
 * Cancels the old dates' pending reminders and logs promise.renegotiated
 * (with the old and new dates and the note) for the scheduler.  A promise
 * already past due can only be kept (late) or broken.
 */
int promise_renegotiate(struct store *st, int64_t id, time_t due_at,
    time_t target_at, const char *note, time_t now, char **errp);
/*
 * How far the target is before the due moment, as a person plans it:
 * "2 business days", "6 working hours", "1h30m of working time", "40
 * working seconds"; -1 when no working time lies between (or too long).
 */
int promise_describe_gap(const struct timeutil_hours *h, time_t target,
    time_t due, char *buf, size_t len);
int promise_list(struct store *st, const struct promise_filter *f,
    struct promise **out, size_t *n, char **errp);
/* Open promises of owner due in [from, to): the capacity check. */
int promise_count_open(struct store *st, const char *owner, time_t from,
    time_t to, int64_t *count, char **errp);
/*
 * How a kept promise was kept: by the internal target (early), after it
 * but by the due moment (on time), or after that (late).  report.c's
 * SQL_PROMISES counts by the same rule (test_report holds them together).
 */
enum promise_kept {
	PROMISE_KEPT_EARLY,
	PROMISE_KEPT_ON_TIME,
	PROMISE_KEPT_LATE,
};
enum promise_kept promise_kept_how(const struct promise *p);
void promise_clear(struct promise *p);
void promise_list_free(struct promise *v, size_t n);
json_t *promise_json(const struct promise *p, const char *zone);

#endif
