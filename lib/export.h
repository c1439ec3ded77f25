/*
 * nudge export: everything as JSON, or one kind as CSV in the columns
 * `nudge import` reads (times as ISO 8601 with the owner's offset).
 */
#ifndef NUDGE_EXPORT_H
#define NUDGE_EXPORT_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

#include "import.h"

struct config;
struct store;

int export_csv(struct store *st, const struct config *cfg,
    enum import_kind kind, FILE *out, char **errp);
/* {"deals": [...], "promises": [...], "followups": [...]}; caller
 * decrefs *out. */
int export_json(struct store *st, const struct config *cfg, json_t **out,
    char **errp);
/* One CSV row, quoted by libcsv; NULL cells are empty. */
void export_csv_row(FILE *out, const char *const *cells, size_t n);

#endif
