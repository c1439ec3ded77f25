#include "delivery.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "err.h"
#include "followup.h"
#include "outbox.h"
#include "store.h"

long
delivery_backoff(const struct config *cfg, int attempts)
{
	long base = (long)cfg->delivery.backoff.seconds;
	long cap = (long)cfg->delivery.max_backoff.seconds;
	long wait = base;
	int i;

	for (i = 1; i < attempts && wait < cap; i++)
		wait *= 2;
	if (wait > cap)
		wait = cap;
	if (wait >= 4)
		wait -= random() % (wait / 4);
	return wait > 0 ? wait : 1;
}

void
delivery_decide(const struct config *cfg, const struct outbox_item *it,
    const struct delivery_result *res, struct delivery_fate *fate)
{
	long cap = (long)cfg->delivery.max_backoff.seconds;
	int attempt = it->attempts + 1;

	fate->wait = 0;
	fate->dead = 0;
	if (res->error == NULL)
		return;
	if (res->permanent || attempt >= cfg->delivery.attempts) {
		fate->dead = 1;
		return;
	}
	fate->wait = delivery_backoff(cfg, attempt);
	/* Retry-After is honoured up to max_backoff, the longest wait
	 * between tries whoever asks: a receiver saying "a day" (or "a
	 * year") must not park a reminder past its usefulness. */
	if (res->retry_after > fate->wait)
		fate->wait = res->retry_after < cap ? res->retry_after : cap;
}

/*
 * A dead delivery is never silent: with `ops` set, that channel hears of it
 * as a follow-up of its own (rule "ops"), made in the same transaction.  A
 * dead delivery to the ops channel itself only shows in `nudge status`.
 */
static int
delivery_tell_ops(struct store *st, const struct config *cfg,
    const struct outbox_item *it, const char *error, time_t now,
    char **errp)
{
	struct followup read;
	const struct followup *orig = &read;
	char occurrence[128], *text = NULL, *why = NULL;
	int64_t id;
	int rc;

	if (cfg->ops == NULL || strcmp(it->channel, cfg->ops) == 0)
		return 0;
	/* A claimed row's follow-up was read with it: read it only for a
	 * row without one.  A follow-up that cannot be read (gone, with
	 * foreign keys off once) is named by its id: ops hears of it all
	 * the same.  Were the database failing, the insert below would say
	 * so. */
	memset(&read, 0, sizeof(read));
	if (it->followup.id != 0)
		orig = &it->followup;
	else if (followup_get(st, it->followup_id, &read, &why) != 0)
		free(why);
	if (asprintf(&text, "Delivery %s of follow-up %lld for %s via %s is "
	    "dead after %d attempts: %s. It said: %s", it->delivery_id,
	    (long long)it->followup_id, orig->owner != NULL ? orig->owner :
	    "(unknown)", it->channel, it->attempts + 1, error,
	    orig->text != NULL ? orig->text : "(it cannot be read)") < 0) {
		followup_clear(&read);
		return err_set(errp, "out of memory");
	}
	snprintf(occurrence, sizeof(occurrence), "ops:%s", it->delivery_id);
	rc = followup_create_message(st, orig->owner != NULL ? orig->owner :
	    "(unknown)", text, "ops", occurrence, now, now, &id, errp);
	free(text);
	followup_clear(&read);
	return rc;
}

int
delivery_batch_flush(struct store *st, struct delivery_batch *b, time_t now,
    char **errp)
{
	int rc = outbox_mark_delivered(st, b->id, b->n, now, errp);

	b->n = 0;
	return rc;
}

int
delivery_record(struct store *st, const struct config *cfg,
    const struct outbox_item *it, const struct delivery_result *res,
    const struct delivery_fate *fate, time_t now,
    struct delivery_batch *batch, char **errp)
{
	if (res->error == NULL) {
		if (batch == NULL)
			return outbox_mark_delivered(st, &it->id, 1, now, errp);
		if (batch->n == DELIVERY_BATCH_MAX &&
		    delivery_batch_flush(st, batch, now, errp) != 0)
			return -1;
		batch->id[batch->n++] = it->id;
		return 0;
	}
	if (fate->dead && delivery_tell_ops(st, cfg, it, res->error, now,
	    errp) != 0)
		return -1;
	return outbox_mark_failed(st, it->id, res->error,
	    fate->dead ? 0 : now + fate->wait, now, errp);
}

/* The transaction of a round failed: the outcomes written before the
 * savepoint stay when that much can still be committed. */
static void
delivery_round_undo(struct store *st, int marked,
    const struct delivery_transport *t)
{
	int kept = marked && store_mark_undo(st, NULL) == 0 &&
	    store_commit(st, NULL) == 0;

	if (!kept)
		store_rollback(st);
	t->undone(t->arg, kept);
}

int
delivery_round(struct store *st, time_t now, int claim,
    const struct delivery_transport *t, int *claimed, char **errp)
{
	struct outbox_item *v = NULL;
	size_t n = 0, i, nrecorded = 0;
	int slots, marked = 0;

	*claimed = 0;
	if (store_begin(st, errp) != 0) {
		t->undone(t->arg, 0);
		return -1;
	}
	if (t->record_ended(t->arg, st, &nrecorded, errp) != 0)
		goto fail;
	if (nrecorded > 0) {
		if (store_mark(st, errp) != 0)
			goto fail;
		marked = 1;
	}
	for (;;) {
		n = 0;
		slots = claim ? t->room(t->arg) : 0;
		if (slots > 0 && outbox_claim_due(st, now, slots, &v, &n,
		    errp) != 0)
			goto fail;
		for (i = 0; i < n; i++)
			if (t->take(t->arg, st, &v[i], now, errp) != 0)
				goto fail;
		if (marked && store_mark_keep(st, errp) != 0)
			goto fail;
		marked = 0;
		if (store_commit(st, errp) != 0)
			goto fail;
		t->committed(t->arg);
		*claimed += (int)n;
		outbox_list_free(v, n);
		v = NULL;
		/* Another transaction only when the claim was full and rows
		 * finished at once left room: a burst fills every slot, and
		 * a transaction to find none free is one for nothing. */
		if (slots <= 0 || n < (size_t)slots || t->room(t->arg) <= 0)
			return 0;
		if (store_begin(st, errp) != 0) {
			t->undone(t->arg, 0);
			return -1;
		}
	}
fail:
	delivery_round_undo(st, marked, t);
	outbox_list_free(v, n);
	return -1;
}
