#include "delivery.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

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

/* What one claim has handed each channel: the rows each may still take
 * (its share less what it has out), and the names of those with none. */
struct delivery_share {
	const struct delivery_transport *t;
	json_t *left;           /* channel -> rows it may still take */
	json_t *full;           /* JSON array: channels to pass over */
	int refused;            /* a row was passed over: claim again */
	int oom;
};

/* outbox_claim_pick()'s keep(): a row while its channel has room. */
static int
delivery_keep(void *arg, const struct outbox_item *it)
{
	struct delivery_share *s = arg;
	json_t *v = json_object_get(s->left, it->channel);
	json_int_t left;

	if (v == NULL) {
		left = s->t->channel_room(s->t->arg, it->channel);
		if (left < 0)
			left = 0;
		if ((v = json_integer(left)) == NULL ||
		    json_object_set_new(s->left, it->channel, v) != 0) {
			s->oom = 1;
			return 0;
		}
		if (left == 0 && json_array_append_new(s->full,
		    json_string(it->channel)) != 0)
			s->oom = 1;
	}
	if ((left = json_integer_value(v)) <= 0) {
		s->refused = 1;
		return 0;
	}
	json_integer_set(v, left - 1);
	if (left == 1 && json_array_append_new(s->full,
	    json_string(it->channel)) != 0)
		s->oom = 1;
	return !s->oom;
}

/* One pass of delivery_claim(): its rows go after those of the passes
 * before. */
static int
delivery_claim_pass(struct store *st, time_t now, int max, const char *skip,
    struct delivery_share *s, struct outbox_item **out, size_t *n,
    char **errp)
{
	struct outbox_item *v, *grown;
	size_t got;

	if (outbox_claim_pick(st, now, max - (int)*n, skip, delivery_keep, s,
	    &v, &got, errp) != 0)
		return -1;
	if (got == 0) {
		free(v);
		return 0;
	}
	if (*n == 0) {
		*out = v;
		*n = got;
		return 0;
	}
	if ((grown = realloc(*out, (*n + got) * sizeof(*v))) == NULL) {
		outbox_list_free(v, got);
		return err_set(errp, "out of memory");
	}
	memcpy(grown + *n, v, got * sizeof(*v));
	free(v);
	*out = grown;
	*n += got;
	return 0;
}

/*
 * Claim up to max due rows, each channel up to its room: the oldest
 * first, passing over a channel once its share is taken, so that a
 * backlog for a receiver that hangs never holds the slots another
 * channel's reminders are due in.  A pass that passed rows over is
 * followed by one without their channels (each drops one more at least).
 */
static int
delivery_claim(struct store *st, time_t now, int max,
    const struct delivery_transport *t, struct outbox_item **out,
    size_t *n, char **errp)
{
	struct delivery_share s = { t, json_object(), json_array(), 0, 0 };
	char *skip = NULL;
	int rc = 0;

	*out = NULL;
	*n = 0;
	do {
		s.refused = 0;
		if (s.left == NULL || s.full == NULL ||
		    (json_array_size(s.full) > 0 &&
		    (skip = json_dumps(s.full, JSON_COMPACT)) == NULL)) {
			s.oom = 1;
			break;
		}
		rc = delivery_claim_pass(st, now, max, skip, &s, out, n, errp);
		free(skip);
		skip = NULL;
	} while (rc == 0 && !s.oom && s.refused && *n < (size_t)max);
	json_decref(s.left);
	json_decref(s.full);
	if (s.oom)
		return err_set(errp, "out of memory");
	return rc;
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
		if (slots > 0 && delivery_claim(st, now, slots, t, &v, &n,
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
