/*
 * Writing the records of an export (lib/archive.h) back as they were:
 * every id, state, time and count, each record's history into the events
 * table and a follow-up's deliveries into the outbox, the scheduler's
 * cursor past the events nudged had read.  A follow-up already notified
 * stays notified and its delivered rows delivered, so nothing is sent
 * twice; rows still queued or retrying stay so and are sent.
 *
 * For lib/import.c, inside the transaction it holds.
 */
#ifndef NUDGE_RESTORE_H
#define NUDGE_RESTORE_H

#include <jansson.h>
#include <stdint.h>
#include <time.h>

#include "archive.h"
#include "import.h"

struct config;
struct store;

struct restore {
	struct store *st;
	const struct config *cfg;
	time_t now;
	char where[512];        /* "backup.json: deals[2]", "deals.csv:3" */
	int64_t cursor;         /* the last event nudged had read */
	struct import_counts *counts;
	char **errp;
};

/*
 * Refused (-1, a message saying why and what to do) unless the database
 * holds none of the kinds of the mask; with `whole` (a whole export, not
 * one kind's file) it must be empty: no events or deliveries either.
 * name is the file, for the message.
 */
int restore_start(struct restore *r, unsigned kinds, int whole,
    const char *name);
/* One record of kind k; a message prefixed with r->where when it is
 * refused. */
int restore_record(struct restore *r, enum archive_kind k,
    const json_t *rec);
/* The scheduler's cursor moved past the events it had read. */
int restore_end(struct restore *r);

#endif
