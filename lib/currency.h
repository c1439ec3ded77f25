/* Currencies: ISO 4217 alphabetic codes. */
#ifndef NUDGE_CURRENCY_H
#define NUDGE_CURRENCY_H

#include <stddef.h>

#define CURRENCY_LEN 3

/* in, as typed ("sek", "SEK"), as the code it names, upper-case, into
 * out[CURRENCY_LEN + 1]; what names the field for the message ("--currency",
 * "currency").  Anything but a current ISO 4217 code is refused. */
int currency_parse(const char *in, const char *what,
    char out[CURRENCY_LEN + 1], char **errp);

/* The codes known, sorted; for the tests. */
extern const char *const currency_codes[];
extern const size_t currency_ncodes;

#endif
