/* Contacts and stay-in-touch cadences: a touch logged, an account paused
 * or resumed, and the touch every other use-case makes (uc_touch). */
#include "usecase.h"

#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "cadence.h"
#include "config.h"
#include "contact.h"
#include "err.h"
#include "jsonout.h"
#include "person.h"
#include "store.h"
#include "text.h"
#include "usecase_txn.h"

enum uc_status
uc_touch(struct uc_ctx *ctx, int64_t account_id, int64_t at,
    const char *owner, const char *source, int64_t source_id, char **errp)
{
	struct contact_new c;
	int64_t id;

	/* The touch logged and the account's reminder planned again. */
	contact_of_record(&c, account_id, at, owner, source, source_id);
	return cadence_touch(*ctx->st, ctx->cfg, &c, ctx->now, &id,
	    errp) != 0 ? UC_FAILED : UC_OK;
}

/* The account's next stay-in-touch moment and its cadence, as planned. */
static enum uc_status
contact_next(struct uc_ctx *ctx, int64_t account_id, int64_t *due,
    const char **cadence, char **errp)
{
	struct cadence_account a;
	struct cadence_state s;

	if (cadence_account_get(*ctx->st, account_id, &a, errp) != 0)
		return UC_FAILED;
	cadence_judge(ctx->cfg, &a, ctx->now, &s);
	*due = s.due;
	if (cadence != NULL)
		*cadence = s.cadence != NULL ? s.cadence->name : NULL;
	cadence_account_clear(&a);
	return UC_OK;
}

struct contact_add {
	const struct uc_contact_add *req;
	struct uc_contact_added *out;
};

static enum uc_status
contact_add_step(struct uc_ctx *ctx, void *arg, char **errp)
{
	struct contact_add *a = arg;
	struct uc_contact_added *out = a->out;
	struct contact_new c;
	int created;

	if (account_ensure(*ctx->st, a->req->account, ctx->now,
	    &out->account_id, &created, errp) != 0)
		return UC_FAILED;
	contact_of_record(&c, out->account_id, out->at, out->owner->handle,
	    "contact", 0);
	c.with = a->req->with;
	c.note = a->req->note;
	if (cadence_touch(*ctx->st, ctx->cfg, &c, ctx->now, &out->id,
	    errp) != 0)
		return UC_FAILED;
	return contact_next(ctx, out->account_id, &out->next_due,
	    &out->cadence, errp);
}

/* Who made the touch: --owner, else the owner of the account's cadence. */
static const struct config_person *
contact_owner(const struct uc_ctx *ctx, const struct uc_contact_add *req,
    char **errp)
{
	const struct config_cadence *c;

	if (req->owner != NULL)
		return person_find(ctx->cfg, req->owner, errp);
	c = config_cadence_for(ctx->cfg, req->account);
	if (c == NULL || c->owner == NULL) {
		err_set(errp, "contact with '%s' needs --owner (no cadence "
		    "names its owner)", req->account);
		return NULL;
	}
	return person_find(ctx->cfg, c->owner, errp);
}

enum uc_status
uc_contact_add(struct uc_ctx *ctx, const struct uc_contact_add *req,
    struct uc_contact_added *out, char **errp)
{
	struct contact_add a = { req, out };
	time_t at = ctx->now;

	memset(out, 0, sizeof(*out));
	if (uc_check_text(req->account, NAME_MAX_BYTES, "account name",
	    errp) != UC_OK ||
	    uc_check_text(req->with, NAME_MAX_BYTES, "--with", errp) != UC_OK ||
	    uc_check_text(req->note, TEXT_MAX_BYTES, "--note", errp) != UC_OK)
		return UC_REFUSED;
	if ((out->owner = contact_owner(ctx, req, errp)) == NULL)
		return UC_REFUSED;
	if (req->at != NULL && uc_outcome_at(ctx, out->owner, req->at,
	    person_day_start(out->owner), &at, errp) != UC_OK)
		return UC_REFUSED;
	out->at = at;
	return uc_in_transaction(ctx, contact_add_step, &a, errp);
}

json_t *
uc_contact_json(const struct uc_contact_add *req,
    const struct uc_contact_added *r)
{
	const char *zone = r->owner->timezone;
	json_t *o = json_object();

	return jsonout_made(o, o == NULL ||
	    jsonout_set_int(o, "id", r->id) != 0 ||
	    jsonout_set_text(o, "account", req->account) != 0 ||
	    jsonout_set_int(o, "account_id", r->account_id) != 0 ||
	    jsonout_set_time(o, "at", r->at, zone) != 0 ||
	    jsonout_set_text(o, "owner", r->owner->handle) != 0 ||
	    jsonout_set_str(o, "with", req->with) != 0 ||
	    jsonout_set_str(o, "note", req->note) != 0 ||
	    jsonout_set_str(o, "cadence", r->cadence) != 0 ||
	    jsonout_set_time(o, "next_due", r->next_due, zone) != 0);
}

struct account_pause {
	const char *account;
	int pause;
	const char *until;
	struct uc_account_paused *out;
};

/* --until WHEN read in the zone of the account's cadence owner (the
 * team's without one); it must be ahead. */
static enum uc_status
pause_until(struct uc_ctx *ctx, const struct account_pause *p, time_t *until,
    char **errp)
{
	const struct config_cadence *c = config_cadence_for(ctx->cfg,
	    p->account);
	const struct config_person *owner = c != NULL ?
	    config_person(ctx->cfg, c->owner) : NULL;

	if (person_parse_when(ctx->cfg, owner, p->until, ctx->now,
	    owner != NULL ? person_day_start(owner) : 0, "--until", until,
	    errp) != 0)
		return UC_REFUSED;
	if (*until <= ctx->now)
		return err_set(errp, "--until %s is not in the future",
		    p->until), UC_REFUSED;
	return UC_OK;
}

static enum uc_status
account_pause_step(struct uc_ctx *ctx, void *arg, char **errp)
{
	struct account_pause *p = arg;
	int found;

	if (account_find(*ctx->st, p->account, &p->out->account_id, &found,
	    errp) != 0)
		return UC_FAILED;
	if (!found)
		return err_set(errp, "no account '%s'", p->account),
		    UC_REFUSED;
	if (account_set_pause(*ctx->st, p->out->account_id, p->pause ?
	    ctx->now : 0, p->out->until, ctx->now, errp) != 0 ||
	    cadence_plan(*ctx->st, ctx->cfg, p->out->account_id, ctx->now,
	    errp) != 0)
		return UC_FAILED;
	return contact_next(ctx, p->out->account_id, &p->out->next_due, NULL,
	    errp);
}

static enum uc_status
account_pause(struct uc_ctx *ctx, struct account_pause *p, char **errp)
{
	time_t until = 0;

	memset(p->out, 0, sizeof(*p->out));
	if (uc_check_text(p->account, NAME_MAX_BYTES, "account name",
	    errp) != UC_OK)
		return UC_REFUSED;
	if (p->until != NULL && pause_until(ctx, p, &until, errp) != UC_OK)
		return UC_REFUSED;
	p->out->until = until;
	return uc_in_transaction(ctx, account_pause_step, p, errp);
}

enum uc_status
uc_account_pause(struct uc_ctx *ctx, const char *account, const char *until,
    struct uc_account_paused *out, char **errp)
{
	struct account_pause p = { account, 1, until, out };

	return account_pause(ctx, &p, errp);
}

enum uc_status
uc_account_resume(struct uc_ctx *ctx, const char *account,
    struct uc_account_paused *out, char **errp)
{
	struct account_pause p = { account, 0, NULL, out };

	return account_pause(ctx, &p, errp);
}
