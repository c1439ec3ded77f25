#include "cadence.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cadence.def"
#include "config.h"
#include "contact.h"
#include "err.h"
#include "followup.h"
#include "outbox.h"
#include "person.h"
#include "store.h"
#include "text.h"
#include "timeutil.h"
#include "words.h"

/* The last touch by moment; of two at one moment, the one logged last. */
#define CADENCE_LAST(col) \
	"(SELECT " col " FROM contacts c WHERE c.account_id = a.id " \
	"ORDER BY c.at DESC, c.id DESC LIMIT 1)"
#define CADENCE_SELECT \
	"SELECT " STORE_DEF_SELECT(CADENCE_DEF) "FROM accounts a "
static const char SQL_GET[] = CADENCE_SELECT "WHERE a.id = ?1";
static const char SQL_LIST[] = CADENCE_SELECT "ORDER BY a.name, a.id";
static const char SQL_WITHDRAW_ALL[] =
    "UPDATE followups SET state = 'cancelled', note = ?1, updated_at = ?2 "
    "WHERE rule LIKE '" CADENCE_RULE_PREFIX "%' AND state = 'pending'";
static const char SQL_IDS[] =
    "SELECT id FROM accounts WHERE id > ?1 ORDER BY id LIMIT ?2";
/* The account's pending reminders but the one for its moment (?2; NULL:
 * all of them). */
static const char SQL_WITHDRAW[] =
    "UPDATE followups SET state = 'cancelled', note = ?3, updated_at = ?4 "
    "WHERE account_id = ?1 AND rule LIKE '" CADENCE_RULE_PREFIX "%' "
    "AND state = 'pending' AND occurrence IS NOT ?2";
/* The account's reminders but the one for its moment (?2) that are queued
 * to be sent and not yet sent on any channel (none being sent, none
 * delivered): a touch makes what they say untrue. */
static const char SQL_QUEUED[] =
    "SELECT f.id FROM followups f WHERE f.account_id = ?1 "
    "AND f.rule LIKE '" CADENCE_RULE_PREFIX "%' AND f.state = 'notified' "
    "AND f.occurrence IS NOT ?2 AND EXISTS (SELECT 1 FROM deliveries d "
    "WHERE d.followup_id = f.id AND d.state IN ('queued', 'retry')) "
    "AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.followup_id = f.id "
    "AND d.state IN ('sending', 'delivered')) ORDER BY f.id LIMIT ?3";
/* Its next round, too: should its moment come back (a pause ended,
 * SQL_RESTORE), it is queued anew, not onto the dismissed rows of this
 * round (the outbox keeps one row per follow-up, channel and round). */
static const char SQL_CANCEL[] =
    "UPDATE followups SET state = 'cancelled', note = ?2, updated_at = ?3, "
    "snoozes = snoozes + 1 WHERE id = ?1";
/* The reminder of this moment was withdrawn (by a pause since ended):
 * it is due again. */
static const char SQL_RESTORE[] =
    "UPDATE followups SET state = 'pending', note = NULL, remind_at = ?2, "
    "updated_at = ?3 WHERE occurrence = ?1 AND state = 'cancelled' "
    "AND note LIKE '" CADENCE_WITHDRAWN "%'";

/* Why a reminder went when no cadence or no owner applies any more. */
#define CADENCE_WITHDRAWN_NONE CADENCE_WITHDRAWN ": no cadence or owner"

/* Accounts planned in one transaction of a sweep. */
#define CADENCE_SWEEP_BATCH 200

STORE_DEF_ROW_TYPE(cadence_rows, CADENCE_DEF, struct cadence_account,
    "account", "listing accounts");
STORE_DEF_CLEAR_FREE(cadence_rows, struct cadence_account,
    cadence_account_clear, cadence_account_list_free)

void
cadence_judge(const struct config *cfg, const struct cadence_account *a,
    time_t now, struct cadence_state *s)
{
	struct timeutil_hours h;
	const char *owner;

	memset(s, 0, sizeof(*s));
	s->clock = a->last_at != 0 ? a->last_at : a->created_at;
	s->paused = a->paused_at != 0 && (a->paused_until == 0 ||
	    a->paused_until > now);
	if ((s->cadence = config_cadence_for(cfg, a->name)) == NULL)
		return;
	owner = s->cadence->owner != NULL ? s->cadence->owner : a->last_by;
	if ((s->owner = config_person(cfg, owner)) == NULL)
		return;
	if (s->paused && a->paused_until == 0)
		return;
	person_hours(s->owner, &h);
	s->due = timeutil_apply(&h, s->clock, &s->cadence->every, +1);
	/* A pause with an end holds the reminder back until then. */
	if (s->paused && a->paused_until > s->due)
		s->due = a->paused_until;
	s->overdue = s->due <= now;
}

int
cadence_account_get(struct store *st, int64_t id, struct cadence_account *a,
    char **errp)
{
	return store_row_by_id(st, SQL_GET, id, &cadence_rows, a, errp);
}

int
cadence_account_list(struct store *st, struct cadence_account **v,
    size_t *n, char **errp)
{
	return store_list(st, SQL_LIST, NULL, 0, &cadence_rows, v, n, errp);
}

/* The reminder's words, in the owner's zone. */
static void
cadence_text(const struct cadence_account *a, const struct cadence_state *s,
    char *buf, size_t len)
{
	char when[TIMEUTIL_ISO_MAX], every[64];
	enum lang lang = (enum lang)s->owner->language;

	timeutil_format_iso(s->clock, s->owner->timezone, when, sizeof(when));
	timeutil_format_duration(&s->cadence->every, every, sizeof(every));
	snprintf(buf, len, "%s %s: %s %.10s (%s %s, %s %s)",
	    word(lang, W_STAY_IN_TOUCH), a->name, word(lang, a->last_at != 0 ?
	    W_NO_CONTACT_SINCE : W_NO_CONTACT_ADDED), when,
	    word(lang, W_CADENCE), s->cadence->name, word(lang, W_EVERY),
	    every);
}

