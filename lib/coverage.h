/*
 * Stay-in-touch coverage per owner, for `nudge report` and the weekly
 * summary: of the accounts with a cadence, how many each owner (the one
 * their reminder goes to) has kept within it at the moment, how many are
 * overdue and how many paused (lib/cadence.h judges each).
 */
#ifndef NUDGE_COVERAGE_H
#define NUDGE_COVERAGE_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

struct config;
struct store;

struct coverage_row {
	char *owner;            /* NULL: the team */
	int64_t accounts;       /* with a cadence and someone to remind */
	int64_t kept;           /* not overdue, not paused */
	int64_t quiet;          /* overdue */
	int64_t paused;
};

struct coverage {
	struct coverage_row *rows;      /* by handle */
	size_t n;
	struct coverage_row team;
};

/* The coverage at now, of one owner's accounts or (NULL) everyone's. */
int coverage_build(struct store *st, const struct config *cfg,
    const char *owner, time_t now, struct coverage *out, char **errp);
void coverage_free(struct coverage *c);
/* kept / (accounts - paused); -1 with none to keep. */
double coverage_rate(const struct coverage_row *r);
/* The table (nothing when no account has a cadence), and its JSON. */
void coverage_write_text(const struct coverage *c, FILE *out);
json_t *coverage_json(const struct coverage *c);

#endif
