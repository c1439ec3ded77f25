/* A deal as another system sends it (the HTTP API): its stage and its
 * id there, so the same event twice is one deal. */
#include "usecase.h"

#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "deal_external.h"
#include "err.h"
#include "person.h"
#include "store.h"
#include "text.h"
#include "usecase_txn.h"

struct deal_import {
	const struct uc_deal_import *req;
	struct deal *out;       /* filled, not yet written */
	int *created;
	time_t when;            /* won or lost at */
};

/* The deal there already: closed as asked if it is open, else as it is;
 * a deal won cannot be lost (409). */
static enum uc_status
deal_import_known(struct uc_ctx *ctx, struct deal_import *a, int64_t id,
    char **errp)
{
	const struct uc_deal_import *req = a->req;
	const char *stage = req->stage != NULL ? req->stage : "open";

	deal_clear(a->out);
	if (deal_get(*ctx->st, id, a->out, errp) != 0)
		return UC_FAILED;
	if (strcmp(a->out->stage, "open") != 0 || strcmp(stage, "open") == 0) {
		if (strcmp(stage, "open") == 0 ||
		    strcmp(stage, a->out->stage) == 0)
			return UC_OK;
		return err_set(errp, "deal %lld is already %s", (long long)id,
		    a->out->stage), uc_refuse(ctx, UC_CONFLICT);
	}
	deal_clear(a->out);
	if (deal_close(*ctx->st, id, stage, a->when, ctx->now, errp) != 0 ||
	    deal_get(*ctx->st, id, a->out, errp) != 0)
		return UC_FAILED;
	return uc_deal_won_touch(ctx, a->out, errp);
}

static enum uc_status
deal_import_step(struct uc_ctx *ctx, void *arg, char **errp)
{
	struct deal_import *a = arg;
	const struct uc_deal_import *req = a->req;
	int64_t id = 0;
	int known = 0;

	if (req->source != NULL && (known = deal_external_find(*ctx->st,
	    req->source, req->external_id, &id, errp)) < 0)
		return UC_FAILED;
	if (known)
		return deal_import_known(ctx, a, id, errp);
	if (deal_insert(*ctx->st, a->out, ctx->now, errp) != 0)
		return UC_FAILED;
	*a->created = 1;
	if (req->source != NULL && deal_external_add(*ctx->st, req->source,
	    req->external_id, a->out->id, errp) != 0)
		return UC_FAILED;
	return uc_deal_won_touch(ctx, a->out, errp);
}

/* The stage, its moment and the external id, checked. */
static enum uc_status
deal_import_check(struct uc_ctx *ctx, const struct uc_deal_import *req,
    const struct config_person *person, struct deal *d, char **errp)
{
	const char *stage = req->stage != NULL ? req->stage : "open";
	time_t when = ctx->now;

	if (strcmp(stage, "open") != 0 && strcmp(stage, "won") != 0 &&
	    strcmp(stage, "lost") != 0)
		return err_set(errp, "stage '%s': open, won or lost", stage),
		    UC_REFUSED;
	if ((req->source == NULL) != (req->external_id == NULL))
		return err_set(errp, "source and external_id go together"),
		    UC_REFUSED;
	if (uc_check_text(req->source, NAME_MAX_BYTES, "source",
	    errp) != UC_OK ||
	    uc_check_text(req->external_id, NAME_MAX_BYTES, "external_id",
	    errp) != UC_OK)
		return UC_REFUSED;
	if (strcmp(stage, "open") == 0)
		return req->at != NULL ? (err_set(errp, "at: only a deal won "
		    "or lost has one"), UC_REFUSED) : UC_OK;
	if (req->at != NULL && uc_outcome_at(ctx, person, req->at,
	    person_day_start(person), &when, errp) != UC_OK)
		return UC_REFUSED;
	free(d->stage);
	if ((d->stage = strdup(stage)) == NULL)
		return err_set(errp, "out of memory"), UC_FAILED;
	d->closed_at = when;
	return UC_OK;
}

enum uc_status
uc_deal_import(struct uc_ctx *ctx, const struct uc_deal_import *req,
    struct deal *out, int *created, char **errp)
{
	struct deal_import a = { req, out, created, 0 };
	const struct config_person *person;
	enum uc_status rc;

	*created = 0;
	if ((rc = uc_deal_prepare(ctx, &req->add, out, &person, errp)) !=
	    UC_OK ||
	    (rc = deal_import_check(ctx, req, person, out, errp)) != UC_OK)
		return rc;
	a.when = out->closed_at;
	return uc_in_transaction(ctx, deal_import_step, &a, errp);
}

int
uc_deal_external(struct store *st, int64_t deal_id, char **source,
    char **external_id, char **errp)
{
	struct deal_external *v;
	size_t n;

	*source = *external_id = NULL;
	if (deal_external_of(st, deal_id, &v, &n, errp) != 0)
		return -1;
	/* The first: the API records one per deal. */
	if (n > 0) {
		*source = v[0].source;
		*external_id = v[0].external_id;
		v[0].source = v[0].external_id = NULL;
	}
	deal_external_list_free(v, n);
	return 0;
}
