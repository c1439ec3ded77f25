/*
 * A deal's id in another system (deal_external_ids): what the HTTP API's
 * deal import and a restored export both look up and record, so one
 * (source, external id) is one deal.
 */
#ifndef NUDGE_DEAL_EXTERNAL_H
#define NUDGE_DEAL_EXTERNAL_H

#include <stddef.h>
#include <stdint.h>

struct store;

struct deal_external {
	char *source;
	char *external_id;
};

/* The deal recorded under (source, ext): 1 with *deal_id, 0 (*deal_id
 * 0), -1 on error. */
int deal_external_find(struct store *st, const char *source,
    const char *ext, int64_t *deal_id, char **errp);
/* Record deal_id under (source, ext).  Caller holds the transaction. */
int deal_external_add(struct store *st, const char *source, const char *ext,
    int64_t deal_id, char **errp);
/* The ids of deal_id elsewhere, by source and id, in a new list *v
 * (deal_external_list_free()). */
int deal_external_of(struct store *st, int64_t deal_id,
    struct deal_external **v, size_t *n, char **errp);
void deal_external_clear(struct deal_external *e);
void deal_external_list_free(struct deal_external *v, size_t n);

#endif
