#include "report.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "err.h"
#include "jsonout.h"
#include "owner_rows.h"
#include "person.h"
#include "rules.h"
#include "store.h"
#include "timeutil.h"

/* Promises due from ?1 on, per owner.  ?2 = now, ?3 = owner or NULL.
 * Kept early, on time and late as promise_kept_how() says. */
static const char SQL_PROMISES[] =
    "SELECT owner, "
    "sum(state = 'kept' AND kept_at <= target_at), "
    "sum(state = 'kept' AND kept_at > target_at AND kept_at <= due_at), "
    "sum(state = 'kept' AND kept_at > due_at), "
    "sum(renegotiated > 0), "
    "sum(state = 'broken'), "
    "sum(state = 'open' AND due_at >= ?2), "
    "sum(state = 'open' AND due_at < ?2) "
    "FROM promises WHERE due_at >= ?1 AND state != 'cancelled' "
    "AND (?3 IS NULL OR owner = ?3) GROUP BY owner";
/* Seconds kept before due (late < 0), sorted per owner for the median. */
static const char SQL_MARGINS[] =
    "SELECT owner, due_at - kept_at FROM promises "
    "WHERE state = 'kept' AND due_at >= ?1 AND (?3 IS NULL OR owner = ?3) "
    "ORDER BY owner, 2";
/* The folded and summary messages nudge makes itself are not counted. */
static const char SQL_FOLLOWUPS[] =
    "SELECT owner, sum(state = 'done'), sum(snoozes > 0), "
    "sum(state = 'notified' AND remind_at < ?2 - 86400) "
    "FROM followups WHERE remind_at >= ?1 AND remind_at <= ?2 "
    "AND (rule IS NULL OR rule NOT IN ('digest', 'missed', 'weekly', 'ops')) "
    "AND (?3 IS NULL OR owner = ?3) GROUP BY owner";
/* Won deals and their second-chocolate follow-ups (?4: the rule names as
 * a JSON array); one row per deal without one. */
static const char SQL_CHOCOLATE[] =
    "SELECT d.owner, d.id, f.rule, f.state, f.remind_at, f.done_at "
    "FROM deals d LEFT JOIN followups f ON f.deal_id = d.id "
    "AND f.rule IN (SELECT value FROM json_each(?4)) "
    "AND f.occurrence NOT LIKE '%:escalated' "
    "WHERE d.stage = 'won' AND d.closed_at >= ?1 AND d.closed_at <= ?2 "
    "AND (?3 IS NULL OR d.owner = ?3) ORDER BY d.owner, d.id";
static const char SQL_WEEKS[] =
    "SELECT due_at, state, kept_at FROM promises "
    "WHERE due_at >= ?1 AND due_at <= ?2 AND state != 'cancelled' "
    "AND (?3 IS NULL OR owner = ?3)";

const char *const report_csv_header[] = {
	"owner", "kept_early", "kept_on_time", "kept_late", "renegotiated",
	"broken", "open", "overdue", "median_days_early", "followups_done",
	"followups_snoozed", "followups_missed", "won_deals",
	"second_chocolate_in_window", "second_chocolate_late",
	"second_chocolate_open", "second_chocolate_coverage", NULL,
};

double
report_rate(int64_t on_time, int64_t settled)
{
	return settled > 0 ? (double)on_time / (double)settled : -1.0;
}

/* The row for owner, added (zeroed) when new.  NULL when out of memory. */
static struct report_row *
report_owner_row(struct report *r, const char *owner)
{
	return owner_rows_get(&r->rows, &r->nrows, sizeof(*r->rows),
	    offsetof(struct report_row, owner), owner);
}

