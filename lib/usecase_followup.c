/* Follow-ups made by hand: adding one, closing it, snoozing it, and the
 * test reminder of notify-test. */
#include "usecase.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "config.h"
#include "err.h"
#include "person.h"
#include "store.h"
#include "text.h"
#include "usecase_txn.h"
#include "words.h"

/* DURATION of p's working time from now, named `what` in a message. */
static enum uc_status
followup_after(const struct uc_ctx *ctx, const struct config_person *p,
    const char *duration, const char *what, time_t *due, char **errp)
{
	struct timeutil_duration dur;
	struct timeutil_hours hours;
	char *err = NULL;

	if (timeutil_parse_duration(duration, &dur, &err) != 0) {
		err_set(errp, "%s%s", what, err);
		free(err);
		return UC_REFUSED;
	}
	person_hours(p, &hours);
	*due = timeutil_apply(&hours, ctx->now, &dur, +1);
	if (*due > TIMEUTIL_LAST)
		return err_set(errp, "%s'%s' from now is too far in the future "
		    "(the last day is 9999-12-29)", what, duration),
		    UC_REFUSED;
	return UC_OK;
}

/* The moment of --in DURATION (working time from now) or --at WHEN. */
static enum uc_status
followup_moment(const struct uc_ctx *ctx, const struct config_person *p,
    const char *in, const char *at, time_t *due, char **errp)
{
	if (at != NULL)
		return person_parse_when(ctx->cfg, p, at, ctx->now,
		    person_day_start(p), "--at", due, errp) != 0 ?
		    UC_REFUSED : UC_OK;
	return followup_after(ctx, p, in, "--in: ", due, errp);
}

struct followup_add {
	const struct uc_followup_add *req;
	const struct config_person *owner;
	time_t due;
	int64_t id;
	struct followup *out;   /* read in the transaction */
};

static enum uc_status
followup_add_step(struct uc_ctx *ctx, void *arg, char **errp)
{
	struct followup_add *a = arg;
	struct followup_new f;
	struct deal d;
	int created;

	memset(&f, 0, sizeof(f));
	if (a->req->deal_id != 0) {
		if (deal_get(*ctx->st, a->req->deal_id, &d, errp) != 0)
			return UC_REFUSED;
		f.account_id = d.account_id;
		f.deal_id = a->req->deal_id;
		deal_clear(&d);
	}
	if (a->req->account != NULL && account_ensure(*ctx->st,
	    a->req->account, ctx->now, &f.account_id, &created, errp) != 0)
		return UC_FAILED;
	f.owner = a->req->owner;
	f.text = a->req->text;
	f.due_at = a->due;
	f.remind_at = person_remind_at(a->owner, a->due, ctx->now);
	if (followup_create(*ctx->st, &f, ctx->now, &a->id, errp) != 0 ||
	    followup_get(*ctx->st, a->id, a->out, errp) != 0)
		return UC_FAILED;
	return UC_OK;
}

enum uc_status
uc_followup_add(struct uc_ctx *ctx, const struct uc_followup_add *req,
    struct followup *out, char **errp)
{
	struct followup_add a = { req, NULL, 0, 0, out };
	enum uc_status rc;

	memset(out, 0, sizeof(*out));
	if (uc_check_text(req->text, TEXT_MAX_BYTES, "follow-up text",
	    errp) != UC_OK ||
	    uc_check_text(req->account, NAME_MAX_BYTES, "account name",
	    errp) != UC_OK)
		return UC_REFUSED;
	if ((a.owner = person_find(ctx->cfg, req->owner, errp)) == NULL)
		return UC_REFUSED;
	if ((rc = followup_moment(ctx, a.owner, req->in, req->at, &a.due,
	    errp)) != UC_OK)
		return rc;
	if (a.due < ctx->now && !req->force)
		return err_set(errp, "--at %s is in the past (use --force to "
		    "log it anyway)", req->at), UC_REFUSED;
	return uc_in_transaction(ctx, followup_add_step, &a, errp);
}

/* One follow-up changed: done, cancelled, or snoozed. */
struct followup_change {
	int64_t id;
	const char *state;      /* "done", "cancelled"; NULL: snooze */
	const char *note;
	const char *duration, *until;
	struct followup *out;   /* read in the transaction */
};

