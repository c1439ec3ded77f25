/*
 * Does it pay off (`nudge report --effect`, a paragraph of the weekly
 * summary): of the accounts that won a deal in a period, do those whose
 * second chocolate was done within its window buy again more often than
 * those whose was not, and do those kept within their stay-in-touch
 * cadence?  Counts and Wilson intervals, a caution when a group is too
 * small to tell; no significance is claimed.
 *
 * The unit is an account: its first deal won in the period (the owner's,
 * with --owner) is its case.  "Bought again": another deal of the account
 * won within the horizon after it.  A case whose horizon has not passed
 * yet is left out (it could still buy), and counted as too recent.
 * "Second chocolate": a follow-up of a second_chocolate rule for that
 * deal, done within the rule's window (rules_chocolate_in_window()); one
 * not made, still open, cancelled or done late is "without".  "Kept
 * within cadence": over the horizon after the deal, no gap between
 * touches (lib/contact.h; deals won are left out, a repeat deal would
 * count itself) longer than the account's cadence in its owner's working
 * time; an account no cadence names is in neither group.
 *
 * effect_compute() and the functions above it are the pure core: facts in,
 * figures out, no database.  effect_build() reads the facts.
 */
#ifndef NUDGE_EFFECT_H
#define NUDGE_EFFECT_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "timeutil.h"

struct config;
struct store;

/* Fewer accounts than this in a group: too few to tell. */
#define EFFECT_TOO_FEW 10
/* The default period: the year before the horizon, so that its deals
 * have all had their horizon. */
#define EFFECT_PERIOD_DEFAULT (365 * 86400)

/* One account's case: its deal, whether it bought again and the two
 * things it is grouped by. */
struct effect_case {
	int64_t won_at;
	int64_t next_at;        /* its next deal won; 0: none since */
	int chocolate;          /* 1: second chocolate done within window */
	int cadence;            /* 1 kept within, 0 went quiet, -1 none */
};

/* One group's figures. */
struct effect_group {
	int64_t n;              /* accounts */
	int64_t again;          /* bought again within the horizon */
	double share;           /* again / n; -1 when n == 0 */
	double low, high;       /* its Wilson 95 % interval (n > 0) */
	int has_median;
	double median_days;     /* days to the next deal, of those again */
};

/* A comparison: those with (the second chocolate, cadence kept) and
 * those without. */
struct effect_compare {
	struct effect_group with, without;
};

struct effect {
	time_t since, until;
	int64_t horizon;        /* seconds */
	int64_t too_recent;     /* cases whose horizon has not passed */
	int64_t no_cadence;     /* counted cases no cadence names */
	struct effect_compare chocolate, cadence;
};

/* Wilson score interval at 95 % for k of n (n > 0) into [*low, *high]. */
void effect_wilson(int64_t k, int64_t n, double *low, double *high);
/* The median of v[0..n) (sorts v in place); n > 0. */
double effect_median(double *v, size_t n);
/*
 * 1 when no gap in [from, to] between from, the touches (sorted, those
 * outside (from, to] ignored) and to is longer than every in hours h
 * (the moment after a touch when it falls due); else 0.
 */
int effect_kept_within(const int64_t *touches, size_t n, int64_t from,
    int64_t to, const struct timeutil_hours *h,
    const struct timeutil_duration *every);
/* The figures of n cases at now with the horizon (seconds) into e (its
 * since and until untouched).  0, or -1 with "out of memory". */
int effect_compute(const struct effect_case *v, size_t n, time_t now,
    int64_t horizon, struct effect *e, char **errp);

/* A --horizon as typed ("180d", "26w"): seconds, or -1 with a message
 * naming it (no working days: a purchase is not a working-time thing). */
int effect_parse_horizon(const char *s, int64_t *out, char **errp);

/* The cases of accounts that won a deal in [since, now] (owner NULL:
 * everyone's deals), and their figures, into e. */
int effect_build(struct store *st, const struct config *cfg,
    const char *owner, time_t since, time_t now, int64_t horizon,
    struct effect *e, char **errp);

/* The report (80 columns), its JSON, and the weekly summary's paragraph. */
void effect_write_text(const struct effect *e, const char *zone, FILE *out);
json_t *effect_json(const struct effect *e, const char *zone);
void effect_write_summary(const struct effect *e, const char *zone,
    FILE *out);
/* CSV: a header, then a row per group (comparison and group named as
 * the JSON's keys) with its figures; an empty cell where the JSON has
 * null. */
void effect_write_csv(const struct effect *e, FILE *out);

#endif