/* Prepare one of the queries above with the shared parameters bound. */
static sqlite3_stmt *
report_query(struct store *st, const char *sql, time_t since, time_t now,
    const char *owner, char **errp)
{
	sqlite3_stmt *q;

	if ((q = store_stmt(st, sql, errp)) == NULL)
		return NULL;
	sqlite3_bind_int64(q, 1, since);
	sqlite3_bind_int64(q, 2, now);
	/* Unbound, the owner would read as NULL: everyone. */
	if (store_bind_text(q, 3, owner) != SQLITE_OK) {
		err_set(errp, "out of memory");
		return NULL;
	}
	return q;
}

/* Step to the next row: 1 row, 0 done, -1 error (statement reset). */
static int
report_step(struct store *st, sqlite3_stmt *q, const char *what, char **errp)
{
	int rc = sqlite3_step(q);

	if (rc == SQLITE_ROW)
		return 1;
	sqlite3_reset(q);
	if (rc == SQLITE_DONE)
		return 0;
	return store_err(st, errp, what);
}

/* report_step(), and the row of the owner in column 0: 1 with *row, 0
 * done, -1 error or out of memory (statement reset). */
static int
report_next(struct store *st, sqlite3_stmt *q, struct report *r,
    const char *what, struct report_row **row, char **errp)
{
	int rc;

	if ((rc = report_step(st, q, what, errp)) != 1)
		return rc;
	if ((*row = report_owner_row(r, (const char *)sqlite3_column_text(q,
	    0))) != NULL)
		return 1;
	sqlite3_reset(q);
	return err_set(errp, "out of memory");
}

/* Where the counts of SQL_PROMISES' columns 1 on go, and SQL_FOLLOWUPS'. */
#define REPORT_AT(field) offsetof(struct report_row, field)
#define REPORT_N(counts) (sizeof(counts) / sizeof((counts)[0]))
static const size_t report_promise_counts[] = {
	REPORT_AT(kept_early), REPORT_AT(kept_on_time), REPORT_AT(kept_late),
	REPORT_AT(renegotiated), REPORT_AT(broken), REPORT_AT(open),
	REPORT_AT(overdue),
};
static const size_t report_followup_counts[] = {
	REPORT_AT(done), REPORT_AT(snoozed), REPORT_AT(missed),
};

/* Each row of sql: the owner in column 0, into whose row the n counts
 * after it go as counts says. */
static int
report_counts(struct store *st, struct report *r, const char *owner,
    const char *sql, const char *what, const size_t *counts, size_t n,
    char **errp)
{
	struct report_row *row;
	sqlite3_stmt *q;
	size_t i;
	int rc;

	if ((q = report_query(st, sql, r->since, r->until, owner,
	    errp)) == NULL)
		return -1;
	while ((rc = report_next(st, q, r, what, &row, errp)) == 1)
		for (i = 0; i < n; i++)
			*(int64_t *)(void *)((char *)row + counts[i]) =
			    sqlite3_column_int64(q, (int)i + 1);
	return rc;
}

static int
report_promises(struct store *st, struct report *r, const char *owner,
    char **errp)
{
	struct report_row *row = NULL;
	sqlite3_stmt *q;
	double *margins = NULL, *more;
	size_t n = 0, cap = 0, i = 0, cur = SIZE_MAX;
	int rc;

	if (report_counts(st, r, owner, SQL_PROMISES, "reading promises",
	    report_promise_counts, REPORT_N(report_promise_counts),
	    errp) != 0)
		return -1;

	/* Medians: rows come sorted by owner, then margin.  The owner's row
	 * by index: finding a new one may move the rows. */
	if ((q = report_query(st, SQL_MARGINS, r->since, r->until, owner,
	    errp)) == NULL)
		return -1;
	for (;;) {
		if ((rc = report_next(st, q, r, "reading promises", &row,
		    errp)) == 1)
			i = (size_t)(row - r->rows);
		if (cur != SIZE_MAX && (rc != 1 || i != cur) && n > 0) {
			r->rows[cur].has_median = 1;
			r->rows[cur].median_days = (n % 2 == 1 ?
			    margins[n / 2] : (margins[n / 2 - 1] +
			    margins[n / 2]) / 2) / 86400.0;
			n = 0;
		}
		if (rc != 1)
			break;
		cur = i;
		if (n == cap) {
			cap = cap == 0 ? 64 : cap * 2;
			if ((more = realloc(margins, cap * sizeof(*more))) ==
			    NULL)
				goto oom;
			margins = more;
		}
		margins[n++] = (double)sqlite3_column_int64(q, 1);
	}
	free(margins);
	return rc;
oom:
	sqlite3_reset(q);
	free(margins);
	return err_set(errp, "out of memory");
}

