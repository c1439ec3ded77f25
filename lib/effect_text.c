/* The effect report in words: the text of `nudge report --effect`, its
 * JSON, its CSV and the weekly summary's paragraph, with one caution for
 * all. */
#include "effect.h"

#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "jsonout.h"

/* A comparison's names (its key in the JSON and the CSV, its title) and
 * its two groups' (in the text, as keys), and where it is in struct
 * effect. */
struct effect_names {
	const char *key, *title, *with, *without, *key_with, *key_without;
	size_t at;
};

/* The comparisons in the order every format gives them. */
enum { EFFECT_CHOCOLATE, EFFECT_CADENCE, EFFECT_N };

static const struct effect_names effect_names[EFFECT_N] = {
	[EFFECT_CHOCOLATE] = { "second_chocolate", "Second chocolate",
	    "second chocolate in time", "without it", "with", "without",
	    offsetof(struct effect, chocolate) },
	[EFFECT_CADENCE] = { "cadence", "Cadence", "kept within cadence",
	    "went quiet", "kept", "quiet", offsetof(struct effect, cadence) },
};

/* The comparison w names in e. */
static const struct effect_compare *
effect_compare_of(const struct effect *e, const struct effect_names *w)
{
	return (const struct effect_compare *)(const void *)((const char *)e +
	    w->at);
}

/* One group of a comparison: its label in the text, its key in the JSON
 * and the CSV, its figures; the comparison's key and the horizon
 * (seconds), which the CSV writes on each group's row. */
struct effect_side {
	const char *label, *key;
	const struct effect_group *g;
	const char *compare_key;
	int64_t horizon;
};

static int
effect_too_few(const struct effect_compare *c)
{
	return c->with.n < EFFECT_TOO_FEW || c->without.n < EFFECT_TOO_FEW;
}

/* What the comparison can say, in plain words: too few to tell, or
 * whether the intervals overlap (no significance is claimed). */
static void
effect_caution(const struct effect_compare *c, const struct effect_names *w,
    char *buf, size_t len)
{
	if (effect_too_few(c))
		snprintf(buf, len, "%s: %" PRId64 " %s, %" PRId64 " %s; "
		    "fewer than %d is too few to tell.", w->title, c->with.n,
		    w->key_with, c->without.n, w->key_without,
		    EFFECT_TOO_FEW);
	else if (c->with.low <= c->without.high &&
	    c->without.low <= c->with.high)
		snprintf(buf, len, "%s: the intervals overlap, so the "
		    "difference may be chance.", w->title);
	else
		snprintf(buf, len, "%s: the intervals do not overlap.",
		    w->title);
}

/* "70 %", "40-89 %" and "35.0d" of a group ("-" where it has none). */
static void
effect_cells(const struct effect_group *g, char share[16], char ci[24],
    char median[24])
{
	if (g->n == 0) {
		snprintf(share, 16, "-");
		snprintf(ci, 24, "-");
	} else {
		snprintf(share, 16, "%.0f %%", g->share * 100.0);
		snprintf(ci, 24, "%.0f-%.0f %%", g->low * 100.0,
		    g->high * 100.0);
	}
	if (g->has_median)
		snprintf(median, 24, "%.1fd", g->median_days);
	else
		snprintf(median, 24, "-");
}

/* A group's line of a table: its label, its figures. */
typedef void effect_row_fn(const struct effect_side *s, FILE *out);

static void
effect_text_row(const struct effect_side *s, FILE *out)
{
	char share[16], ci[24], median[24];

	effect_cells(s->g, share, ci, median);
	fprintf(out, "%-26s %8" PRId64 " %6" PRId64 " %6s %14s %7s\n",
	    s->label, s->g->n, s->g->again, share, ci, median);
}

/* The four groups through row, with and without the second chocolate,
 * then with and without a cadence. */
