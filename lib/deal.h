/* Deals: transactions with a stage (open, won, lost). */
#ifndef NUDGE_DEAL_H
#define NUDGE_DEAL_H

#include <jansson.h>
#include <stdint.h>
#include <time.h>

struct store;

struct deal {
	int64_t id;
	char *title;
	int64_t account_id;
	char *account;
	char *owner;
	char *stage;            /* "open", "won", "lost" */
	int64_t value_minor;    /* minor units; valid when has_value */
	int has_value;
	char *currency;         /* may be NULL */
	int64_t closes_at;      /* 0 = not set */
	int64_t closed_at;      /* 0 = still open */
	int64_t created_at, updated_at;
};

struct deal_filter {
	const char *owner;      /* NULL = everyone */
	const char *stage;      /* NULL = any */
	int limit;              /* 0 = no limit */
};

/* Insert d (id, account_id, created_at, updated_at are filled in) and
 * log deal.created.  The account is created if new.  Caller holds the
 * transaction. */
int deal_insert(struct store *st, struct deal *d, time_t now, char **errp);
/* Fills *d (caller frees with deal_clear); -1 with "no deal N" when absent. */
int deal_get(struct store *st, int64_t id, struct deal *d, char **errp);
/* open -> won/lost at `at`; logs deal.won / deal.lost.  Refuses a deal that
 * is already closed. */
int deal_close(struct store *st, int64_t id, const char *stage, time_t at,
    time_t now, char **errp);
int deal_list(struct store *st, const struct deal_filter *f,
    struct deal **out, size_t *n, char **errp);
void deal_clear(struct deal *d);
void deal_list_free(struct deal *v, size_t n);

/* "12500", "12500.5", "12 500,50" -> minor units; -1 on nonsense. */
int deal_parse_value(const char *s, int64_t *minor, char **errp);
/* JSON object for output; times as ISO 8601 in zone. New reference. */
json_t *deal_json(const struct deal *d, const char *zone);

#endif
