#include "import.h"

#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "csvread.h"
#include "deal.h"
#include "err.h"
#include "followup.h"
#include "person.h"
#include "promise.h"
#include "store.h"
#include "text.h"
#include "timeutil.h"
#include "account.h"

/* The columns of each kind; the first `required` must all be present. */
struct import_layout {
	const char *const *columns;
	size_t required;
};

static const char *const promise_cols[] = { "owner", "account", "text",
	"due", "to", "deal", NULL };
static const char *const deal_cols[] = { "title", "account", "owner",
	"value", "currency", "closes", "won_at", NULL };
static const char *const followup_cols[] = { "owner", "account", "text",
	"at", NULL };

static const struct import_layout layouts[] = {
	[IMPORT_DEALS] = { deal_cols, 3 },
	[IMPORT_PROMISES] = { promise_cols, 4 },
	[IMPORT_FOLLOWUPS] = { followup_cols, 4 },
};

struct import {
	struct store *st;
	const struct config *cfg;
	enum import_kind kind;
	const char *name;
	time_t now;
	int map[CSVREAD_MAX_FIELDS];    /* file column -> layout column */
	size_t nfilecols;
	int header_done;
	size_t count;
	size_t nbad;
	FILE *report;                   /* the problems, one per line */
	int fatal;                      /* a database error: stop */
	char **errp;
};

/* Field for layout column `col`, or NULL when the file has no such
 * column or the cell is empty. */
static const char *
import_field(const struct import *im, char **fields, size_t n, int col)
{
	size_t i;

	for (i = 0; i < n && i < im->nfilecols; i++)
		if (im->map[i] == col)
			return fields[i][0] != '\0' ? fields[i] : NULL;
	return NULL;
}

/* The most columns a layout has. */
#define IMPORT_MAX_COLS 8
#define IMPORT_NCOLS(a) (sizeof(a) / sizeof((a)[0]) - 1)
_Static_assert(IMPORT_NCOLS(promise_cols) <= IMPORT_MAX_COLS &&
    IMPORT_NCOLS(deal_cols) <= IMPORT_MAX_COLS &&
    IMPORT_NCOLS(followup_cols) <= IMPORT_MAX_COLS,
    "a layout has more columns than IMPORT_MAX_COLS");

/* c[k]: import_field() of each layout column k. */
static void
import_cells(const struct import *im, char **fields, size_t n,
    const char **c)
{
	const struct import_layout *lay = &layouts[im->kind];
	int k;

	for (k = 0; lay->columns[k] != NULL; k++)
		c[k] = import_field(im, fields, n, k);
}

/* A row's end: rc, what storing it returned, is fatal or counts it. */
static int
import_stored(struct import *im, int rc)
{
	if (rc != 0) {
		im->fatal = 1;
		return -1;
	}
	im->count++;
	return 0;
}

