#include "export.h"

#include <csv.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "deal.h"
#include "err.h"
#include "followup.h"
#include "person.h"
#include "promise.h"
#include "store.h"
#include "timeutil.h"

void
export_csv_row(FILE *out, const char *const *cells, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			fputc(',', out);
		if (cells[i] != NULL)
			csv_fwrite(out, cells[i], strlen(cells[i]));
	}
	fputc('\n', out);
}

/* t in the owner's zone, or NULL (an empty cell) for 0. */
static const char *
export_time(const struct config *cfg, const char *owner, int64_t t,
    char *buf, size_t len)
{
	if (t == 0 || timeutil_format_iso((time_t)t, person_zone(cfg, owner),
	    buf, len) != 0)
		return NULL;
	return buf;
}

static int
export_deals(struct store *st, const struct config *cfg, FILE *out,
    char **errp)
{
	static const char *const head[] = { "title", "account", "owner",
		"value", "currency", "closes", "won_at" };
	struct deal_filter f = { 0 };
	struct deal *v;
	char a[64], b[64], value[64];
	size_t n, i;

	if (deal_list(st, &f, &v, &n, errp) != 0)
		return -1;
	export_csv_row(out, head, 7);
	for (i = 0; i < n; i++) {
		snprintf(value, sizeof(value), "%lld.%02lld",
		    (long long)(v[i].value_minor / 100),
		    (long long)(v[i].value_minor % 100));
		const char *row[] = { v[i].title, v[i].account, v[i].owner,
			v[i].has_value ? value : NULL, v[i].currency,
			export_time(cfg, v[i].owner, v[i].closes_at, a,
			sizeof(a)), strcmp(v[i].stage, "won") == 0 ?
			export_time(cfg, v[i].owner, v[i].closed_at, b,
			sizeof(b)) : NULL };
		export_csv_row(out, row, 7);
	}
	deal_list_free(v, n);
	return 0;
}

static int
export_promises(struct store *st, const struct config *cfg, FILE *out,
    char **errp)
{
	static const char *const head[] = { "owner", "account", "text", "due",
		"to", "deal" };
	struct promise_filter f = { 0 };
	struct promise *v;
	char a[64], deal[32];
	size_t n, i;

	if (promise_list(st, &f, &v, &n, errp) != 0)
		return -1;
	export_csv_row(out, head, 6);
	for (i = 0; i < n; i++) {
		snprintf(deal, sizeof(deal), "%lld", (long long)v[i].deal_id);
		const char *row[] = { v[i].owner, v[i].account, v[i].text,
			export_time(cfg, v[i].owner, v[i].due_at, a,
			sizeof(a)), v[i].promised_to,
			v[i].deal_id ? deal : NULL };
		export_csv_row(out, row, 6);
	}
	promise_list_free(v, n);
	return 0;
}

static int
export_followups(struct store *st, const struct config *cfg, FILE *out,
    char **errp)
{
	static const char *const head[] = { "owner", "account", "text", "at" };
	struct followup_filter f = { 0 };
	struct followup *v;
	char a[64];
	size_t n, i;

	if (followup_list(st, &f, &v, &n, errp) != 0)
		return -1;
	export_csv_row(out, head, 4);
	for (i = 0; i < n; i++) {
		const char *row[] = { v[i].owner, v[i].account, v[i].text,
			export_time(cfg, v[i].owner, v[i].due_at, a,
			sizeof(a)) };
		export_csv_row(out, row, 4);
	}
	followup_list_free(v, n);
	return 0;
}

int
export_csv(struct store *st, const struct config *cfg, enum import_kind kind,
    FILE *out, char **errp)
{
	switch (kind) {
	case IMPORT_DEALS:
		return export_deals(st, cfg, out, errp);
	case IMPORT_PROMISES:
		return export_promises(st, cfg, out, errp);
	case IMPORT_FOLLOWUPS:
		return export_followups(st, cfg, out, errp);
	}
	return err_set(errp, "no such kind of record");
}

/* The records read, each as JSON in its owner's zone. */
static int
export_json_fill(const struct config *cfg, json_t *o, const struct deal *dv,
    size_t nd, const struct promise *pv, size_t np,
    const struct followup *fv, size_t nf)
{
	json_t *d = json_array(), *p = json_array(), *f = json_array();
	size_t i;
	int rc = 0;

	if (json_object_set_new(o, "deals", d) != 0 ||
	    json_object_set_new(o, "promises", p) != 0 ||
	    json_object_set_new(o, "followups", f) != 0)
		return -1;
	for (i = 0; i < nd && rc == 0; i++)
		rc = json_array_append_new(d, deal_json(&dv[i],
		    person_zone(cfg, dv[i].owner)));
	for (i = 0; i < np && rc == 0; i++)
		rc = json_array_append_new(p, promise_json(&pv[i],
		    person_zone(cfg, pv[i].owner)));
	for (i = 0; i < nf && rc == 0; i++)
		rc = json_array_append_new(f, followup_json(&fv[i],
		    person_zone(cfg, fv[i].owner)));
	return rc;
}

int
export_json(struct store *st, const struct config *cfg, json_t **out,
    char **errp)
{
	struct deal_filter df = { 0 };
	struct promise_filter pf = { 0 };
	struct followup_filter ff = { 0 };
	struct deal *dv = NULL;
	struct promise *pv = NULL;
	struct followup *fv = NULL;
	size_t nd = 0, np = 0, nf = 0;
	int rc = -1;

	*out = NULL;
	if (deal_list(st, &df, &dv, &nd, errp) != 0 ||
	    promise_list(st, &pf, &pv, &np, errp) != 0 ||
	    followup_list(st, &ff, &fv, &nf, errp) != 0)
		goto out;
	if ((*out = json_object()) == NULL || export_json_fill(cfg, *out, dv,
	    nd, pv, np, fv, nf) != 0) {
		json_decref(*out);
		*out = NULL;
		err_set(errp, "out of memory");
		goto out;
	}
	rc = 0;
out:
	deal_list_free(dv, nd);
	promise_list_free(pv, np);
	followup_list_free(fv, nf);
	return rc;
}
