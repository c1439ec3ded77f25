/* Deals: adding one, and closing it as won or lost. */
#include "usecase.h"

#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "currency.h"
#include "err.h"
#include "person.h"
#include "store.h"
#include "text.h"
#include "usecase_txn.h"

static enum uc_status
deal_add_step(struct uc_ctx *ctx, void *arg, char **errp)
{
	return deal_insert(*ctx->st, arg, ctx->now, errp) != 0 ? UC_FAILED :
	    UC_OK;
}

/* d's strings from req and the currency code it named, or NULL (d->closes_at,
 * the value are set). */
static enum uc_status
deal_fill(struct deal *d, const struct uc_deal_add *req, const char *currency,
    char **errp)
{
	if ((d->title = strdup(req->title)) == NULL ||
	    (d->account = strdup(req->account)) == NULL ||
	    (d->owner = strdup(req->owner)) == NULL ||
	    (currency != NULL && (d->currency = strdup(currency)) == NULL)) {
		err_set(errp, "out of memory");
		return UC_FAILED;
	}
	return UC_OK;
}

/* req checked and read into *out (not yet written); the owner. */
enum uc_status
uc_deal_prepare(struct uc_ctx *ctx, const struct uc_deal_add *req,
    struct deal *out, const struct config_person **person, char **errp)
{
	char currency[CURRENCY_LEN + 1];
	time_t closes_at = 0;

	memset(out, 0, sizeof(*out));
	if (uc_check_text(req->title, TEXT_MAX_BYTES, "deal title",
	    errp) != UC_OK ||
	    uc_check_text(req->account, NAME_MAX_BYTES, "account name",
	    errp) != UC_OK ||
	    uc_check_text(req->currency, NAME_MAX_BYTES, "--currency",
	    errp) != UC_OK ||
	    (req->currency != NULL &&
	    currency_parse(req->currency, "--currency", currency, errp) != 0))
		return UC_REFUSED;
	if (req->value != NULL &&
	    deal_parse_value(req->value, &out->value_minor, errp) != 0)
		return UC_REFUSED;
	out->has_value = req->value != NULL;
	if ((*person = person_find(ctx->cfg, req->owner, errp)) == NULL)
		return UC_REFUSED;
	if (req->closes != NULL && person_parse_when(ctx->cfg, *person,
	    req->closes, ctx->now, person_day_end(*person), "--closes",
	    &closes_at, errp) != 0)
		return UC_REFUSED;
	out->closes_at = closes_at;
	return deal_fill(out, req, req->currency != NULL ? currency : NULL,
	    errp);
}

enum uc_status
uc_deal_add(struct uc_ctx *ctx, const struct uc_deal_add *req,
    struct deal *out, char **errp)
{
	const struct config_person *person;
	enum uc_status rc;

	if ((rc = uc_deal_prepare(ctx, req, out, &person, errp)) != UC_OK)
		return rc;
	return uc_in_transaction(ctx, deal_add_step, out, errp);
}

enum uc_status
uc_deal_won_touch(struct uc_ctx *ctx, const struct deal *d, char **errp)
{
	if (strcmp(d->stage, "won") != 0)
		return UC_OK;
	return uc_touch(ctx, d->account_id, d->closed_at, d->owner, "deal",
	    d->id, errp);
}

struct deal_close {
	int64_t id;
	const char *stage, *at;
	struct deal *out;       /* read in the transaction */
};

static enum uc_status
deal_close_step(struct uc_ctx *ctx, void *arg, char **errp)
{
	const struct deal_close *req = arg;
	const struct config_person *person;
	struct deal d;
	time_t when = ctx->now;

	if (deal_get(*ctx->st, req->id, &d, errp) != 0)
		return uc_refuse(ctx, UC_NOT_FOUND);
	person = config_person(ctx->cfg, d.owner);
	deal_clear(&d);
	if (req->at != NULL && person == NULL)
		return err_set(errp, "the deal's owner is no longer in the "
		    "config"), UC_REFUSED;
	if (req->at != NULL && uc_outcome_at(ctx, person, req->at,
	    person_day_start(person), &when, errp) != UC_OK)
		return UC_REFUSED;
	if (deal_close(*ctx->st, req->id, req->stage, when, ctx->now,
	    errp) != 0)
		return uc_refuse(ctx, UC_CONFLICT);
	if (deal_get(*ctx->st, req->id, req->out, errp) != 0)
		return UC_FAILED;
	return uc_deal_won_touch(ctx, req->out, errp);
}

enum uc_status
uc_deal_close(struct uc_ctx *ctx, int64_t id, const char *stage,
    const char *at, struct deal *out, char **errp)
{
	struct deal_close req = { id, stage, at, out };

	memset(out, 0, sizeof(*out));
	return uc_in_transaction(ctx, deal_close_step, &req, errp);
}
