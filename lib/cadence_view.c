#include "cadence_view.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "err.h"
#include "jsonout.h"

const char *const cadence_view_csv_header[] = {
	"account", "last_touch", "by", "with", "days_since", "cadence",
	"every", "owner", "due", "overdue_days", "paused", NULL,
};

/* Whom the row's reminder goes to, or who touched it last. */
static const char *
view_owner(const struct cadence_view_row *r)
{
	return r->s.owner != NULL ? r->s.owner->handle : r->a.last_by;
}

static int
view_order(const void *x, const void *y)
{
	const struct cadence_view_row *a = x, *b = y;

	if ((a->s.due == 0) != (b->s.due == 0))
		return a->s.due == 0 ? 1 : -1;
	if (a->s.due != b->s.due)
		return a->s.due < b->s.due ? -1 : 1;
	return strcmp(a->a.name, b->a.name);
}

static int
view_keep(const struct cadence_view_row *r, const char *owner, int quiet)
{
	const char *who = view_owner(r);

	if (quiet && !r->s.overdue)
		return 0;
	return owner == NULL || (who != NULL && strcmp(who, owner) == 0);
}

int
cadence_view(struct store *st, const struct config *cfg, time_t now,
    const char *owner, int quiet, struct cadence_view_row **v, size_t *n,
    char **errp)
{
	struct cadence_account *acc;
	struct cadence_view_row *r;
	size_t nacc, i;

	*v = NULL;
	*n = 0;
	if (cadence_account_list(st, &acc, &nacc, errp) != 0)
		return -1;
	if (nacc > 0 && (*v = calloc(nacc, sizeof(**v))) == NULL) {
		cadence_account_list_free(acc, nacc);
		return err_set(errp, "out of memory");
	}
	for (i = 0; i < nacc; i++) {
		r = &(*v)[*n];
		r->a = acc[i];  /* the strings move to the row */
		cadence_judge(cfg, &r->a, now, &r->s);
		r->days_since = now > r->s.clock ? (now - r->s.clock) / 86400 :
		    0;
		r->days_over = r->s.overdue ? (now - r->s.due) / 86400 : 0;
		if (view_keep(r, owner, quiet))
			(*n)++;
		else
			cadence_account_clear(&r->a);
	}
	free(acc);
	if (*n > 1)
		qsort(*v, *n, sizeof(**v), view_order);
	return 0;
}

void
cadence_view_free(struct cadence_view_row *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		cadence_account_clear(&v[i].a);
	free(v);
}

/* "30d" of the row's cadence, or "" without one. */
static void
view_every(const struct cadence_view_row *r, char *buf, size_t len)
{
	buf[0] = '\0';
	if (r->s.cadence != NULL)
		timeutil_format_duration(&r->s.cadence->every, buf, len);
}

/* The date part of t's ISO 8601 in zone, "" for 0. */
static void
view_date(int64_t t, const char *zone, char *buf, size_t len)
{
	char iso[TIMEUTIL_ISO_MAX];

	buf[0] = '\0';
	if (t != 0 && timeutil_format_iso((time_t)t, zone, iso,
	    sizeof(iso)) == 0)
		snprintf(buf, len, "%.10s", iso);
}

void
cadence_view_cells(const struct cadence_view_row *r, const char *zone,
    char cells[][TIMEUTIL_ISO_MAX + 64])
{
	const size_t len = TIMEUTIL_ISO_MAX + 64;
	const char *who = r->s.owner != NULL ? r->s.owner->handle : "";

	snprintf(cells[0], len, "%s", r->a.name);
	if (r->a.last_at != 0)
		timeutil_format_iso((time_t)r->a.last_at, zone, cells[1], len);
	else
		cells[1][0] = '\0';
	snprintf(cells[2], len, "%s", r->a.last_by != NULL ? r->a.last_by :
	    "");
	snprintf(cells[3], len, "%s", r->a.last_with != NULL ?
	    r->a.last_with : "");
	snprintf(cells[4], len, "%" PRId64, r->days_since);
	snprintf(cells[5], len, "%s", r->s.cadence != NULL ?
	    r->s.cadence->name : "");
	view_every(r, cells[6], len);
	snprintf(cells[7], len, "%s", who);
	if (r->s.due != 0)
		timeutil_format_iso((time_t)r->s.due, zone, cells[8], len);
	else
		cells[8][0] = '\0';
	snprintf(cells[9], len, "%" PRId64, r->days_over);
	snprintf(cells[10], len, "%s", r->s.paused ? "yes" : "no");
}

