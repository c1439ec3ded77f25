/* Promises: logging one (target, check, strict), and how it ends. */
#include "usecase.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "config.h"
#include "err.h"
#include "person.h"
#include "store.h"
#include "text.h"
#include "usecase_txn.h"

/* The internal target for a promise due at `due`, made at `made`, by the
 * configured slack in the owner's working time. */
static time_t
promise_target_for(const struct config *cfg, const struct config_person *p,
    time_t made, time_t due)
{
	struct timeutil_hours hours;
	struct promise_slack slack;

	person_hours(p, &hours);
	slack.percent = cfg->promises.slack_percent;
	slack.min = cfg->promises.min_slack;
	slack.max = cfg->promises.max_slack;
	return promise_target(&hours, &slack, made, due);
}

/* "promise refused (--strict):" and a line for each reason. */
static enum uc_status
promise_refuse_strict(json_t *warnings, char **errp)
{
	char *text = NULL;
	size_t size = 0, i;
	FILE *m;

	if ((m = open_memstream(&text, &size)) == NULL)
		return err_set(errp, "out of memory"), UC_FAILED;
	fputs("promise refused (--strict):", m);
	for (i = 0; i < json_array_size(warnings); i++)
		fprintf(m, "\n  - %s", json_string_value(json_object_get(
		    json_array_get(warnings, i), "reason")));
	if (fclose(m) != 0) {
		free(text);
		return err_set(errp, "out of memory"), UC_FAILED;
	}
	if (errp != NULL)
		*errp = text;
	else
		free(text);
	return UC_REFUSED;
}

struct promise_add {
	const struct uc_promise_add *req;
	struct uc_promise_added *out;
	time_t due_at;
};

static enum uc_status
promise_add_step(struct uc_ctx *ctx, void *arg, char **errp)
{
	struct promise_add *a = arg;
	const struct uc_promise_add *req = a->req;
	struct promise *p = &a->out->promise;
	const char *account = req->account;
	struct deal d;
	enum uc_status rc = UC_FAILED;

	memset(&d, 0, sizeof(d));
	if (req->deal_id != 0) {
		if (deal_get(*ctx->st, req->deal_id, &d, errp) != 0)
			return UC_REFUSED;
		account = d.account;
		p->deal_id = req->deal_id;
	}
	if (check_promise(*ctx->st, ctx->cfg, a->out->owner, req->text,
	    ctx->now, a->due_at, &a->out->warnings, errp) != 0)
		goto out;
	if ((req->strict || ctx->cfg->promises.strict) &&
	    json_array_size(a->out->warnings) > 0) {
		if ((rc = promise_refuse_strict(a->out->warnings, errp)) ==
		    UC_REFUSED)
			ctx->refusal = UC_CONFLICT;
		goto out;
	}
	if ((p->text = strdup(req->text)) == NULL ||
	    (p->owner = strdup(req->owner)) == NULL ||
	    (p->account = strdup(account)) == NULL ||
	    (req->to != NULL && (p->promised_to = strdup(req->to)) == NULL)) {
		err_set(errp, "out of memory");
		goto out;
	}
	p->made_at = ctx->now;
	p->due_at = a->due_at;
	p->target_at = promise_target_for(ctx->cfg, a->out->owner, ctx->now,
	    a->due_at);
	if (promise_insert(*ctx->st, p, ctx->now, errp) == 0)
		rc = UC_OK;
out:
	deal_clear(&d);
	return rc;
}

enum uc_status
uc_promise_add(struct uc_ctx *ctx, const struct uc_promise_add *req,
    struct uc_promise_added *out, char **errp)
{
	struct promise_add a = { req, out, 0 };

