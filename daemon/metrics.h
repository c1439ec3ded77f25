/*
 * nudged's Prometheus metrics (/metrics, docs/API.md): counters kept in
 * memory since the start (deliveries by channel and outcome, their
 * lateness, HTTP requests by route and status), and gauges read from the
 * database at each scrape (the queue, dead letters, the oldest reminder
 * due and not yet delivered).  The counters take a mutex of their own:
 * the loop adds, the listener's threads read.
 */
#ifndef NUDGED_METRICS_H
#define NUDGED_METRICS_H

#include <time.h>

struct config;
struct store;

/* One attempt's outcome ("delivered", "retry", "dead"); lateness: the
 * seconds from its reminder's moment to now, for a delivered one. */
void metrics_delivery(const char *channel, const char *outcome,
    double lateness);
/* One HTTP request answered: its route's pattern and status. */
void metrics_http(const char *route, unsigned status);
/* The exposition text (malloc'd; NULL: out of memory or the database
 * failed, said in *errp).  Called under the gate. */
char *metrics_render(struct store *st, time_t now, char **errp);

#endif
