/* A NULL-ended list of names as one line for a message. */
#ifndef NUDGE_NAMES_JOIN_H
#define NUDGE_NAMES_JOIN_H

/* "a, b or c" (`last_sep` " or "; ", " for "a, b, c"); caller frees,
 * NULL when out of memory. */
char *names_join(const char *const *names, const char *last_sep);

#endif
