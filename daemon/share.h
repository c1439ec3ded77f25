/*
 * Each channel's share of the transfers: how many it has out (claimed,
 * built, on the network or waiting for it, outcome not yet written), and
 * whether it may take more.  A receiver that hangs holds its share until
 * its timeouts end, never the slots the other channels' reminders are due
 * in (docs/RELIABILITY.md, isolation).
 */
#ifndef NUDGED_SHARE_H
#define NUDGED_SHARE_H

#include <stddef.h>

struct config;

struct share_lane {
	char *channel;
	int out;
};

struct share {
	struct share_lane *v;
	size_t n, cap;
	int max;                /* transfers out per channel */
};

/* Of total places, one network channel's share: total split evenly
 * among the configured webhook and email channels (the log channel
 * sends nothing), at least one. */
int share_of(const struct config *cfg, int total);
/* How many more transfers the channel may have out (0 when its lane
 * cannot be made: out of memory, tried again next round). */
int share_room(struct share *s, const char *channel);
/* The channel has delta more out (less when negative); its lane was made
 * by share_room(). */
void share_add(struct share *s, const char *channel, int delta);
/* Forget the lanes with nothing out (between rounds: share_room() makes
 * them within one). */
void share_reap(struct share *s);
/* The channels with their share out, as a JSON array of names for
 * outbox_next_attempt(); NULL when none (or out of memory). */
char *share_full_json(const struct share *s);
void share_clear(struct share *s);

#endif
