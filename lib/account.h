/* Accounts: the customers.  Named on first use, matched case-insensitively. */
#ifndef NUDGE_ACCOUNT_H
#define NUDGE_ACCOUNT_H

#include <stdint.h>
#include <time.h>

struct store;

/* Find the account called name, creating it if new; *created says which. */
int account_ensure(struct store *st, const char *name, time_t now,
    int64_t *id, int *created, char **errp);

/* The id of the account called name: *found 0 when there is none. */
int account_find(struct store *st, const char *name, int64_t *id,
    int *found, char **errp);
/* Paused from `at` until `until` (0: until resumed); at 0: resumed.  Logs
 * account.paused or account.resumed. */
int account_set_pause(struct store *st, int64_t id, time_t at, time_t until,
    time_t now, char **errp);

#endif
