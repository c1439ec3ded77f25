/*
 * The promise ledger and follow-up outcomes per owner over a period: what
 * `nudge report` prints and what the daemon's weekly summary says.  One
 * place computes the figures and words them, so both say the same.
 */
#ifndef NUDGE_REPORT_H
#define NUDGE_REPORT_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "coverage.h"

struct config;
struct store;

/* One owner's figures, or the team's (owner NULL). */
struct report_row {
	char *owner;
	/* Promises due in the period (cancelled ones left out). */
	int64_t kept_early;     /* kept by the internal target */
	int64_t kept_on_time;   /* after the target, by the due date */
	int64_t kept_late;      /* after the due date */
	int64_t renegotiated;   /* moved in time; counted whatever came after */
	int64_t broken;
	int64_t open;           /* open, not yet due */
	int64_t overdue;        /* open, past due */
	int has_median;
	double median_days;     /* kept: days before due (late < 0) */
	/* Follow-ups whose reminder fell in the period. */
	int64_t done, snoozed;
	int64_t missed;         /* reminded over a day ago, still not done */
	/* Deals won in the period and their second chocolate. */
	int64_t won;
	int64_t choc_in_window; /* done within its rule's window */
	int64_t choc_late;      /* done, but after the window */
	int64_t choc_open;      /* scheduled, not done yet */
};

/* Promises due in one week (Monday 00:00 in the team's zone). */
struct report_week {
	time_t start;
	int64_t settled;        /* kept, broken or overdue */
	int64_t on_time;        /* kept by the due date */
};

struct report {
	time_t since, until;
	struct report_row *rows;        /* per owner, by handle */
	size_t nrows;
	struct report_row team;
	struct report_week *weeks;      /* oldest first */
	size_t nweeks;
	struct coverage cadence;        /* stay in touch, now */
};

/* Most weeks in the trend; an older --since keeps only the latest. */
#define REPORT_MAX_WEEKS 26
/* The period of a report asked for without a start: the last 12 weeks. */
#define REPORT_DEFAULT_PERIOD ((time_t)12 * 7 * 86400)

struct config_person;
/*
 * The start of a report's period into *from: since read as a moment in
 * person's zone (NULL: the config's), the label what naming it in a
 * message; without since *from stays the caller's default.  0; -1 with
 * *errp when it does not parse; 1 when it is after now (a period that
 * has not begun).
 */
int report_since(const struct config *cfg, const struct config_person *person,
    const char *since, const char *what, time_t now, time_t *from,
    char **errp);

/*
 * Figures for [since, now], for one owner or (owner NULL) everyone, with
 * the weekly trend in cfg's zone.  Free with report_free().
 */
int report_build(struct store *st, const struct config *cfg,
    const char *owner, time_t since, time_t now, struct report *out,
    char **errp);
void report_free(struct report *r);

/* Kept on time over settled, as a share 0..1; -1 with nothing settled. */
double report_rate(int64_t on_time, int64_t settled);
/* "▁▃▅█" one character per week; '·' for a week with nothing settled. */
int report_sparkline(const struct report *r, char *buf, size_t len);

/* The table (team row last when there are several owners) and the trend. */
void report_write_text(const struct report *r, const char *zone, FILE *out);
json_t *report_json(const struct report *r, const char *zone);
/* The CSV columns, in report_row_cells() order. */
extern const char *const report_csv_header[];
#define REPORT_CSV_COLUMNS 17
/* One row's cells as text into buf (each cell NUL-terminated). */
void report_row_cells(const struct report_row *row,
    char cells[REPORT_CSV_COLUMNS][32]);

#endif
