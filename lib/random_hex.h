/*
 * Random identifiers from the kernel: a database's identity (migration
 * 0010, nudge_random_id()) and a calendar feed's token.  SQLite's
 * randomblob() is a PRNG seeded once per process; what must differ between
 * installs and not be guessed comes from getrandom().
 */
#ifndef NUDGE_RANDOM_HEX_H
#define NUDGE_RANDOM_HEX_H

#include <stddef.h>

/* n random bytes as 2n lower-case hex digits into out (2n + 1). */
int random_hex(char *out, size_t n, char **errp);
/* n bytes b as 2n lower-case hex digits into out (2n + 1). */
void hex_encode(const unsigned char *b, size_t n, char *out);

#endif
