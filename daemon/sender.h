/*
 * The sender: a thread that owns the curl multi handle and runs the
 * transfers, so that the network (curl and the kernel's TCP, half of a
 * delivery's CPU) and the loop's database work (outcomes, claims, bodies,
 * signatures) use two cores instead of taking turns on one.
 *
 * The loop builds each transfer completely (easy handle and all) and
 * submits it; the sender starts it when one of its `inflight` places is
 * free, in the order submitted, and hands it back when it ends, with its
 * result, off the multi handle.  A transfer belongs to one thread at a
 * time: the loop's until submitted, the sender's until taken back.  The
 * sender never logs, never touches the database and never formats a time
 * (the time zone functions change TZ: see timeutil.h).
 *
 * Hand-overs are batched: the loop submits a round at once, and the
 * sender signals sender_fd() only when the list of ended transfers was
 * empty, so a busy loop takes many per wake-up.
 */
#ifndef NUDGED_SENDER_H
#define NUDGED_SENDER_H

#include <stddef.h>

struct transfer;
struct sender;

/* Start the thread, with at most `inflight` transfers on the network and
 * `host_connections` connections per host.  NULL and *errp on failure. */
struct sender *sender_start(int inflight, long host_connections,
    char **errp);
/* Stop the thread and hand back, in *left (caller frees the array), every
 * transfer not yet taken back: ended, on the network or never started. */
void sender_stop(struct sender *s, struct transfer ***left, size_t *nleft);

/* At most `share` of the places for the transfers of one channel (they
 * start in the order submitted, each channel within its share): a
 * receiver that hangs never holds the places of another's. */
void sender_set_share(struct sender *s, int share);
/* Readable when ended transfers wait to be taken. */
int sender_fd(const struct sender *s);
/* Hand over n transfers (the sender owns them until taken back). */
void sender_submit(struct sender *s, struct transfer **v, size_t n);
/* Take back up to max ended transfers (result in t->result); clears
 * sender_fd() first, so one that ends meanwhile signals again. */
size_t sender_take_ended(struct sender *s, struct transfer **out,
    size_t max);
/* Start no more submitted transfers (stopping): those on the network
 * finish; the ones never started come back in *left at once (caller
 * frees the array). */
void sender_hold(struct sender *s, struct transfer ***left, size_t *nleft);

#endif
