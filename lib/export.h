/*
 * nudge export: everything, every column and id, each record with its
 * history (its events) and a follow-up with its deliveries, as JSON or as
 * CSV one kind per file (lib/archive.h has the shape).  Times are ISO 8601
 * with the owner's offset.  `nudge import` reads either back.
 */
#ifndef NUDGE_EXPORT_H
#define NUDGE_EXPORT_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

#include "archive.h"

struct config;
struct store;

/* {"nudge_export": 1, "accounts": [...], ...}: the kinds of the mask
 * `kinds` (ARCHIVE_KIND() bits), each in id order.  Caller decrefs. */
int export_json(struct store *st, const struct config *cfg, unsigned kinds,
    json_t **out, char **errp);
/* One kind as CSV: a header of its columns, a row per record. */
int export_csv(struct store *st, const struct config *cfg,
    enum archive_kind kind, FILE *out, char **errp);
/* The kinds of the mask as DIR/<kind>.csv; dir is made if need be, a
 * file there is replaced.  On failure the files written so far stay. */
int export_csv_dir(struct store *st, const struct config *cfg,
    unsigned kinds, const char *dir, char **errp);
/* One CSV row, quoted by libcsv; NULL cells are empty. */
void export_csv_row(FILE *out, const char *const *cells, size_t n);

#endif