static void
effect_rows(const struct effect *e, effect_row_fn *row, FILE *out)
{
	const struct effect_names *w;
	const struct effect_compare *c;
	struct effect_side s;
	size_t i;

	for (i = 0; i < EFFECT_N; i++) {
		w = &effect_names[i];
		c = effect_compare_of(e, w);
		s = (struct effect_side){ w->with, w->key_with, &c->with,
		    w->key, e->horizon };
		row(&s, out);
		s = (struct effect_side){ w->without, w->key_without,
		    &c->without, w->key, e->horizon };
		row(&s, out);
	}
}

/* What each of the two comparisons can say, a line each. */
static void
effect_cautions(const struct effect *e, FILE *out)
{
	char caution[256];
	size_t i;

	for (i = 0; i < EFFECT_N; i++) {
		effect_caution(effect_compare_of(e, &effect_names[i]),
		    &effect_names[i], caution, sizeof(caution));
		fprintf(out, "%s\n", caution);
	}
}

/* "2026-01-01 to 2026-12-31" of the period. */
static void
effect_period(const struct effect *e, const char *zone, char *buf,
    size_t len)
{
	char since[TIMEUTIL_ISO_MAX], until[TIMEUTIL_ISO_MAX];

	timeutil_format_iso(e->since, zone, since, sizeof(since));
	timeutil_format_iso(e->until, zone, until, sizeof(until));
	snprintf(buf, len, "%.10s to %.10s", since, until);
}

void
effect_write_text(const struct effect *e, const char *zone, FILE *out)
{
	char period[64];

	effect_period(e, zone, period, sizeof(period));
	fprintf(out, "Does it pay off?  Each account's first deal won from %s;"
	    "\nbought again: another deal won within %.0f days of it.\n\n",
	    period, (double)e->horizon / 86400.0);
	fprintf(out, "%-26s %8s %6s %6s %14s %7s\n", "", "ACCOUNTS", "AGAIN",
	    "SHARE", "95 % INTERVAL", "MEDIAN");
	effect_rows(e, effect_text_row, out);
	fprintf(out, "\nSHARE: of the accounts, those that bought again; "
	    "95 %% INTERVAL: Wilson's;\nMEDIAN: days to the next deal, of "
	    "those that bought again.\n\n");
	effect_cautions(e, out);
	if (e->no_cadence > 0)
		fprintf(out, "%" PRId64 " account%s with no cadence %s in "
		    "neither cadence group.\n", e->no_cadence,
		    e->no_cadence == 1 ? "" : "s", e->no_cadence == 1 ? "is" :
		    "are");
	if (e->too_recent > 0)
		fprintf(out, "%" PRId64 " account%s won too recently to tell "
		    "(%.0f days not yet passed).\n", e->too_recent,
		    e->too_recent == 1 ? "" : "s",
		    (double)e->horizon / 86400.0);
	fprintf(out, "Counts, not causes: the groups may differ in more than "
	    "the follow-up.\n");
}

static json_t *
effect_group_json(const struct effect_group *g)
{
	return json_pack("{s:I, s:I, s:o, s:o, s:o, s:b}",
	    "accounts", (json_int_t)g->n,
	    "bought_again", (json_int_t)g->again,
	    "share", g->n > 0 ? json_real(g->share) : json_null(),
	    "interval", g->n > 0 ? json_pack("[f, f]", g->low, g->high) :
	    json_null(),
	    "median_days", g->has_median ? json_real(g->median_days) :
	    json_null(),
	    "too_few", g->n < EFFECT_TOO_FEW);
}

static json_t *
effect_compare_json(const struct effect_compare *c,
    const struct effect_names *w)
{
	char caution[256];

	effect_caution(c, w, caution, sizeof(caution));
	return json_pack("{s:o, s:o, s:b, s:s}", w->key_with,
	    effect_group_json(&c->with), w->key_without,
	    effect_group_json(&c->without), "too_few", effect_too_few(c),
	    "caution", caution);
}

