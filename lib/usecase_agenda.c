/* The agenda: what is coming, and what is overdue, in one list. */
#include "usecase.h"

#include "jsonout.h"

#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "person.h"
#include "store.h"

static int
agenda_cmp(const void *a, const void *b)
{
	const struct uc_agenda_item *x = a, *y = b;

	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static void
agenda_add(struct uc_agenda *a, const char *kind, int64_t id, int64_t at,
    const char *owner, const char *text, const char *account, time_t now)
{
	a->items[a->n++] = (struct uc_agenda_item){ kind, id, at, owner, text,
	    account, at < now };
}

/* The items of the records read: a follow-up at its reminder, a
 * promise at its due moment before the horizon, and at its target while
 * that is still ahead. */
static enum uc_status
agenda_items(struct uc_agenda *a, time_t now, time_t horizon, char **errp)
{
	const struct followup *f;
	const struct promise *p;
	size_t i;

	if ((a->items = calloc(a->nfollowups + 2 * a->npromises + 1,
	    sizeof(*a->items))) == NULL)
		return err_set(errp, "out of memory"), UC_FAILED;
	for (i = 0; i < a->nfollowups; i++) {
		f = &a->followups[i];
		agenda_add(a, "followup", f->id, f->remind_at, f->owner,
		    f->text, f->account, now);
	}
	for (i = 0; i < a->npromises; i++) {
		p = &a->promises[i];
		if (p->due_at >= horizon)
			continue;
		if (p->target_at >= now && p->target_at < p->due_at)
			agenda_add(a, "promise.target", p->id, p->target_at,
			    p->owner, p->text, p->account, now);
		agenda_add(a, "promise.due", p->id, p->due_at, p->owner,
		    p->text, p->account, now);
	}
	qsort(a->items, a->n, sizeof(*a->items), agenda_cmp);
	return UC_OK;
}

enum uc_status
uc_agenda(struct uc_ctx *ctx, const char *owner, long days,
    struct uc_agenda *out, char **errp)
{
	struct followup_filter ff;
	struct promise_filter pf;
	enum uc_status rc;
	time_t horizon;

	memset(out, 0, sizeof(*out));
	if (days < 1 || days > UC_AGENDA_MAX_DAYS)
		return err_set(errp, "--days wants a number of days, 1 to %d",
		    UC_AGENDA_MAX_DAYS), UC_REFUSED;
	if (owner != NULL && person_find(ctx->cfg, owner, errp) == NULL)
		return UC_REFUSED;
	if ((rc = uc_store_read(ctx, errp)) != UC_OK)
		return rc;
	horizon = ctx->now + (time_t)days * 86400;
	memset(&ff, 0, sizeof(ff));
	ff.owner = owner;
	ff.to = horizon;
	memset(&pf, 0, sizeof(pf));
	pf.owner = owner;
	pf.state = "open";
	/* Open and due before the horizon: the overdue statement with the
	 * horizon as its moment, a range on the (state, due_at) index
	 * rather than every open promise. */
	pf.overdue = 1;
	pf.now = horizon;
	if (followup_list(*ctx->st, &ff, &out->followups, &out->nfollowups,
	    errp) != 0 || promise_list(*ctx->st, &pf, &out->promises,
	    &out->npromises, errp) != 0)
		return UC_FAILED;
	return agenda_items(out, ctx->now, horizon, errp);
}

void
uc_agenda_clear(struct uc_agenda *a)
{
	free(a->items);
	followup_list_free(a->followups, a->nfollowups);
	promise_list_free(a->promises, a->npromises);
	memset(a, 0, sizeof(*a));
}

/* One item, its time in zone; NULL when out of memory. */
static json_t *
agenda_item_json(const struct uc_agenda_item *it, const char *zone)
{
	json_t *o = json_pack("{s:s, s:I, s:s, s:s, s:s?, s:b}", "kind",
	    it->kind, "id", (json_int_t)it->id, "owner", it->owner, "text",
	    it->text, "account", it->account, "overdue", it->overdue);

	if (o != NULL && jsonout_set_time(o, "at", it->at, zone) != 0) {
		json_decref(o);
		o = NULL;
	}
	return o;
}

json_t *
uc_agenda_json(const struct uc_agenda *ag, const struct config *cfg,
    const char *tz)
{
	json_t *arr = json_array(), *o;
	size_t i;

	for (i = 0; i < ag->n && arr != NULL; i++) {
		o = agenda_item_json(&ag->items[i], tz != NULL ? tz :
		    person_zone(cfg, ag->items[i].owner));
		/* A row missing is no answer: the caller says it failed. */
		if (o == NULL || json_array_append_new(arr, o) != 0) {
			json_decref(arr);
			arr = NULL;
		}
	}
	return arr;
}
