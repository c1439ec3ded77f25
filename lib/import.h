/*
 * Importing deals, promises or follow-ups from CSV with a header row.  The
 * whole file goes in one transaction, or nothing does: every bad row is
 * reported with its line number.
 *
 *   promises:  owner,account,text,due        optional: to,deal
 *   deals:     title,account,owner           optional: value,currency,closes,won_at
 *   followups: owner,account,text,at
 */
#ifndef NUDGE_IMPORT_H
#define NUDGE_IMPORT_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>

struct config;
struct store;

enum import_kind {
	IMPORT_DEALS,
	IMPORT_PROMISES,
	IMPORT_FOLLOWUPS,
};

/* At most this many bad rows are reported (then "and N more"). */
#define IMPORT_MAX_REPORTED 50

/*
 * Import `in` (named `name` in messages).  On success *count is the number
 * of records written.  On failure nothing is written and *errp holds one
 * line per problem ("file.csv:12: unknown owner 'zed' ...").
 */
int import_csv(struct store *st, const struct config *cfg,
    enum import_kind kind, FILE *in, const char *name, time_t now,
    size_t *count, char **errp);

#endif