static int
report_chocolate(struct store *st, const struct config *cfg, struct report *r,
    const char *owner, char **errp)
{
	struct report_row *row;
	sqlite3_stmt *q;
	char *text;
	const char *state;
	int64_t deal, last = 0;
	int rc;

	if ((text = rules_chocolate_names(cfg)) == NULL)
		return err_set(errp, "out of memory");
	if ((q = report_query(st, SQL_CHOCOLATE, r->since, r->until, owner,
	    errp)) == NULL) {
		free(text);
		return -1;
	}
	rc = sqlite3_bind_text(q, 4, text, -1, SQLITE_TRANSIENT);
	free(text);
	/* Unbound, json_each(NULL) names no rule: every won deal would
	 * count as one without a second chocolate. */
	if (rc != SQLITE_OK)
		return err_set(errp, "out of memory");
	while ((rc = report_next(st, q, r, "reading won deals", &row,
	    errp)) == 1) {
		deal = sqlite3_column_int64(q, 1);
		if (deal != last)
			row->won++;
		last = deal;
		if (sqlite3_column_type(q, 2) == SQLITE_NULL)
			continue;
		state = (const char *)sqlite3_column_text(q, 3);
		if (strcmp(state, "done") == 0) {
			if (rules_chocolate_in_window(cfg, row->owner,
			    (const char *)sqlite3_column_text(q, 2),
			    sqlite3_column_int64(q, 4),
			    sqlite3_column_int64(q, 5)))
				row->choc_in_window++;
			else
				row->choc_late++;
		} else if (strcmp(state, "cancelled") != 0)
			row->choc_open++;
	}
	return rc;
}

/* The Monday 00:00 (in zone) of the week holding civil day `day`. */
static time_t
report_monday(const char *zone, int32_t day)
{
	time_t t;

	/* Civil day 0 (1970-01-01) was a Thursday. */
	day -= (day + 3) % 7;
	if (timeutil_make_local(zone, 1970, 1, 1 + day, 0, 0, 0, &t) != 0)
		return 0;
	return t;
}

static int
report_weeks(struct store *st, const char *zone, struct report *r,
    const char *owner, char **errp)
{
	sqlite3_stmt *q;
	int32_t first, last, day;
	const char *state;
	size_t i, n;
	time_t due;
	int rc;

	first = timeutil_local_day(zone, r->since);
	last = timeutil_local_day(zone, r->until);
	first -= (first + 3) % 7;
	last -= (last + 3) % 7;
	n = (size_t)((last - first) / 7 + 1);
	if (n > REPORT_MAX_WEEKS) {
		first += (int32_t)(n - REPORT_MAX_WEEKS) * 7;
		n = REPORT_MAX_WEEKS;
	}
	if ((r->weeks = calloc(n, sizeof(*r->weeks))) == NULL)
		return err_set(errp, "out of memory");
	r->nweeks = n;
	for (i = 0; i < n; i++)
		r->weeks[i].start = report_monday(zone, first +
		    (int32_t)i * 7);
	/* Only what has had its chance: due by now. */
	if ((q = report_query(st, SQL_WEEKS, r->weeks[0].start, r->until,
	    owner, errp)) == NULL)
		return -1;
	while ((rc = report_step(st, q, "reading promises", errp)) == 1) {
		due = sqlite3_column_int64(q, 0);
		state = (const char *)sqlite3_column_text(q, 1);
		day = timeutil_local_day(zone, due);
		i = (size_t)((day - first) / 7);
		if (day < first || i >= n)
			continue;
		if (strcmp(state, "kept") == 0) {
			r->weeks[i].settled++;
			if (sqlite3_column_int64(q, 2) <= due)
				r->weeks[i].on_time++;
		} else if (strcmp(state, "broken") == 0 ||
		    strcmp(state, "open") == 0)
			r->weeks[i].settled++;
	}
	return rc;
}

