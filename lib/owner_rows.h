/*
 * A growing array of per-owner rows (a report's, a coverage's): elements
 * of `size` bytes, each with its owner's handle, a malloc'd char *, at
 * offset `off`.  The array is passed by the address of its pointer.
 */
#ifndef NUDGE_OWNER_ROWS_H
#define NUDGE_OWNER_ROWS_H

#include <stddef.h>

/* The row of owner, appended (zeroed but for its copy of owner) when
 * there is none; NULL when out of memory. */
void *owner_rows_get(void *rowsp, size_t *n, size_t size, size_t off,
    const char *owner);
/* Free the n rows' owners and the array. */
void owner_rows_free(void *rows, size_t n, size_t size, size_t off);

#endif
