/* What /metrics reads from the database (daemon/metrics.c). */
#ifndef NUDGE_METRICS_DB_H
#define NUDGE_METRICS_DB_H

#include <stdint.h>
#include <time.h>

struct store;

/* The moment of the oldest reminder due by now and not yet delivered:
 * a pending follow-up, or one whose delivery is queued, sending or
 * retrying.  *found 0: none. */
int metrics_oldest_due(struct store *st, time_t now, int64_t *at,
    int *found, char **errp);

#endif
