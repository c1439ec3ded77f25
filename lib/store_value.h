/*
 * One value from the store: a statement whose parameters are bound from
 * STORE_ARGS(...) (lib/store.h) and whose first row's column 0 is the
 * answer, or the id of the row an INSERT made.  The model and use-case
 * files asked for these by hand, each preparing, binding and stepping.
 */
#ifndef NUDGE_STORE_VALUE_H
#define NUDGE_STORE_VALUE_H

#include "store.h"

/* Column 0 of sql's first row as an integer: 1 with *v the value, 0
 * when there is no row or it is NULL (*v 0), -1 with "<what>: <sqlite
 * message>" (store_int()). */
int store_value_int(struct store *st, const char *sql,
    const struct store_arg *args, size_t n, int64_t *v, const char *what,
    char **errp);

/* Column 0 of sql's first row as a malloc'd text in *v (NULL when the
 * column is): 1, 0 when there is no row (*v NULL), -1 with "reading
 * <noun>: <sqlite message>" or "out of memory" (store_row()). */
int store_value_text(struct store *st, const char *sql,
    const struct store_arg *args, size_t n, char **v, const char *noun,
    char **errp);

/* store_exec() of an INSERT; *id the row it made (0 when it failed). */
int store_insert(struct store *st, const char *sql,
    const struct store_arg *args, size_t n, int64_t *id, char **errp);

#endif