/* What the row's state says in words: "overdue 3 days", "due 2026-...". */
static void
view_state(const struct cadence_view_row *r, const char *zone, char *buf,
    size_t len)
{
	char date[16];

	if (r->s.paused && r->s.due == 0)
		snprintf(buf, len, "paused");
	else if (r->s.cadence == NULL)
		snprintf(buf, len, "no cadence");
	else if (r->s.owner == NULL)
		snprintf(buf, len, "no owner");
	else if (r->s.overdue)
		snprintf(buf, len, "OVERDUE %" PRId64 " day%s", r->days_over,
		    r->days_over == 1 ? "" : "s");
	else {
		view_date(r->s.due, zone, date, sizeof(date));
		snprintf(buf, len, "%sdue %s", r->s.paused ? "paused, " : "",
		    date);
	}
}

void
cadence_view_write_text(const struct cadence_view_row *v, size_t n,
    const char *zone, FILE *out)
{
	char last[16], every[64], state[64], cadence[160];
	size_t i;

	if (n == 0) {
		fprintf(out, "no accounts\n");
		return;
	}
	fprintf(out, "%-24s %-10s %-10s %5s  %-16s %-10s %s\n", "ACCOUNT",
	    "LAST", "BY", "DAYS", "CADENCE", "OWNER", "STATE");
	for (i = 0; i < n; i++) {
		view_date(v[i].a.last_at, zone, last, sizeof(last));
		view_every(&v[i], every, sizeof(every));
		view_state(&v[i], zone, state, sizeof(state));
		if (v[i].s.cadence != NULL)
			snprintf(cadence, sizeof(cadence), "%s (%s)",
			    v[i].s.cadence->name, every);
		else
			snprintf(cadence, sizeof(cadence), "-");
		fprintf(out, "%-24s %-10s %-10s %5" PRId64 "  %-16s %-10s %s\n",
		    v[i].a.name, last[0] != '\0' ? last : "never",
		    v[i].a.last_by != NULL ? v[i].a.last_by : "-",
		    v[i].days_since, cadence,
		    v[i].s.owner != NULL ? v[i].s.owner->handle : "-", state);
	}
}

static json_t *
view_json_row(const struct cadence_view_row *r, const char *zone)
{
	json_t *o = json_object();
	char every[64];

	view_every(r, every, sizeof(every));
	return jsonout_made(o, o == NULL ||
	    jsonout_set_text(o, "account", r->a.name) != 0 ||
	    jsonout_set_int(o, "account_id", r->a.id) != 0 ||
	    jsonout_set_time(o, "last_touch", r->a.last_at, zone) != 0 ||
	    jsonout_set_str(o, "by", r->a.last_by) != 0 ||
	    jsonout_set_str(o, "with", r->a.last_with) != 0 ||
	    jsonout_set_int(o, "days_since", r->days_since) != 0 ||
	    jsonout_set_str(o, "cadence", r->s.cadence != NULL ?
	    r->s.cadence->name : NULL) != 0 ||
	    jsonout_set_str(o, "every", r->s.cadence != NULL ? every :
	    NULL) != 0 ||
	    jsonout_set_str(o, "owner", r->s.owner != NULL ?
	    r->s.owner->handle : NULL) != 0 ||
	    jsonout_set_time(o, "due", r->s.due, zone) != 0 ||
	    json_object_set_new(o, "overdue", json_boolean(r->s.overdue)) !=
	    0 ||
	    jsonout_set_int(o, "overdue_days", r->days_over) != 0 ||
	    json_object_set_new(o, "paused", json_boolean(r->s.paused)) != 0 ||
	    jsonout_set_time(o, "paused_until", r->a.paused_until, zone) != 0);
}

json_t *
cadence_view_json(const struct cadence_view_row *v, size_t n,
    const char *zone)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a != NULL && i < n; i++)
		if (json_array_append_new(a, view_json_row(&v[i], zone)) != 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}
