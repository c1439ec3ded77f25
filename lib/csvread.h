/*
 * Reading CSV with libcsv: strict quoting, rows handed to a callback with
 * the line number they start on (quoted fields may span lines).
 */
#ifndef NUDGE_CSVREAD_H
#define NUDGE_CSVREAD_H

#include <stddef.h>
#include <stdio.h>

/* Called for each row; fields are NUL-terminated and borrowed for the
 * call.  Return 0 to go on, -1 to stop (the reader then returns -1). */
typedef int (*csvread_row_fn)(void *ctx, size_t line, char **fields,
    size_t nfields);

/* Most fields in one row, and the largest field accepted. */
#define CSVREAD_MAX_FIELDS 64
#define CSVREAD_MAX_FIELD  (1024 * 1024)

/* Parse all of in; name is for messages ("promises.csv:12: ...").  A
 * malformed file (quote left open, stray quote, a field over the limit)
 * is an error naming the line. */
int csvread_stream(FILE *in, const char *name, csvread_row_fn row, void *ctx,
    char **errp);

#endif