json_t *
effect_json(const struct effect *e, const char *zone)
{
	const struct effect_names *w;
	json_t *o, *c;
	size_t i;
	int failed = 0;

	if ((o = json_pack("{s:f, s:I}", "horizon_days",
	    (double)e->horizon / 86400.0, "too_recent",
	    (json_int_t)e->too_recent)) == NULL)
		return NULL;
	for (i = 0; i < EFFECT_N && !failed; i++) {
		w = &effect_names[i];
		failed = (c = effect_compare_json(effect_compare_of(e, w),
		    w)) == NULL || json_object_set_new(o, w->key, c) != 0;
	}
	return jsonout_made(o, failed || jsonout_set_int(json_object_get(o,
	    effect_names[EFFECT_CADENCE].key), "no_cadence",
	    e->no_cadence) != 0 ||
	    jsonout_set_time(o, "since", e->since, zone) != 0 ||
	    jsonout_set_time(o, "until", e->until, zone) != 0);
}

static void
effect_summary_row(const struct effect_side *s, FILE *out)
{
	char share[16], ci[24], median[24];

	effect_cells(s->g, share, ci, median);
	fprintf(out, "  %-26s %" PRId64 " of %" PRId64 " (%s, 95 %% %s)\n",
	    s->label, s->g->again, s->g->n, share, ci);
}

void
effect_write_summary(const struct effect *e, const char *zone, FILE *out)
{
	char period[64];

	effect_period(e, zone, period, sizeof(period));
	fprintf(out, "Does it pay off, team-wide?  First deals won %s,\n"
	    "bought again within %.0f days:\n", period,
	    (double)e->horizon / 86400.0);
	effect_rows(e, effect_summary_row, out);
	effect_cautions(e, out);
}

/* The shortest decimal that reads back as v, so a CSV cell and the JSON's
 * number are the same figure. */
static void
effect_real(double v, char *buf, size_t len)
{
	int prec;

	/* Whole numbers whole: %g would write 180 as 1.8e+02. */
	if (v > -1e15 && v < 1e15 && v == (double)(int64_t)v) {
		snprintf(buf, len, "%.0f", v);
		return;
	}
	for (prec = 1; prec < 17; prec++) {
		snprintf(buf, len, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			return;
	}
	snprintf(buf, len, "%.17g", v);
}

#define EFFECT_CSV_COLUMNS 10

static const char *const effect_csv_header[EFFECT_CSV_COLUMNS] = {
	"comparison", "group", "accounts", "bought_again", "share",
	"interval_low", "interval_high", "median_days", "too_few",
	"horizon_days",
};

/* One group's row: its comparison and group named as the JSON's keys. */
static void
effect_csv_group(const struct effect_side *s, FILE *out)
{
	const struct effect_group *g = s->g;
	char cells[EFFECT_CSV_COLUMNS][32];
	const char *row[EFFECT_CSV_COLUMNS] = { s->compare_key, s->key };
	size_t k;

	snprintf(cells[2], 32, "%" PRId64, g->n);
	snprintf(cells[3], 32, "%" PRId64, g->again);
	effect_real(g->share, cells[4], 32);
	effect_real(g->low, cells[5], 32);
	effect_real(g->high, cells[6], 32);
	effect_real(g->median_days, cells[7], 32);
	snprintf(cells[8], 32, "%s", g->n < EFFECT_TOO_FEW ? "true" : "false");
	effect_real((double)s->horizon / 86400.0, cells[9], 32);
	for (k = 2; k < EFFECT_CSV_COLUMNS; k++)
		row[k] = cells[k];
	/* No accounts: no share, no interval; none again: no median. */
	if (g->n == 0)
		row[4] = row[5] = row[6] = NULL;
	if (!g->has_median)
		row[7] = NULL;
	export_csv_row(out, row, EFFECT_CSV_COLUMNS);
}

void
effect_write_csv(const struct effect *e, FILE *out)
{
	export_csv_row(out, effect_csv_header, EFFECT_CSV_COLUMNS);
	effect_rows(e, effect_csv_group, out);
}
