/*
 * A stand-in delivery transport (lib/delivery.h) for the tests that run
 * delivery_round() without sending anything: torture_cases.c, and any
 * unit test that wants to see what a round claims, takes and is told.
 * Include after delivery.h.  Everything is static inline: a test file
 * uses what it needs.
 *
 * It takes rows and, in its next round, reports each as delivered or
 * failed (`error`), the way the daemon's transfers end after the round
 * that started them.  With `decide` set it writes each row's outcome as
 * it takes it instead (delivery_decide() by that configuration), the way
 * a row with nothing to send ends.
 */
#ifndef NUDGE_TEST_UNIT_TRANSPORT_H
#define NUDGE_TEST_UNIT_TRANSPORT_H

#include <string.h>
#include <time.h>

#include "config.h"
#include "delivery.h"
#include "err.h"
#include "outbox.h"
#include "store.h"

#define FAKE_ROOM 16

struct fake {
	int64_t taken[FAKE_ROOM];
	size_t ntaken, nended;
	const char *error;      /* the outcome of every attempt */
	const char *tight;      /* a channel with room for `share` rows only */
	int share;
	const struct config *decide;
	const char *gone;       /* with decide: refused for good (410) */
	int committed, undone, kept, fail_take;
};

static inline int
fake_record(void *arg, struct store *st, size_t *n, char **errp)
{
	struct fake *k = arg;
	struct delivery_result res = { k->error, 0, 0, 0 };
	struct delivery_fate fate = { 60, 0 };
	struct outbox_item it;
	size_t i;

	*n = k->nended;
	memset(&it, 0, sizeof(it));
	for (i = 0; i < k->nended; i++) {
		it.id = k->taken[i];
		if (delivery_record(st, NULL, &it, &res, &fate, 1000, NULL,
		    errp) != 0)
			return -1;
	}
	return 0;
}

static inline int
fake_room(void *arg)
{
	return FAKE_ROOM - (int)((struct fake *)arg)->ntaken;
}

static inline int
fake_channel_room(void *arg, const char *channel)
{
	const struct fake *k = arg;

	return k->tight != NULL && strcmp(channel, k->tight) == 0 ?
	    k->share : FAKE_ROOM;
}

/* The row's outcome now: delivered, or refused for good on `gone`. */
static inline int
fake_decided(struct fake *k, struct store *st, struct outbox_item *it,
    time_t now, char **errp)
{
	struct delivery_result res = { NULL, 0, 0, 0 };
	struct delivery_fate fate;

	if (k->gone != NULL && strcmp(it->channel, k->gone) == 0) {
		res.error = "410 Gone";
		res.permanent = 1;
		res.code = 410;
	}
	delivery_decide(k->decide, it, &res, &fate);
	return delivery_record(st, k->decide, it, &res, &fate, now, NULL,
	    errp);
}

static inline int
fake_take(void *arg, struct store *st, struct outbox_item *it, time_t now,
    char **errp)
{
	struct fake *k = arg;

	if (k->fail_take)
		return err_set(errp, "the transport failed");
	k->taken[k->ntaken++] = it->id;
	return k->decide != NULL ? fake_decided(k, st, it, now, errp) : 0;
}

static inline void
fake_committed(void *arg)
{
	struct fake *k = arg;

	k->committed++;
	k->nended = 0;
}

static inline void
fake_undone(void *arg, int kept)
{
	struct fake *k = arg;

	k->undone++;
	k->kept = kept;
	if (kept)
		k->nended = 0;
}

/* The fake transport over k, zeroed but for the channel with less room
 * (NULL: none). */
static inline struct delivery_transport
fake_transport(struct fake *k, const char *tight, int share)
{
	memset(k, 0, sizeof(*k));
	k->tight = tight;
	k->share = share;
	return (struct delivery_transport){ k, fake_record, fake_room,
		fake_channel_room, fake_take, fake_committed, fake_undone };
}

#endif