	memset(out, 0, sizeof(*out));
	if (uc_check_text(req->text, TEXT_MAX_BYTES, "promise text",
	    errp) != UC_OK ||
	    uc_check_text(req->account, NAME_MAX_BYTES, "account name",
	    errp) != UC_OK ||
	    uc_check_text(req->to, NAME_MAX_BYTES, "--to", errp) != UC_OK)
		return UC_REFUSED;
	if ((out->owner = person_find(ctx->cfg, req->owner, errp)) == NULL ||
	    person_parse_when(ctx->cfg, out->owner, req->due, ctx->now,
	    person_day_end(out->owner), "--due", &a.due_at, errp) != 0)
		return UC_REFUSED;
	if (a.due_at <= ctx->now && !req->force)
		return err_set(errp, "--due %s is in the past (use --force to "
		    "log a promise already due)", req->due), UC_REFUSED;
	return uc_in_transaction(ctx, promise_add_step, &a, errp);
}

void
uc_promise_added_clear(struct uc_promise_added *r)
{
	promise_clear(&r->promise);
	json_decref(r->warnings);
	r->warnings = NULL;
}

/* One open promise changed: how it ended, or its new dates. */
struct promise_change {
	int64_t id;
	const char *state;      /* NULL: renegotiate */
	const char *when;       /* kept --at, or the new --due */
	const char *note;
	struct promise *out;    /* read in the transaction */
};

static enum uc_status
promise_change_step(struct uc_ctx *ctx, void *arg, char **errp)
{
	const struct promise_change *c = arg;
	const struct config_person *person = NULL;
	struct promise p;
	enum uc_status rc = UC_REFUSED;
	time_t when = ctx->now, target;

	if (promise_get(*ctx->st, c->id, &p, errp) != 0)
		return uc_refuse(ctx, UC_NOT_FOUND);
	if ((c->when != NULL || c->state == NULL) &&
	    (person = uc_owner_still(ctx, p.owner, "promise", c->id,
	    errp)) == NULL)
		goto out;
	if (c->when != NULL && (c->state != NULL ? uc_outcome_at(ctx, person,
	    c->when, person_day_end(person), &when, errp) != UC_OK :
	    person_parse_when(ctx->cfg, person, c->when, ctx->now,
	    person_day_end(person), "--due", &when, errp) != 0))
		goto out;
	if (c->state == NULL && when <= ctx->now) {
		err_set(errp, "the new due date is in the past");
		goto out;
	}
	/* What is left to refuse is the promise's state. */
	ctx->refusal = UC_CONFLICT;
	if (c->state != NULL) {
		if (promise_set_state(*ctx->st, c->id, c->state, when,
		    ctx->now, errp) != 0)
			goto out;
	} else {
		/* The slack is worked out afresh: the lead time runs from
		 * now. */
		target = promise_target_for(ctx->cfg, person, ctx->now, when);
		if (promise_renegotiate(*ctx->st, c->id, when, target, c->note,
		    ctx->now, errp) != 0)
			goto out;
	}
	rc = promise_get(*ctx->st, c->id, c->out, errp) != 0 ? UC_FAILED :
	    UC_OK;
	/* A promise kept is a touch of its account. */
	if (rc == UC_OK && c->state != NULL && strcmp(c->state, "kept") == 0)
		rc = uc_touch(ctx, p.account_id, when, p.owner, "promise",
		    c->id, errp);
out:
	promise_clear(&p);
	return rc;
}

enum uc_status
uc_promise_finish(struct uc_ctx *ctx, int64_t id, const char *state,
    const char *at, struct promise *out, char **errp)
{
	struct promise_change c = { id, state, at, NULL, out };

	memset(out, 0, sizeof(*out));
	return uc_in_transaction(ctx, promise_change_step, &c, errp);
}

enum uc_status
uc_promise_renegotiate(struct uc_ctx *ctx, int64_t id, const char *due,
    const char *note, struct promise *out, char **errp)
{
	struct promise_change c = { id, NULL, due, note, out };

	memset(out, 0, sizeof(*out));
	if (uc_check_text(note, TEXT_MAX_BYTES, "--note", errp) != UC_OK)
		return UC_REFUSED;
	return uc_in_transaction(ctx, promise_change_step, &c, errp);
}