static int
import_bad(struct import *im, size_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
import_bad(struct import *im, size_t line, const char *fmt, ...)
{
	va_list ap;

	if (++im->nbad <= IMPORT_MAX_REPORTED) {
		fprintf(im->report, "%s:%zu: ", im->name, line);
		va_start(ap, fmt);
		vfprintf(im->report, fmt, ap);
		va_end(ap);
		fputc('\n', im->report);
	}
	return 0;
}

static int
import_header(struct import *im, size_t line, char **fields, size_t n)
{
	const struct import_layout *lay = &layouts[im->kind];
	int seen[16] = { 0 };
	size_t i, k;

	for (i = 0; i < n; i++) {
		for (k = 0; lay->columns[k] != NULL; k++)
			if (strcmp(fields[i], lay->columns[k]) == 0)
				break;
		if (lay->columns[k] == NULL) {
			im->fatal = 1;
			return err_set(im->errp, "%s:%zu: unknown column '%s' "
			    "in the header", im->name, line, fields[i]);
		}
		if (seen[k]++) {
			im->fatal = 1;
			return err_set(im->errp, "%s:%zu: column '%s' appears "
			    "twice", im->name, line, fields[i]);
		}
		im->map[i] = (int)k;
	}
	for (k = 0; k < lay->required; k++)
		if (!seen[k]) {
			im->fatal = 1;
			return err_set(im->errp, "%s:%zu: the header lacks "
			    "column '%s' (needs %s,%s,%s%s%s)", im->name, line,
			    lay->columns[k], lay->columns[0], lay->columns[1],
			    lay->columns[2], lay->required > 3 ? "," : "",
			    lay->required > 3 ? lay->columns[3] : "");
		}
	im->nfilecols = n;
	im->header_done = 1;
	return 0;
}

/* Common checks: owner known, text fields valid.  Returns the person or
 * NULL after reporting. */
static const struct config_person *
import_owner(struct import *im, size_t line, const char *owner)
{
	const struct config_person *p;

	if (owner == NULL) {
		import_bad(im, line, "owner is empty");
		return NULL;
	}
	if ((p = config_person(im->cfg, owner)) == NULL)
		import_bad(im, line, "unknown owner '%s'", owner);
	return p;
}

static int
import_text(struct import *im, size_t line, const char *s, size_t max,
    const char *what)
{
	char *err = NULL;

	if (s == NULL)
		return import_bad(im, line, "%s is empty", what), -1;
	if (text_check(s, max, what, &err) != 0) {
		import_bad(im, line, "%s", err);
		free(err);
		return -1;
	}
	return 0;
}

static int
import_when(struct import *im, size_t line, const struct config_person *p,
    const char *s, int default_min, const char *what, time_t *out)
{
	struct timeutil_hours h;
	char *err = NULL;

	if (s == NULL)
		return import_bad(im, line, "%s is empty", what), -1;
	person_hours(p, &h);
	if (timeutil_parse_when(s, im->now, p->timezone, default_min, &h, out,
	    &err) != 0) {
		import_bad(im, line, "%s: %s", what, err);
		free(err);
		return -1;
	}
	return 0;
}

/* import_when() of a cell that may be empty: then *out is left alone. */
static int
import_when_opt(struct import *im, size_t line,
    const struct config_person *p, const char *s, int default_min,
    const char *what, int64_t *out)
{
	time_t t;

	if (s == NULL)
		return 0;
	if (import_when(im, line, p, s, default_min, what, &t) != 0)
		return -1;
	*out = t;
	return 0;
}

static int
import_promise(struct import *im, size_t line, const char *const *c)
{
	const char *owner = c[0], *account = c[1], *text = c[2], *due = c[3],
	    *to = c[4], *deal = c[5];
	const struct config_person *p;
	struct timeutil_hours h;
	struct promise_slack slack;
	struct promise pr;
	struct deal d;
	char *end, *err = NULL;
	time_t due_at;
	long long deal_id = 0;
	int ok = 1, rc;

	if ((p = import_owner(im, line, owner)) == NULL)
		ok = 0;
	if (import_text(im, line, account, NAME_MAX_BYTES, "account") != 0 ||
	    import_text(im, line, text, TEXT_MAX_BYTES, "text") != 0 ||
	    (to != NULL && import_text(im, line, to, NAME_MAX_BYTES, "to") !=
	    0))
		ok = 0;
	if (deal != NULL) {
		deal_id = strtoll(deal, &end, 10);
		if (*end != '\0' || deal_id <= 0) {
			import_bad(im, line, "bad deal id '%s'", deal);
			ok = 0;
		} else if (deal_get(im->st, deal_id, &d, &err) != 0) {
			import_bad(im, line, "%s", err);
			free(err);
			ok = 0;
		} else
			deal_clear(&d);
	}
	if (p == NULL || import_when(im, line, p, due, person_day_end(p),
	    "due", &due_at) != 0 || !ok || im->nbad > 0)
		return 0;
	memset(&pr, 0, sizeof(pr));
	person_hours(p, &h);
	slack.percent = im->cfg->promises.slack_percent;
	slack.min = im->cfg->promises.min_slack;
	slack.max = im->cfg->promises.max_slack;
	pr.text = (char *)text;
	pr.owner = (char *)owner;
	pr.account = (char *)account;
	pr.promised_to = (char *)to;
	pr.deal_id = deal_id;
	pr.made_at = im->now < due_at ? im->now : due_at;
	pr.due_at = due_at;
	pr.target_at = promise_target(&h, &slack, pr.made_at, due_at);
	rc = promise_insert(im->st, &pr, im->now, im->errp);
	free(pr.state);
	return import_stored(im, rc);
}

static int
import_deal(struct import *im, size_t line, const char *const *c)
{
	const char *title = c[0], *account = c[1], *owner = c[2],
	    *value = c[3], *currency = c[4], *closes = c[5], *won = c[6];
	const struct config_person *p;
	struct deal d;
	char *err = NULL;
	int ok = 1;

	memset(&d, 0, sizeof(d));
	if ((p = import_owner(im, line, owner)) == NULL)
		ok = 0;
	if (import_text(im, line, title, TEXT_MAX_BYTES, "title") != 0 ||
	    import_text(im, line, account, NAME_MAX_BYTES, "account") != 0 ||
	    (currency != NULL && import_text(im, line, currency,
	    NAME_MAX_BYTES, "currency") != 0))
		ok = 0;
	if (value != NULL && deal_parse_value(value, &d.value_minor,
	    &err) != 0) {
		import_bad(im, line, "%s", err);
		free(err);
		ok = 0;
	}
	d.has_value = value != NULL;
	if (p != NULL && (import_when_opt(im, line, p, closes,
	    person_day_end(p), "closes", &d.closes_at) != 0))
		ok = 0;
	if (p != NULL && (import_when_opt(im, line, p, won,
	    person_day_start(p), "won_at", &d.closed_at) != 0))
		ok = 0;
	if (!ok || im->nbad > 0)
		return 0;
	d.title = (char *)title;
	d.account = (char *)account;
	d.owner = (char *)owner;
	d.currency = (char *)currency;
	d.stage = d.closed_at != 0 ? "won" : "open";
	return import_stored(im, deal_insert(im->st, &d, im->now, im->errp));
}

static int
import_followup(struct import *im, size_t line, const char *const *c)
{
	const char *owner = c[0], *account = c[1], *text = c[2], *at = c[3];
	const struct config_person *p;
	struct timeutil_hours h;
	struct followup_new fu;
	int64_t id;
	time_t due;
	int ok = 1, created, rc;

	if ((p = import_owner(im, line, owner)) == NULL)
		ok = 0;
	if (import_text(im, line, account, NAME_MAX_BYTES, "account") != 0 ||
	    import_text(im, line, text, TEXT_MAX_BYTES, "text") != 0)
		ok = 0;
	if (p == NULL || import_when(im, line, p, at, person_day_start(p),
	    "at", &due) != 0 || !ok || im->nbad > 0)
		return 0;
	memset(&fu, 0, sizeof(fu));
	person_hours(p, &h);
	fu.owner = owner;
	fu.text = text;
	fu.due_at = due;
	fu.remind_at = person_remind_at(p, due, im->now);
	rc = account_ensure(im->st, account, im->now, &fu.account_id,
	    &created, im->errp);
	if (rc == 0)
		rc = followup_create(im->st, &fu, im->now, &id, im->errp);
	return import_stored(im, rc);
}

static int
import_row(void *ctx, size_t line, char **fields, size_t n)
{
	struct import *im = ctx;
	const char *c[IMPORT_MAX_COLS];

	if (im->fatal)
		return -1;
	/* A blank line is one empty field: skip it. */
	if (n == 0 || (n == 1 && fields[0][0] == '\0'))
		return 0;
	if (!im->header_done)
		return import_header(im, line, fields, n);
	if (n != im->nfilecols)
		return import_bad(im, line, "%zu fields, the header has %zu",
		    n, im->nfilecols);
	import_cells(im, fields, n, c);
	switch (im->kind) {
	case IMPORT_PROMISES: return import_promise(im, line, c);
	case IMPORT_DEALS: return import_deal(im, line, c);
	case IMPORT_FOLLOWUPS: return import_followup(im, line, c);
	}
	return -1;
}

int
import_csv(struct store *st, const struct config *cfg, enum import_kind kind,
    FILE *in, const char *name, time_t now, size_t *count, char **errp)
{
	struct import im;
	char *report = NULL;
	size_t size = 0;
	int rc;

	*count = 0;
	memset(&im, 0, sizeof(im));
	im.st = st;
	im.cfg = cfg;
	im.kind = kind;
	im.name = name;
	im.now = now;
	im.errp = errp;
	if ((im.report = open_memstream(&report, &size)) == NULL)
		return err_set(errp, "out of memory");
	if (store_begin(st, errp) != 0) {
		fclose(im.report);
		free(report);
		return -1;
	}
	rc = csvread_stream(in, name, import_row, &im, errp);
	if (rc == 0 && !im.header_done)
		rc = err_set(errp, "%s: empty file (expected a header row)",
		    name);
	if (im.nbad > IMPORT_MAX_REPORTED)
		fprintf(im.report, "... and %zu more bad rows\n",
		    im.nbad - IMPORT_MAX_REPORTED);
	fclose(im.report);
	if (report == NULL)
		return store_rollback(st), err_set(errp, "out of memory");
	if (rc != 0 && !im.fatal && im.nbad > 0 && errp != NULL) {
		/* A malformed file after bad rows: report both. */
		char *both = NULL;
		if (asprintf(&both, "%s%s", report, *errp) >= 0) {
			free(*errp);
			*errp = both;
		}
	}
	if (rc == 0 && im.nbad > 0) {
		/* The report has a trailing newline: drop it. */
		if (size > 0 && report[size - 1] == '\n')
			report[size - 1] = '\0';
		err_set(errp, "%s\nnothing imported: %zu bad row%s",
		    report, im.nbad, im.nbad == 1 ? "" : "s");
		rc = -1;
	}
	free(report);
	if (rc != 0) {
		store_rollback(st);
		return -1;
	}
	if (store_commit(st, errp) != 0)
		return -1;
	*count = im.count;
	return 0;
}
