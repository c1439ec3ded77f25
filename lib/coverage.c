/* Stay-in-touch coverage per owner, from `nudge accounts`' judgement. */
#include "coverage.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "cadence_view.h"
#include "config.h"
#include "err.h"
#include "owner_rows.h"

/* The row of owner, added (zeroed) when new; NULL when out of memory. */
static struct coverage_row *
coverage_row(struct coverage *c, const char *owner)
{
	return owner_rows_get(&c->rows, &c->n, sizeof(*c->rows),
	    offsetof(struct coverage_row, owner), owner);
}

static void
coverage_count(struct coverage_row *r, const struct cadence_state *s)
{
	r->accounts++;
	if (s->paused)
		r->paused++;
	else if (s->overdue)
		r->quiet++;
	else
		r->kept++;
}

static int
coverage_cmp(const void *a, const void *b)
{
	return strcmp(((const struct coverage_row *)a)->owner,
	    ((const struct coverage_row *)b)->owner);
}

int
coverage_build(struct store *st, const struct config *cfg, const char *owner,
    time_t now, struct coverage *out, char **errp)
{
	struct cadence_view_row *v;
	struct coverage_row *r;
	size_t n, i;

	memset(out, 0, sizeof(*out));
	if (cfg->ncadences == 0)
		return 0;
	if (cadence_view(st, cfg, now, owner, 0, &v, &n, errp) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (v[i].s.cadence == NULL || v[i].s.owner == NULL)
			continue;
		if ((r = coverage_row(out, v[i].s.owner->handle)) == NULL) {
			cadence_view_free(v, n);
			coverage_free(out);
			return err_set(errp, "out of memory");
		}
		coverage_count(r, &v[i].s);
		coverage_count(&out->team, &v[i].s);
	}
	cadence_view_free(v, n);
	if (out->n > 1)
		qsort(out->rows, out->n, sizeof(*out->rows), coverage_cmp);
	return 0;
}

void
coverage_free(struct coverage *c)
{
	owner_rows_free(c->rows, c->n, sizeof(*c->rows),
	    offsetof(struct coverage_row, owner));
	memset(c, 0, sizeof(*c));
}

double
coverage_rate(const struct coverage_row *r)
{
	int64_t held = r->accounts - r->paused;

	return held > 0 ? (double)r->kept / (double)held : -1.0;
}

static void
coverage_text_row(const struct coverage_row *r, FILE *out)
{
	double rate = coverage_rate(r);
	char cover[16];

	if (rate < 0)
		snprintf(cover, sizeof(cover), "-");
	else
		snprintf(cover, sizeof(cover), "%.0f %%", rate * 100.0);
	fprintf(out, "%-10.10s %8lld %4lld %5lld %6lld %5s\n",
	    r->owner != NULL ? r->owner : "team", (long long)r->accounts,
	    (long long)r->kept, (long long)r->quiet, (long long)r->paused,
	    cover);
}

void
coverage_write_text(const struct coverage *c, FILE *out)
{
	size_t i;

	if (c->n == 0)
		return;
	fprintf(out, "\nStay in touch now: accounts with a cadence, by the "
	    "owner reminded of them:\n%-10s %8s %4s %5s %6s %5s\n", "OWNER", "ACCOUNTS",
	    "KEPT", "QUIET", "PAUSED", "COVER");
	for (i = 0; i < c->n; i++)
		coverage_text_row(&c->rows[i], out);
	if (c->n > 1)
		coverage_text_row(&c->team, out);
	fprintf(out, "KEPT within the cadence, QUIET overdue; COVER = KEPT / "
	    "(ACCOUNTS - PAUSED).\n");
}

static json_t *
coverage_row_json(const struct coverage_row *r)
{
	double rate = coverage_rate(r);

	return json_pack("{s:s?, s:I, s:I, s:I, s:I, s:o}", "owner", r->owner,
	    "accounts", (json_int_t)r->accounts, "kept", (json_int_t)r->kept,
	    "quiet", (json_int_t)r->quiet, "paused", (json_int_t)r->paused,
	    "coverage", rate < 0 ? json_null() : json_real(rate));
}

json_t *
coverage_json(const struct coverage *c)
{
	json_t *owners = json_array();
	size_t i;

	for (i = 0; owners != NULL && i < c->n; i++)
		if (json_array_append_new(owners,
		    coverage_row_json(&c->rows[i])) != 0) {
			json_decref(owners);
			return NULL;
		}
	if (owners == NULL)
		return NULL;
	return json_pack("{s:o, s:o}", "owners", owners, "team",
	    coverage_row_json(&c->team));
}