static enum uc_status
followup_snooze_in(struct uc_ctx *ctx, const struct followup_change *c,
    const char *owner, char **errp)
{
	const struct config_person *p = config_person(ctx->cfg, owner);
	time_t due;

	if (p == NULL)
		return err_set(errp, "owner '%s' is no longer in the config",
		    owner), UC_REFUSED;
	if (c->duration != NULL) {
		if (followup_after(ctx, p, c->duration, "", &due, errp) !=
		    UC_OK)
			return UC_REFUSED;
	} else if (person_parse_when(ctx->cfg, p, c->until, ctx->now,
	    person_day_start(p), "--until", &due, errp) != 0)
		return UC_REFUSED;
	if (followup_snooze(*ctx->st, c->id, due, person_remind_at(p, due,
	    ctx->now), ctx->now, errp) != 0)
		return uc_refuse(ctx, UC_CONFLICT);
	return UC_OK;
}

static enum uc_status
followup_change_step(struct uc_ctx *ctx, void *arg, char **errp)
{
	const struct followup_change *c = arg;
	struct followup f;
	enum uc_status rc;

	if (followup_get(*ctx->st, c->id, &f, errp) != 0)
		return uc_refuse(ctx, UC_NOT_FOUND);
	if (c->state == NULL)
		rc = followup_snooze_in(ctx, c, f.owner, errp);
	else
		rc = followup_finish(*ctx->st, c->id, c->state, c->note,
		    ctx->now, errp) != 0 ? uc_refuse(ctx, UC_CONFLICT) : UC_OK;
	/* A follow-up done with a customer is a touch of the account. */
	if (rc == UC_OK && c->state != NULL && strcmp(c->state, "done") == 0 &&
	    f.account_id != 0)
		rc = uc_touch(ctx, f.account_id, ctx->now, f.owner, "followup",
		    c->id, errp);
	followup_clear(&f);
	if (rc == UC_OK && followup_get(*ctx->st, c->id, c->out, errp) != 0)
		rc = UC_FAILED;
	return rc;
}

enum uc_status
uc_followup_finish(struct uc_ctx *ctx, int64_t id, const char *state,
    const char *note, struct followup *out, char **errp)
{
	struct followup_change c = { id, state, note, NULL, NULL, out };

	memset(out, 0, sizeof(*out));
	if (uc_check_text(note, TEXT_MAX_BYTES, "--note", errp) != UC_OK)
		return UC_REFUSED;
	return uc_in_transaction(ctx, followup_change_step, &c, errp);
}

enum uc_status
uc_followup_snooze(struct uc_ctx *ctx, int64_t id, const char *duration,
    const char *until, struct followup *out, char **errp)
{
	struct followup_change c = { id, NULL, NULL, duration, until, out };

	memset(out, 0, sizeof(*out));
	return uc_in_transaction(ctx, followup_change_step, &c, errp);
}

struct notify_test {
	const struct config_person *p;
	int64_t id;
};

static enum uc_status
notify_test_step(struct uc_ctx *ctx, void *arg, char **errp)
{
	struct notify_test *t = arg;
	enum lang lang = (enum lang)t->p->language;
	char text[256];

	snprintf(text, sizeof(text), "%s %s %s", word(lang, W_TEST_FOR),
	    t->p->handle, word(lang, W_TEST_TEXT));
	/* Now, not in working hours: a test is wanted when it is asked. */
	return followup_create_message(*ctx->st, t->p->handle, text, NULL,
	    NULL, ctx->now, ctx->now, &t->id, errp) != 0 ? UC_FAILED : UC_OK;
}

enum uc_status
uc_notify_test(struct uc_ctx *ctx, const char *handle,
    const struct config_person **person, int64_t *id, char **errp)
{
	struct notify_test t = { NULL, 0 };
	enum uc_status rc;

	*id = 0;
	if ((*person = t.p = person_find(ctx->cfg, handle, errp)) == NULL)
		return UC_REFUSED;
	if ((rc = uc_in_transaction(ctx, notify_test_step, &t, errp)) ==
	    UC_OK)
		*id = t.id;
	return rc;
}
