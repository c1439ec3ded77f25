/*
 * A person's actions on the outbox: retrying a dead (or failing)
 * delivery, dismissing a dead one.  Each row acted on gets an event on
 * subject 'delivery', which is its history: who, when, what, the note,
 * and what the row said before (a retry wipes its attempts and error).
 */
#include "usecase.h"

#include <stdlib.h>
#include <string.h>

#include "cadence.h"
#include "err.h"
#include "event.h"
#include "jsonout.h"
#include "outbox.h"
#include "store.h"
#include "text.h"
#include "usecase_txn.h"

struct delivery_act {
	const struct uc_delivery_action *req;
	int dismiss;
	struct uc_delivery_done *out;
};

/* A state as a refusal says it. */
static const char *
delivery_state_words(const char *state)
{
	if (strcmp(state, "sending") == 0)
		return "being sent now";
	if (strcmp(state, "retry") == 0)
		return "failing";
	return state;
}

/* Whether the row `it` may be retried (or dismissed): UC_OK, or a
 * refusal that says why. */
static enum uc_status
delivery_allowed(const struct outbox_item *it, int dismiss, char **errp)
{
	const char *s = it->state;
	int dead = strcmp(s, "dead") == 0;

	/* Set aside by a touch (lib/cadence.c): its reminder is cancelled,
	 * and what it said is no longer true. */
	if (!dismiss && strcmp(s, "dismissed") == 0 && it->last_error != NULL &&
	    strncmp(it->last_error, CADENCE_WITHDRAWN,
	    strlen(CADENCE_WITHDRAWN)) == 0)
		return err_set(errp, "delivery %lld was withdrawn (%s): its "
		    "reminder is cancelled, there is nothing to send",
		    (long long)it->id, it->last_error), UC_REFUSED;
	if (dismiss ? dead : dead || strcmp(s, "dismissed") == 0 ||
	    strcmp(s, "retry") == 0)
		return UC_OK;
	if (dismiss && strcmp(s, "dismissed") == 0)
		err_set(errp, "delivery %lld is already dismissed",
		    (long long)it->id);
	else if (dismiss)
		err_set(errp, "delivery %lld is %s, not dead: only a dead "
		    "delivery can be dismissed", (long long)it->id,
		    delivery_state_words(s));
	else
		err_set(errp, "delivery %lld is %s: only a dead or failing "
		    "delivery can be retried (a queued one is sent when it "
		    "is due)", (long long)it->id, delivery_state_words(s));
	return UC_REFUSED;
}

/* The event of the action on `it`, read before it. */
static enum uc_status
delivery_event(struct uc_ctx *ctx, const struct outbox_item *it,
    int dismiss, const char *note, char **errp)
{
	json_t *d;
	int rc;

	if ((d = json_object()) == NULL)
		return err_set(errp, "out of memory"), UC_FAILED;
	rc = jsonout_set_str(d, "note", note);
	rc |= jsonout_set_text(d, "was", it->state);
	rc |= jsonout_set_int(d, "attempts", it->attempts);
	/* A receiver's words need not be UTF-8: those are not kept (the
	 * same call, whatever the memory, writes the same event). */
	if (it->last_error != NULL && text_valid_utf8(it->last_error,
	    strlen(it->last_error)))
		rc |= jsonout_set_text(d, "last_error", it->last_error);
	if (rc != 0) {
		json_decref(d);
		return err_set(errp, "out of memory"), UC_FAILED;
	}
	rc = event_append(*ctx->st, ctx->now, dismiss ? "delivery.dismissed" :
	    "delivery.retried", "delivery", it->id, d, errp);
	json_decref(d);
	return rc != 0 ? UC_FAILED : UC_OK;
}

/* The rows the request names into a->out: one (refused when unknown or
 * in a state that does not allow the action), or every dead one. */