/* The reminder of s's moment, made or restored. */
static int
cadence_remind(struct store *st, const struct cadence_account *a,
    const struct cadence_state *s, const char *occurrence, time_t now,
    char **errp)
{
	char text[TEXT_MAX_BYTES], rule[96];
	struct followup_new f;
	int64_t id;

	cadence_text(a, s, text, sizeof(text));
	snprintf(rule, sizeof(rule), CADENCE_RULE_PREFIX "%s",
	    s->cadence->name);
	memset(&f, 0, sizeof(f));
	f.owner = s->owner->handle;
	f.text = text;
	f.account_id = a->id;
	f.due_at = s->due;
	f.remind_at = person_remind_at(s->owner, s->due, now);
	f.rule = rule;
	f.occurrence = occurrence;
	if (followup_create(st, &f, now, &id, errp) != 0)
		return -1;
	if (id != 0)
		return 0;
	return store_exec(st, SQL_RESTORE, STORE_ARGS(STORE_TEXT(occurrence),
	    STORE_INT(f.remind_at), STORE_INT(now)), errp);
}

/* At most this many queued reminders of one account are withdrawn by one
 * plan (there is one per quiet spell; more would be a bug's backlog). */
#define CADENCE_QUEUED_MAX 16

/* Withdraw the account's queued reminders (SQL_QUEUED) with their
 * waiting deliveries. */
static int
cadence_withdraw_queued(struct store *st, int64_t account_id,
    const char *occurrence, const char *why, time_t now, char **errp)
{
	int64_t ids[CADENCE_QUEUED_MAX];
	size_t n, i;

	if (store_ids(st, SQL_QUEUED, STORE_ARGS(STORE_INT(account_id),
	    STORE_TEXT(occurrence), STORE_INT(CADENCE_QUEUED_MAX)), ids,
	    CADENCE_QUEUED_MAX, &n, "listing queued reminders", errp) != 0)
		return -1;
	for (i = 0; i < n; i++)
		if (outbox_withdraw(st, ids[i], why, now, errp) != 0 ||
		    store_exec(st, SQL_CANCEL, STORE_ARGS(STORE_INT(ids[i]),
		    STORE_TEXT(why), STORE_INT(now)), errp) != 0)
			return -1;
	return 0;
}

int
cadence_plan(struct store *st, const struct config *cfg, int64_t account_id,
    time_t now, char **errp)
{
	struct cadence_account a;
	struct cadence_state s;
	char occurrence[96];
	const char *why;
	int rc;

	if (cadence_account_get(st, account_id, &a, errp) != 0)
		return -1;
	cadence_judge(cfg, &a, now, &s);
	why = s.paused ? CADENCE_WITHDRAWN ": account paused" : s.due != 0 ?
	    CADENCE_WITHDRAWN ": a touch moved its moment" :
	    CADENCE_WITHDRAWN_NONE;
	snprintf(occurrence, sizeof(occurrence), "cadence:account:%" PRId64
	    ":%" PRId64, a.id, s.due);
	rc = store_exec(st, SQL_WITHDRAW, STORE_ARGS(STORE_INT(a.id),
	    STORE_TEXT(s.due != 0 ? occurrence : NULL), STORE_TEXT(why), STORE_INT(now)), errp);
	if (rc == 0)
		rc = cadence_withdraw_queued(st, a.id, s.due != 0 ?
		    occurrence : NULL, why, now, errp);
	if (rc == 0 && s.due != 0)
		rc = cadence_remind(st, &a, &s, occurrence, now, errp);
	cadence_account_clear(&a);
	return rc;
}

/* The next batch of account ids after `after`. */
static int
cadence_ids(struct store *st, int64_t after, int64_t *ids, size_t *n,
    char **errp)
{
	return store_ids(st, SQL_IDS, STORE_ARGS(STORE_INT(after),
	    STORE_INT(CADENCE_SWEEP_BATCH)), ids, CADENCE_SWEEP_BATCH, n,
	    "listing accounts", errp);
}

int
cadence_sweep(struct store *st, const struct config *cfg, time_t now,
    char **errp)
{
	int64_t ids[CADENCE_SWEEP_BATCH], after = 0;
	size_t n, i;

	/* Without cadences, no account is read: what is pending goes. */
	if (cfg->ncadences == 0)
		return store_exec(st, SQL_WITHDRAW_ALL, STORE_ARGS(STORE_TEXT(
		    CADENCE_WITHDRAWN_NONE), STORE_INT(now)), errp);
	do {
		if (store_begin(st, errp) != 0)
			return -1;
		if (cadence_ids(st, after, ids, &n, errp) != 0)
			goto fail;
		for (i = 0; i < n; i++)
			if (cadence_plan(st, cfg, ids[i], now, errp) != 0)
				goto fail;
		if (store_commit(st, errp) != 0)
			return -1;
		if (n > 0)
			after = ids[n - 1];
	} while (n == CADENCE_SWEEP_BATCH);
	return 0;
fail:
	store_rollback(st);
	return -1;
}

int
cadence_touch(struct store *st, const struct config *cfg,
    const struct contact_new *c, time_t now, int64_t *id, char **errp)
{
	if (contact_insert(st, c, now, id, errp) != 0)
		return -1;
	return cadence_plan(st, cfg, c->account_id, now, errp);
}
