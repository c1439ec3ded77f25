/* The pure core of the effect report: facts in, figures out. */
#include "effect.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"

/* The normal quantile of 97.5 %: a two-sided 95 % interval. */
#define EFFECT_Z 1.959963984540054

void
effect_wilson(int64_t k, int64_t n, double *low, double *high)
{
	double p = (double)k / (double)n, z2 = EFFECT_Z * EFFECT_Z;
	double d = 1.0 + z2 / (double)n;
	double centre = (p + z2 / (2.0 * (double)n)) / d;
	double half = EFFECT_Z * sqrt(p * (1.0 - p) / (double)n +
	    z2 / (4.0 * (double)n * (double)n)) / d;

	/* Rounding must not put 0/n above 0 or n/n below 1. */
	*low = k == 0 ? 0.0 : centre - half;
	*high = k == n ? 1.0 : centre + half;
}

static int
effect_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double
effect_median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), effect_cmp_double);
	return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

int
effect_kept_within(const int64_t *touches, size_t n, int64_t from,
    int64_t to, const struct timeutil_hours *h,
    const struct timeutil_duration *every)
{
	int64_t clock = from;
	size_t i;

	for (i = 0; i < n; i++) {
		if (touches[i] <= from || touches[i] > to)
			continue;
		if (touches[i] > timeutil_apply(h, clock, every, +1))
			return 0;
		clock = touches[i];
	}
	return to <= timeutil_apply(h, clock, every, +1);
}

/* A group's share, interval and median from its days to the next deal
 * (days[0..again)). */
static void
effect_group_close(struct effect_group *g, double *days)
{
	g->share = -1.0;
	if (g->n == 0)
		return;
	g->share = (double)g->again / (double)g->n;
	effect_wilson(g->again, g->n, &g->low, &g->high);
	if (g->again > 0) {
		g->has_median = 1;
		g->median_days = effect_median(days, (size_t)g->again);
	}
}

/* Count case c, bought again after `days` (< 0: not), into g. */
static void
effect_count(struct effect_group *g, double *days, double d)
{
	g->n++;
	if (d >= 0)
		days[g->again++] = d;
}

int
effect_compute(const struct effect_case *v, size_t n, time_t now,
    int64_t horizon, struct effect *e, char **errp)
{
	struct effect_group *g[4] = { &e->chocolate.with,
		&e->chocolate.without, &e->cadence.with, &e->cadence.without };
	double *days, d;
	size_t i, k;

	e->horizon = horizon;
	e->too_recent = e->no_cadence = 0;
	memset(&e->chocolate, 0, sizeof(e->chocolate));
	memset(&e->cadence, 0, sizeof(e->cadence));
	/* One column of days per group, each room for every case. */
	if ((days = calloc(n > 0 ? 4 * n : 1, sizeof(*days))) == NULL)
		return err_set(errp, "out of memory");
	for (i = 0; i < n; i++) {
		if (v[i].won_at > (int64_t)now - horizon) {
			e->too_recent++;
			continue;
		}
		d = v[i].next_at != 0 && v[i].next_at - v[i].won_at <=
		    horizon ? (double)(v[i].next_at - v[i].won_at) / 86400.0 :
		    -1.0;
		k = v[i].chocolate ? 0 : 1;
		effect_count(g[k], days + k * n, d);
		if (v[i].cadence < 0) {
			e->no_cadence++;
			continue;
		}
		k = v[i].cadence ? 2 : 3;
		effect_count(g[k], days + k * n, d);
	}
	for (k = 0; k < 4; k++)
		effect_group_close(g[k], days + k * n);
	free(days);
	return 0;
}

int
effect_parse_horizon(const char *s, int64_t *out, char **errp)
{
	struct timeutil_duration d;

	*out = -1;
	if (timeutil_parse_duration(s, &d, errp) != 0)
		return err_prefix(errp, "--horizon %s", s);
	if (d.business_days != 0)
		return err_set(errp, "--horizon %s: give days or weeks, not "
		    "working days (e.g. 180d)", s);
	*out = d.seconds + (int64_t)d.days * 86400;
	return 0;
}
