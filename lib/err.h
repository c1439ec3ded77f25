/*
 * Error detail for library functions.
 *
 * Library functions never print or exit.  They return 0 on success and -1 on
 * failure, and when the caller passes a non-NULL `char **errp` they store a
 * malloc'd, human-readable message there that the caller must free().  The
 * message says what and where ("nudge.conf:12: unknown key 'hourz'"); the
 * front ends (cli/, daemon/) decide how to show it and whether to exit.
 */
#ifndef NUDGE_ERR_H
#define NUDGE_ERR_H

#include <stdarg.h>

/* Store a formatted message in *errp (if errp != NULL); always returns -1. */
int err_set(char **errp, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int err_setv(char **errp, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/*
 * Prefix an existing message: *errp becomes "<prefix>: <old>".  Returns -1 so
 * callers can `return err_prefix(errp, "...")`.  A NULL errp is a no-op.
 */
int err_prefix(char **errp, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
