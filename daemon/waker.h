/*
 * The listener's wake-up calls to the loop, gathered: a write through
 * the API pokes the waker, which sends one wake-up datagram (lib/wake.h)
 * a few milliseconds after the first poke, however many came meanwhile.
 * The loop then reads all their events in one round instead of a round
 * (and a durable commit) per write (docs/PERFORMANCE.md, API writes).
 */
#ifndef NUDGED_WAKER_H
#define NUDGED_WAKER_H

struct waker;

#define WAKER_DELAY_MS 5

/* A thread that sends to the wake-up socket at path; NULL with *errp. */
struct waker *waker_start(const char *path, char **errp);
/* A write happened: the loop is woken within WAKER_DELAY_MS. */
void waker_poke(struct waker *w);
/* Sends what is pending, stops the thread.  waker_stop(NULL) does
 * nothing. */
void waker_stop(struct waker *w);

#endif
