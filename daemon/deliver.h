/*
 * Delivery: takes due rows from the outbox and sends each to its channel.
 * Outcomes are written back to the outbox (delivered, retry with backoff,
 * dead with the reason) and logged, one line per attempt.
 */
#ifndef NUDGED_DELIVER_H
#define NUDGED_DELIVER_H

#include <time.h>

struct config;
struct store;

/* Send everything due at now.  *sent counts attempts made. */
int deliver_due(struct store *st, const struct config *cfg, time_t now,
    int *sent, char **errp);

/* The wait before attempt number `attempts` + 1: exponential from the
 * configured backoff, capped at max_backoff, with jitter. */
long deliver_backoff(const struct config *cfg, int attempts);

#endif