static int
report_cmp_owner(const void *a, const void *b)
{
	return strcmp(((const struct report_row *)a)->owner,
	    ((const struct report_row *)b)->owner);
}

/* The team row: sums; the median is not a sum, so it is left out unless
 * there is only one owner. */
static void
report_team(struct report *r)
{
	const struct report_row *x;
	struct report_row *t = &r->team;
	size_t i;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < r->nrows; i++) {
		x = &r->rows[i];
		t->kept_early += x->kept_early;
		t->kept_on_time += x->kept_on_time;
		t->kept_late += x->kept_late;
		t->renegotiated += x->renegotiated;
		t->broken += x->broken;
		t->open += x->open;
		t->overdue += x->overdue;
		t->done += x->done;
		t->snoozed += x->snoozed;
		t->missed += x->missed;
		t->won += x->won;
		t->choc_in_window += x->choc_in_window;
		t->choc_late += x->choc_late;
		t->choc_open += x->choc_open;
	}
	if (r->nrows == 1) {
		t->has_median = r->rows[0].has_median;
		t->median_days = r->rows[0].median_days;
	}
}

int
report_build(struct store *st, const struct config *cfg, const char *owner,
    time_t since, time_t now, struct report *out, char **errp)
{
	memset(out, 0, sizeof(*out));
	out->since = since;
	out->until = now;
	if (since > now)
		return err_set(errp, "the report starts after now");
	if (report_promises(st, out, owner, errp) != 0 ||
	    report_counts(st, out, owner, SQL_FOLLOWUPS, "reading follow-ups",
	    report_followup_counts, REPORT_N(report_followup_counts),
	    errp) != 0 ||
	    report_chocolate(st, cfg, out, owner, errp) != 0 ||
	    report_weeks(st, cfg->timezone, out, owner, errp) != 0 ||
	    coverage_build(st, cfg, owner, now, &out->cadence, errp) != 0) {
		report_free(out);
		return -1;
	}
	if (out->nrows > 1)
		qsort(out->rows, out->nrows, sizeof(*out->rows),
		    report_cmp_owner);
	report_team(out);
	return 0;
}

void
report_free(struct report *r)
{
	owner_rows_free(r->rows, r->nrows, sizeof(*r->rows),
	    offsetof(struct report_row, owner));
	free(r->weeks);
	coverage_free(&r->cadence);
	memset(r, 0, sizeof(*r));
}

int
report_sparkline(const struct report *r, char *buf, size_t len)
{
	static const char *const bars[] = { "\u2581", "\u2582", "\u2583",
		"\u2584", "\u2585", "\u2586", "\u2587", "\u2588" };
	size_t i, used = 0, k;
	double rate;
	const char *c;

	if (len == 0)
		return -1;
	buf[0] = '\0';
	for (i = 0; i < r->nweeks; i++) {
		rate = report_rate(r->weeks[i].on_time, r->weeks[i].settled);
		c = rate < 0 ? "\u00b7" : bars[(size_t)(rate * 7.0 + 0.5)];
		k = strlen(c);
		if (used + k + 1 > len)
			return -1;
		memcpy(buf + used, c, k + 1);
		used += k;
	}
	return 0;
}

