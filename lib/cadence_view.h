/*
 * Who is going quiet: every account with its last touch, by whom, and
 * the days since against its cadence (`nudge accounts`), as text, JSON
 * and CSV cells.
 */
#ifndef NUDGE_CADENCE_VIEW_H
#define NUDGE_CADENCE_VIEW_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "cadence.h"
#include "timeutil.h"

struct config;
struct store;

struct cadence_view_row {
	struct cadence_account a;
	struct cadence_state s;
	int64_t days_since;     /* whole days since the clock started */
	int64_t days_over;      /* overdue: whole days since it fell due */
};

/*
 * The accounts at now, overdue first (longest overdue first), then by
 * the moment they fall due, then those with no reminder by name.  owner
 * (NULL: all) keeps the accounts whose reminder goes to that handle (or,
 * without one, that it touched last); quiet keeps the overdue ones.
 */
int cadence_view(struct store *st, const struct config *cfg, time_t now,
    const char *owner, int quiet, struct cadence_view_row **v, size_t *n,
    char **errp);
void cadence_view_free(struct cadence_view_row *v, size_t n);

void cadence_view_write_text(const struct cadence_view_row *v, size_t n,
    const char *zone, FILE *out);
json_t *cadence_view_json(const struct cadence_view_row *v, size_t n,
    const char *zone);
#define CADENCE_VIEW_COLUMNS 11
extern const char *const cadence_view_csv_header[];
/* One row's cells as text (each NUL-terminated). */
void cadence_view_cells(const struct cadence_view_row *r, const char *zone,
    char cells[][TIMEUTIL_ISO_MAX + 64]);

#endif
