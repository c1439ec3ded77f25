/*
 * Importing deals, promises or follow-ups from CSV with a header row.  The
 * whole file goes in one transaction, or nothing does: every bad row is
 * reported with its line number.  A promise due already is refused
 * unless forced, as `promise add` refuses it.  A file whose header has an
 * "id" column is one kind of an export (lib/archive.h): it is restored.
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
	IMPORT_ACCOUNTS,        /* only from an export's accounts.csv */
	IMPORT_TOKENS,          /* only from an export's tokens.csv */
};

/* What an import wrote. */
struct import_counts {
	size_t accounts, deals, promises, followups, tokens;
	size_t events, deliveries;
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
    int force, size_t *count, char **errp);

/*
 * Reading back what `nudge export` wrote (lib/restore.h): the JSON of a
 * whole export, or the directory of its CSV files.  It restores a
 * database, so the database must be empty; all or nothing.
 */
int import_export_json(struct store *st, const struct config *cfg,
    FILE *in, const char *name, time_t now, struct import_counts *counts,
    char **errp);
int import_export_dir(struct store *st, const struct config *cfg,
    const char *dir, time_t now, struct import_counts *counts, char **errp);

#endif
