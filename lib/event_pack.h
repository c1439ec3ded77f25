/*
 * event_append() of data made by json_pack() from fmt and its values: the
 * many writers whose event data is a small fixed object build, append and
 * free it here, one place that says "out of memory" when it cannot be
 * made.
 */
#ifndef NUDGE_EVENT_PACK_H
#define NUDGE_EVENT_PACK_H

#include <stdint.h>
#include <time.h>

struct store;

int event_append_packed(struct store *st, time_t at, const char *kind,
    const char *subject_type, int64_t subject_id, char **errp,
    const char *fmt, ...);

#endif
