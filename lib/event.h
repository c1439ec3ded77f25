/*
 * The append-only event log: every change people make is recorded here
 * (audit trail, `promise show` history) and the daemon's scheduler reads it
 * in id order from a cursor to turn events into follow-ups.
 */
#ifndef NUDGE_EVENT_H
#define NUDGE_EVENT_H

#include <jansson.h>
#include <stdint.h>
#include <time.h>

struct store;

struct event {
	int64_t id;
	int64_t at;
	char *kind;          /* "deal.won", "promise.created", ... */
	char *subject_type;  /* "deal", "promise", "followup", "account" */
	int64_t subject_id;
	char *actor;
	char *data;          /* JSON text or NULL */
};

/*
 * Append one event.  data (may be NULL) is a JSON object; the function takes
 * no ownership.  The actor is the login name of whoever runs the process.
 */
int event_append(struct store *st, time_t at, const char *kind,
    const char *subject_type, int64_t subject_id, json_t *data, char **errp);
/* The same with data made for it by json_pack(): lib/event_pack.h. */

/* Up to max events with id > after, in id order.  *out is freed with
 * event_list_free(). */
int event_list_after(struct store *st, int64_t after, int max,
    struct event **out, size_t *n, char **errp);
/* The history of one subject, oldest first. */
int event_list_subject(struct store *st, const char *subject_type,
    int64_t subject_id, struct event **out, size_t *n, char **errp);
void event_list_free(struct event *ev, size_t n);

#endif
