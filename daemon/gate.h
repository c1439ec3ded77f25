/*
 * The library runs on one thread at a time: its time zone functions set
 * TZ (lib/time_zone.h), its log buffer and the configuration are shared.
 * The loop holds the gate except while it sleeps in poll(); the HTTP
 * listener's threads (daemon/http.c) take it for each request's lib
 * work.  The loop comes first: while it waits for the gate no HTTP
 * thread may take it, so a reminder waits at most for one request's
 * work, never for a queue of them (docs/PERFORMANCE.md, HTTP load).
 */
#ifndef NUDGED_GATE_H
#define NUDGED_GATE_H

void gate_enter_loop(void);
void gate_enter_http(void);
void gate_leave(void);

#endif
