/* Accounts: the customers.  Named on first use, matched case-insensitively. */
#ifndef NUDGE_ACCOUNT_H
#define NUDGE_ACCOUNT_H

#include <stdint.h>
#include <time.h>

struct store;

/* Find the account called name, creating it if new; *created says which. */
int account_ensure(struct store *st, const char *name, time_t now,
    int64_t *id, int *created, char **errp);

#endif