static enum uc_status
delivery_rows(struct uc_ctx *ctx, struct delivery_act *a, char **errp)
{
	struct uc_delivery_done *o = a->out;
	int found;

	if (a->req->all_dead)
		return outbox_list(*ctx->st, "dead", &o->items, &o->n,
		    errp) != 0 ? UC_FAILED : UC_OK;
	if ((o->items = calloc(1, sizeof(*o->items))) == NULL)
		return err_set(errp, "out of memory"), UC_FAILED;
	o->n = 1;
	if ((found = outbox_find(*ctx->st, a->req->id, o->items, errp)) < 0)
		return UC_FAILED;
	if (found == 0)
		return err_set(errp, "no delivery with id %lld (`nudge "
		    "delivery list` shows them)", (long long)a->req->id),
		    UC_REFUSED;
	return delivery_allowed(o->items, a->dismiss, errp);
}

static enum uc_status
delivery_act_step(struct uc_ctx *ctx, void *arg, char **errp)
{
	struct delivery_act *a = arg;
	struct uc_delivery_done *o = a->out;
	int64_t ids[STORE_BATCH];
	enum uc_status rc;
	size_t i, k;
	int found;

	if ((rc = delivery_rows(ctx, a, errp)) != UC_OK)
		return rc;
	for (i = 0; i < o->n; i++)
		if ((rc = delivery_event(ctx, &o->items[i], a->dismiss,
		    a->req->note, errp)) != UC_OK)
			return rc;
	if (a->dismiss && outbox_dismiss(*ctx->st, o->items[0].id, ctx->now,
	    errp) != 0)
		return UC_FAILED;
	for (i = 0; !a->dismiss && i < o->n; i += k) {
		for (k = 0; k < STORE_BATCH && i + k < o->n; k++)
			ids[k] = o->items[i + k].id;
		if (outbox_retry(*ctx->st, ids, k, ctx->now, errp) != 0)
			return UC_FAILED;
	}
	/* Read back: the rows as they are now. */
	for (i = 0; i < o->n; i++) {
		ids[0] = o->items[i].id;
		outbox_item_clear(&o->items[i]);
		if ((found = outbox_find(*ctx->st, ids[0], &o->items[i],
		    errp)) < 0)
			return UC_FAILED;
		if (found == 0)
			return err_set(errp, "delivery %lld is gone after it "
			    "was written", (long long)ids[0]), UC_FAILED;
	}
	return UC_OK;
}

static enum uc_status
delivery_act(struct uc_ctx *ctx, const struct uc_delivery_action *req,
    int dismiss, struct uc_delivery_done *out, char **errp)
{
	struct delivery_act a = { req, dismiss, out };
	enum uc_status rc;

	memset(out, 0, sizeof(*out));
	if (uc_check_text(req->note, TEXT_MAX_BYTES, "--note", errp) != UC_OK)
		return UC_REFUSED;
	if ((req->id > 0) == (req->all_dead != 0) || (dismiss &&
	    req->all_dead))
		return err_set(errp, "%s takes one delivery id%s", dismiss ?
		    "dismiss" : "retry", dismiss ? "" : " or all dead ones"),
		    UC_REFUSED;
	if ((rc = uc_in_transaction(ctx, delivery_act_step, &a, errp)) !=
	    UC_OK)
		uc_delivery_done_clear(out);
	return rc;
}

enum uc_status
uc_delivery_retry(struct uc_ctx *ctx, const struct uc_delivery_action *req,
    struct uc_delivery_done *out, char **errp)
{
	return delivery_act(ctx, req, 0, out, errp);
}

enum uc_status
uc_delivery_dismiss(struct uc_ctx *ctx, const struct uc_delivery_action *req,
    struct uc_delivery_done *out, char **errp)
{
	return delivery_act(ctx, req, 1, out, errp);
}

void
uc_delivery_done_clear(struct uc_delivery_done *d)
{
	outbox_list_free(d->items, d->n);
	d->items = NULL;
	d->n = 0;
}
