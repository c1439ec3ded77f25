/*
 * The HTTP listener of one-click actions (the http group of
 * nudge.conf(5)): libmicrohttpd's own threads (a pool of two, a
 * connection limit, a timeout) serve the pages of action links and take
 * their forms, with a SQLite connection of their own.  A request's lib
 * work runs under the gate (daemon/gate.h), which the loop always gets
 * first.  Routes: a table in http.c (/l/TOKEN; /cal/TOKEN.ics is next).
 */
#ifndef NUDGED_HTTP_H
#define NUDGED_HTTP_H

struct config;
struct http;

/* Start listening on cfg->http.listen: the listener, NULL when http is
 * off; fatal (the caller exits) when it cannot listen.  Called by the
 * loop holding the gate. */
struct http *http_start(const struct config *cfg, char **errp, int *failed);
/* A reloaded configuration (the loop holds the gate). */
void http_set_config(struct http *h, const struct config *cfg);
/* Stop: waits for the requests being served.  The loop must not hold
 * the gate.  http_stop(NULL) does nothing. */
void http_stop(struct http *h);

#endif
