/*
 * A deal's id in another system (deal_external_ids): what the HTTP API's
 * deal import and a restored export both look up and record, so one
 * (source, external id) is one deal.
 */
#ifndef NUDGE_DEAL_EXTERNAL_H
#define NUDGE_DEAL_EXTERNAL_H

#include <stdint.h>

struct store;

/* The deal recorded under (source, ext): 1 with *deal_id, 0 (*deal_id
 * 0), -1 on error. */
int deal_external_find(struct store *st, const char *source,
    const char *ext, int64_t *deal_id, char **errp);
/* Record deal_id under (source, ext).  Caller holds the transaction. */
int deal_external_add(struct store *st, const char *source, const char *ext,
    int64_t deal_id, char **errp);

#endif