static void
report_percent(double rate, char *buf, size_t len)
{
	if (rate < 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.0f %%", rate * 100.0);
}

static void
report_median_text(const struct report_row *row, char *buf, size_t len)
{
	if (!row->has_median)
		snprintf(buf, len, "-");
	else if (row->median_days >= 0)
		snprintf(buf, len, "%.1fd early", row->median_days);
	else
		snprintf(buf, len, "%.1fd late", -row->median_days);
}

/* The promises of a row: one line of the first table. */
static void
report_write_promises(const struct report_row *row, FILE *out)
{
	char median[32];

	report_median_text(row, median, sizeof(median));
	fprintf(out, "%-10.10s %5lld %7lld %4lld %5lld %6lld %4lld %7lld "
	    "%s\n", row->owner != NULL ? row->owner : "team",
	    (long long)row->kept_early, (long long)row->kept_on_time,
	    (long long)row->kept_late, (long long)row->renegotiated,
	    (long long)row->broken, (long long)row->open,
	    (long long)row->overdue, median);
}

/* The follow-ups and won deals of a row: one line of the second. */
static void
report_write_followups(const struct report_row *row, FILE *out)
{
	char cover[32];

	report_percent(report_rate(row->choc_in_window, row->won), cover,
	    sizeof(cover));
	fprintf(out, "%-10.10s %4lld %7lld %6lld %4lld %4lld %5s\n",
	    row->owner != NULL ? row->owner : "team", (long long)row->done,
	    (long long)row->snoozed, (long long)row->missed,
	    (long long)row->won, (long long)row->choc_in_window, cover);
}

/* One table: every owner's row and the team's (when not the only one). */
static void
report_write_table(const struct report *r, FILE *out,
    void (*write_row)(const struct report_row *, FILE *))
{
	size_t i;

	for (i = 0; i < r->nrows; i++)
		write_row(&r->rows[i], out);
	if (r->nrows != 1)
		write_row(&r->team, out);
}

/* Two tables, not one of 15 columns: each fits 80 columns. */
void
report_write_text(const struct report *r, const char *zone, FILE *out)
{
	const struct report_week *w;
	char since[TIMEUTIL_ISO_MAX], until[TIMEUTIL_ISO_MAX], spark[256];
	char pct[32];

	timeutil_format_iso(r->since, zone, since, sizeof(since));
	timeutil_format_iso(r->until, zone, until, sizeof(until));
	fprintf(out, "Ledger from %.10s to %.10s %.5s\n\n", since, until,
	    until + 11);
	fprintf(out, "%-10s %5s %7s %4s %5s %6s %4s %7s %s\n", "OWNER",
	    "EARLY", "ON-TIME", "LATE", "RENEG", "BROKEN", "OPEN", "OVERDUE",
	    "MEDIAN");
	report_write_table(r, out, report_write_promises);
	fprintf(out, "\n%-10s %4s %7s %6s %4s %4s %5s\n", "OWNER", "DONE",
	    "SNOOZED", "MISSED", "WON", "2ND", "COVER");
	report_write_table(r, out, report_write_followups);
	fprintf(out, "\nPromises due in the period: EARLY kept by the internal "
	    "target, ON-TIME by\nthe date promised, RENEG moved in time with "
	    "the customer.  MEDIAN: days kept\nbefore the due date.  "
	    "Follow-ups: MISSED reminded over a day ago and not done.\nWon "
	    "deals: 2ND second chocolate done within its window, COVER = 2ND "
	    "/ WON.\n");
	coverage_write_text(&r->cadence, out);
	if (r->nweeks == 0)
		return;
	w = &r->weeks[r->nweeks - 1];
	report_percent(report_rate(w->on_time, w->settled), pct, sizeof(pct));
	if (report_sparkline(r, spark, sizeof(spark)) != 0)
		spark[0] = '\0';
	fprintf(out, "\nKept on time, week by week (%zu weeks, oldest "
	    "first):\n  %s  this week %s (%lld of %lld)\n", r->nweeks, spark,
	    pct, (long long)w->on_time, (long long)w->settled);
}

static json_t *
report_row_json(const struct report_row *row)
{
	double cover = report_rate(row->choc_in_window, row->won);

	return json_pack("{s:s?, s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o}, "
	    "s:{s:I, s:I, s:I}, s:{s:I, s:I, s:I, s:I, s:o}}",
	    "owner", row->owner,
	    "promises",
	    "kept_early", (json_int_t)row->kept_early,
	    "kept_on_time", (json_int_t)row->kept_on_time,
	    "kept_late", (json_int_t)row->kept_late,
	    "renegotiated", (json_int_t)row->renegotiated,
	    "broken", (json_int_t)row->broken,
	    "open", (json_int_t)row->open,
	    "overdue", (json_int_t)row->overdue,
	    "median_days_early", row->has_median ?
	    json_real(row->median_days) : json_null(),
	    "followups",
	    "done", (json_int_t)row->done,
	    "snoozed", (json_int_t)row->snoozed,
	    "missed", (json_int_t)row->missed,
	    "second_chocolate",
	    "won_deals", (json_int_t)row->won,
	    "done_in_window", (json_int_t)row->choc_in_window,
	    "done_late", (json_int_t)row->choc_late,
	    "open", (json_int_t)row->choc_open,
	    "coverage", cover < 0 ? json_null() : json_real(cover));
}

json_t *
report_json(const struct report *r, const char *zone)
{
	json_t *o, *owners, *trend, *w;
	char spark[256];
	double rate;
	size_t i;

	if ((o = json_object()) == NULL)
		return NULL;
	jsonout_set_time(o, "since", r->since, zone);
	jsonout_set_time(o, "until", r->until, zone);
	owners = json_array();
	for (i = 0; i < r->nrows; i++)
		json_array_append_new(owners, report_row_json(&r->rows[i]));
	json_object_set_new(o, "owners", owners);
	json_object_set_new(o, "team", report_row_json(&r->team));
	trend = json_array();
	for (i = 0; i < r->nweeks; i++) {
		rate = report_rate(r->weeks[i].on_time, r->weeks[i].settled);
		w = json_pack("{s:I, s:I, s:o}", "settled",
		    (json_int_t)r->weeks[i].settled, "on_time",
		    (json_int_t)r->weeks[i].on_time, "rate", rate < 0 ?
		    json_null() : json_real(rate));
		jsonout_set_time(w, "week", r->weeks[i].start, zone);
		json_array_append_new(trend, w);
	}
	json_object_set_new(o, "trend", trend);
	json_object_set_new(o, "cadence_coverage", coverage_json(&r->cadence));
	if (report_sparkline(r, spark, sizeof(spark)) == 0)
		json_object_set_new(o, "sparkline", json_string(spark));
	return o;
}

void
report_row_cells(const struct report_row *row,
    char cells[REPORT_CSV_COLUMNS][32])
{
	const int64_t v[] = { row->kept_early, row->kept_on_time,
		row->kept_late, row->renegotiated, row->broken, row->open,
		row->overdue };
	const int64_t f[] = { row->done, row->snoozed, row->missed, row->won,
		row->choc_in_window, row->choc_late, row->choc_open };
	double cover = report_rate(row->choc_in_window, row->won);
	size_t i;

	snprintf(cells[0], 32, "%.31s", row->owner != NULL ? row->owner :
	    "team");
	for (i = 0; i < 7; i++)
		snprintf(cells[1 + i], 32, "%lld", (long long)v[i]);
	if (row->has_median)
		snprintf(cells[8], 32, "%.2f", row->median_days);
	else
		cells[8][0] = '\0';
	for (i = 0; i < 7; i++)
		snprintf(cells[9 + i], 32, "%lld", (long long)f[i]);
	if (cover < 0)
		cells[16][0] = '\0';
	else
		snprintf(cells[16], 32, "%.3f", cover);
}

int
report_since(const struct config *cfg, const struct config_person *person,
    const char *since, const char *what, time_t now, time_t *from,
    char **errp)
{
	if (since != NULL && person_parse_when(cfg, person, since, now, 0, what,
	    from, errp) != 0)
		return -1;
	return *from > now ? 1 : 0;
}
