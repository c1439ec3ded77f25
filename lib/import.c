#include "import.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cadence.h"
#include "config.h"
#include "contact.h"
#include "csvread.h"
#include "currency.h"
#include "deal.h"
#include "err.h"
#include "followup.h"
#include "person.h"
#include "promise.h"
#include "store.h"
#include "text.h"
#include "timeutil.h"
#include "usecase.h"
#include "account.h"
#include "restore.h"

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
	int force;                      /* a promise already due is taken */
	/* A file of an export (its header has "id"): its rows restored as
	 * they were, the first problem stops it. */
	int restore, started;
	enum archive_kind akind;
	struct restore *rs;
	/* Accounts touched by won deals, planned once at the end: a plan
	 * per row would make and withdraw a reminder for every older deal. */
	int64_t *touched;
	size_t ntouched, touched_cap;
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
	char *err = NULL;
	time_t due_at;
	int64_t deal_id = 0;
	int ok = 1, rc;

	if ((p = import_owner(im, line, owner)) == NULL)
		ok = 0;
	if (import_text(im, line, account, NAME_MAX_BYTES, "account") != 0 ||
	    import_text(im, line, text, TEXT_MAX_BYTES, "text") != 0 ||
	    (to != NULL && import_text(im, line, to, NAME_MAX_BYTES, "to") !=
	    0))
		ok = 0;
	if (deal != NULL) {
		if (text_parse_id(deal, &deal_id) != 0) {
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
	    "due", &due_at) != 0)
		return 0;
	/* The rule of `promise add`: a due moment already past is taken
	 * only when asked for. */
	if (due_at <= im->now && !im->force)
		return import_bad(im, line, "due %s is in the past (use --force "
		    "to import promises already due)", due);
	if (!ok || im->nbad > 0)
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

/* A deal imported as won is a touch of its account, as `deal won` makes
 * one: the account's last touch is then its history's, not "never".
 * Its stay-in-touch reminder is planned at the end (import_plan()). */
static int
import_deal_touch(struct import *im, const struct deal *d)
{
	struct contact_new c;
	int64_t id, *v;
	size_t cap;

	if (d->closed_at == 0)
		return 0;
	contact_of_record(&c, d->account_id, d->closed_at, d->owner, "deal",
	    d->id);
	if (contact_insert(im->st, &c, im->now, &id, im->errp) != 0)
		return -1;
	if (im->ntouched == im->touched_cap) {
		cap = im->touched_cap != 0 ? 2 * im->touched_cap : 64;
		if ((v = reallocarray(im->touched, cap, sizeof(*v))) == NULL)
			return err_set(im->errp, "out of memory");
		im->touched = v;
		im->touched_cap = cap;
	}
	im->touched[im->ntouched++] = d->account_id;
	return 0;
}

static int
import_cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* Each account a won deal touched, planned once, from its last touch. */
static int
import_plan(struct import *im)
{
	size_t i;

	if (im->ntouched == 0)
		return 0;       /* qsort() takes no NULL, even for none */
	qsort(im->touched, im->ntouched, sizeof(*im->touched), import_cmp_id);
	for (i = 0; i < im->ntouched; i++)
		if ((i == 0 || im->touched[i] != im->touched[i - 1]) &&
		    cadence_plan(im->st, im->cfg, im->touched[i], im->now,
		    im->errp) != 0)
			return -1;
	return 0;
}

static int
import_deal(struct import *im, size_t line, const char *const *c)
{
	const char *title = c[0], *account = c[1], *owner = c[2],
	    *value = c[3], *currency = c[4], *closes = c[5], *won = c[6];
	const struct config_person *p;
	struct deal d;
	char code[CURRENCY_LEN + 1], *err = NULL;
	int ok = 1;

	memset(&d, 0, sizeof(d));
	if ((p = import_owner(im, line, owner)) == NULL)
		ok = 0;
	if (import_text(im, line, title, TEXT_MAX_BYTES, "title") != 0 ||
	    import_text(im, line, account, NAME_MAX_BYTES, "account") != 0 ||
	    (currency != NULL && import_text(im, line, currency,
	    NAME_MAX_BYTES, "currency") != 0))
		ok = 0;
	else if (currency != NULL && currency_parse(currency, "currency",
	    code, &err) != 0) {
		import_bad(im, line, "%s", err);
		free(err);
		err = NULL;
		ok = 0;
	}
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
	else if (d.closed_at > im->now + UC_OUTCOME_SKEW) {
		import_bad(im, line, "won_at '%s' is in the future; a deal is "
		    "won once it has happened", won);
		ok = 0;
	}
	if (!ok || im->nbad > 0)
		return 0;
	d.title = (char *)title;
	d.account = (char *)account;
	d.owner = (char *)owner;
	d.currency = currency != NULL ? code : NULL;
	d.stage = d.closed_at != 0 ? "won" : "open";
	return import_stored(im, deal_insert(im->st, &d, im->now, im->errp) ||
	    import_deal_touch(im, &d));
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

/* The column of a restored kind called name, or -1. */
static int
import_restore_col(const struct archive_col *cols, const char *name)
{
	int k;

	for (k = 0; cols[k].name != NULL; k++)
		if (strcmp(cols[k].name, name) == 0)
			return k;
	return -1;
}

/* The header of an export's file: every column of its kind, in any
 * order.  The first such header of an import checks the database takes
 * a restore. */
static int
import_restore_header(struct import *im, size_t line, char **fields,
    size_t n)
{
	const struct archive_col *cols = archive_columns(im->akind);
	int seen[ARCHIVE_MAX_COLS] = { 0 };
	size_t i;
	int k;

	im->fatal = 1;
	for (i = 0; i < n; i++) {
		if ((k = import_restore_col(cols, fields[i])) < 0)
			return err_set(im->errp, "%s:%zu: unknown column '%s' "
			    "in the header of an export's %s", im->name, line,
			    fields[i], archive_kind_name(im->akind));
		if (seen[k]++)
			return err_set(im->errp, "%s:%zu: column '%s' appears "
			    "twice", im->name, line, fields[i]);
		im->map[i] = k;
	}
	for (k = 0; cols[k].name != NULL; k++)
		if (!seen[k])
			return err_set(im->errp, "%s:%zu: the header lacks "
			    "column '%s' (an export's %s.csv has every column)",
			    im->name, line, cols[k].name,
			    archive_kind_name(im->akind));
	if (!im->started && restore_start(im->rs, ARCHIVE_KIND(im->akind), 0,
	    im->name) != 0)
		return -1;
	im->started = 1;
	im->nfilecols = n;
	im->header_done = 1;
	im->restore = 1;
	im->fatal = 0;
	return 0;
}

/* A row of an export's file: the record, restored as it was. */
static int
import_restore_row(struct import *im, size_t line, char **fields, size_t n)
{
	const struct archive_col *cols = archive_columns(im->akind);
	char *err = NULL;
	json_t *rec, *v;
	size_t i;
	int rc = 0;

	im->fatal = 1;
	if (n != im->nfilecols)
		return err_set(im->errp, "%s:%zu: %zu fields, the header has "
		    "%zu", im->name, line, n, im->nfilecols);
	if ((rec = json_object()) == NULL)
		return err_set(im->errp, "out of memory");
	for (i = 0; i < n && rc == 0; i++) {
		if (archive_value(&cols[im->map[i]], fields[i], &v,
		    &err) != 0) {
			rc = err_set(im->errp, "%s:%zu: %s", im->name, line,
			    err);
			free(err);
		} else if (json_object_set_new(rec, cols[im->map[i]].name,
		    v) != 0)
			rc = err_set(im->errp, "out of memory");
	}
	snprintf(im->rs->where, sizeof(im->rs->where), "%s:%zu", im->name,
	    line);
	if (rc == 0)
		rc = restore_record(im->rs, im->akind, rec);
	json_decref(rec);
	if (rc != 0)
		return -1;
	im->count++;
	im->fatal = 0;
	return 0;
}

static int
import_has_id(char **fields, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(fields[i], "id") == 0)
			return 1;
	return 0;
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
	if (im->restore)
		return import_restore_row(im, line, fields, n);
	if (!im->header_done && (im->started || im->kind == IMPORT_ACCOUNTS ||
	    im->kind == IMPORT_TOKENS || import_has_id(fields, n)))
		return import_has_id(fields, n) ?
		    import_restore_header(im, line, fields, n) :
		    (im->fatal = 1, err_set(im->errp, "%s:%zu: not a file of "
		    "an export (its header has no id column)", im->name,
		    line));
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
	case IMPORT_ACCOUNTS: case IMPORT_TOKENS: break;
	}
	return -1;
}

static const enum archive_kind import_archive_kind[] = {
	[IMPORT_ACCOUNTS] = ARCHIVE_ACCOUNTS,
	[IMPORT_DEALS] = ARCHIVE_DEALS,
	[IMPORT_PROMISES] = ARCHIVE_PROMISES,
	[IMPORT_FOLLOWUPS] = ARCHIVE_FOLLOWUPS,
	[IMPORT_TOKENS] = ARCHIVE_TOKENS,
};

/* Every row of in through im, inside the caller's transaction: 0, or -1
 * with every problem found in *im->errp. */
static int
import_file(struct import *im, FILE *in)
{
	char *report = NULL;
	size_t size = 0;
	int rc;

	if ((im->report = open_memstream(&report, &size)) == NULL)
		return err_set(im->errp, "out of memory");
	rc = csvread_stream(in, im->name, import_row, im, im->errp);
	if (rc == 0 && im->nbad == 0)
		rc = import_plan(im);
	free(im->touched);
	im->touched = NULL;
	if (rc == 0 && !im->header_done)
		rc = err_set(im->errp, "%s: empty file (expected a header "
		    "row)", im->name);
	if (im->nbad > IMPORT_MAX_REPORTED)
		fprintf(im->report, "... and %zu more bad rows\n",
		    im->nbad - IMPORT_MAX_REPORTED);
	fclose(im->report);
	if (report == NULL)
		return err_set(im->errp, "out of memory");
	if (rc != 0 && !im->fatal && im->nbad > 0 && im->errp != NULL) {
		/* A malformed file after bad rows: report both. */
		char *both = NULL;
		if (asprintf(&both, "%s%s", report, *im->errp) >= 0) {
			free(*im->errp);
			*im->errp = both;
		}
	}
	if (rc == 0 && im->nbad > 0) {
		/* The report has a trailing newline: drop it. */
		if (size > 0 && report[size - 1] == '\n')
			report[size - 1] = '\0';
		err_set(im->errp, "%s\nnothing imported: %zu bad row%s",
		    report, im->nbad, im->nbad == 1 ? "" : "s");
		rc = -1;
	}
	free(report);
	return rc;
}

static void
import_init(struct import *im, struct restore *rs, enum import_kind kind,
    const char *name)
{
	memset(im, 0, sizeof(*im));
	im->st = rs->st;
	im->cfg = rs->cfg;
	im->kind = kind;
	im->akind = import_archive_kind[kind];
	im->name = name;
	im->now = rs->now;
	im->errp = rs->errp;
	im->rs = rs;
}

static void
import_restore_init(struct restore *rs, struct store *st,
    const struct config *cfg, time_t now, struct import_counts *counts,
    char **errp)
{
	memset(rs, 0, sizeof(*rs));
	memset(counts, 0, sizeof(*counts));
	rs->st = st;
	rs->cfg = cfg;
	rs->now = now;
	rs->counts = counts;
	rs->errp = errp;
}

/* Commit when rc is 0 (after the cursor of a restore), else roll back. */
static int
import_end(struct restore *rs, int rc, int restored)
{
	if (rc == 0 && restored)
		rc = restore_end(rs);
	if (rc != 0) {
		store_rollback(rs->st);
		return -1;
	}
	return store_commit(rs->st, rs->errp);
}

int
import_csv(struct store *st, const struct config *cfg, enum import_kind kind,
    FILE *in, const char *name, time_t now, int force, size_t *count,
    char **errp)
{
	struct import_counts counts;
	struct restore rs;
	struct import im;
	int rc;

	*count = 0;
	import_restore_init(&rs, st, cfg, now, &counts, errp);
	import_init(&im, &rs, kind, name);
	im.force = force;
	if (store_begin(st, errp) != 0)
		return -1;
	rc = import_file(&im, in);
	if (import_end(&rs, rc, im.restore) != 0)
		return -1;
	*count = im.count;
	return 0;
}

/* DIR/<kind>.csv of each kind, in the order their references need. */
static int
import_dir_files(struct restore *rs, const char *dir, int *found)
{
	static const enum import_kind order[] = { IMPORT_ACCOUNTS,
		IMPORT_DEALS, IMPORT_PROMISES, IMPORT_FOLLOWUPS, IMPORT_TOKENS };
	struct import im;
	char *path;
	FILE *in;
	size_t i;
	int rc = 0;

	for (i = 0; i < sizeof(order) / sizeof(order[0]) && rc == 0; i++) {
		if (asprintf(&path, "%s/%s.csv", dir,
		    archive_kind_name(import_archive_kind[order[i]])) < 0)
			return err_set(rs->errp, "out of memory");
		if ((in = fopen(path, "r")) == NULL) {
			if (errno != ENOENT)
				rc = err_set(rs->errp, "%s: %s", path,
				    strerror(errno));
			free(path);
			continue;
		}
		(*found)++;
		import_init(&im, rs, order[i], path);
		im.started = 1;
		rc = import_file(&im, in);
		fclose(in);
		free(path);
	}
	return rc;
}

int
import_export_dir(struct store *st, const struct config *cfg,
    const char *dir, time_t now, struct import_counts *counts, char **errp)
{
	struct restore rs;
	int found = 0, rc;

	import_restore_init(&rs, st, cfg, now, counts, errp);
	if (store_begin(st, errp) != 0)
		return -1;
	rc = restore_start(&rs, ARCHIVE_ALL, 1, dir);
	if (rc == 0)
		rc = import_dir_files(&rs, dir, &found);
	if (rc == 0 && found == 0)
		rc = err_set(errp, "%s holds none of accounts.csv, deals.csv, "
		    "promises.csv, followups.csv, tokens.csv (what export "
		    "--format csv --output-dir writes)", dir);
	return import_end(&rs, rc, 1);
}

/* The records of an export's JSON object, each kind in its turn. */
static int
import_json_records(struct restore *rs, const json_t *root,
    const char *name)
{
	const json_t *arr, *rec;
	const char *key;
	size_t i;
	int k;

	json_object_foreach((json_t *)root, key, arr) {
		for (k = 0; k < ARCHIVE_NKINDS; k++)
			if (strcmp(key, archive_kind_name(k)) == 0)
				break;
		if (k == ARCHIVE_NKINDS && strcmp(key,
		    ARCHIVE_DATABASE_ID) == 0) {
			if (restore_database_id(rs, arr, name) != 0)
				return -1;
			continue;
		}
		if (k == ARCHIVE_NKINDS && strcmp(key, ARCHIVE_MARK) != 0)
			return err_set(rs->errp, "%s: unknown key '%s' (an "
			    "export has %s, %s, accounts, deals, promises, "
			    "followups, tokens)", name, key, ARCHIVE_MARK,
			    ARCHIVE_DATABASE_ID);
		if (k != ARCHIVE_NKINDS && !json_is_array(arr))
			return err_set(rs->errp, "%s: %s must be a list",
			    name, key);
	}
	for (k = 0; k < ARCHIVE_NKINDS; k++) {
		arr = json_object_get(root, archive_kind_name(k));
		json_array_foreach(arr, i, rec) {
			snprintf(rs->where, sizeof(rs->where), "%s: %s[%zu]",
			    name, archive_kind_name(k), i);
			if (restore_record(rs, k, rec) != 0)
				return -1;
		}
	}
	return 0;
}

int
import_export_json(struct store *st, const struct config *cfg, FILE *in,
    const char *name, time_t now, struct import_counts *counts, char **errp)
{
	struct restore rs;
	json_error_t jerr;
	json_t *root, *mark;
	int rc;

	import_restore_init(&rs, st, cfg, now, counts, errp);
	if ((root = json_loadf(in, JSON_REJECT_DUPLICATES, &jerr)) == NULL)
		return err_set(errp, "%s:%d:%d: %s", name, jerr.line,
		    jerr.column, jerr.text);
	mark = json_object_get(root, ARCHIVE_MARK);
	if (!json_is_integer(mark) ||
	    json_integer_value(mark) != ARCHIVE_VERSION) {
		json_decref(root);
		return err_set(errp, "%s: not a nudge export (its top level "
		    "has no \"%s\": %d)", name, ARCHIVE_MARK,
		    ARCHIVE_VERSION);
	}
	rc = store_begin(st, errp);
	if (rc == 0) {
		rc = restore_start(&rs, ARCHIVE_ALL, 1, name);
		if (rc == 0)
			rc = import_json_records(&rs, root, name);
		rc = import_end(&rs, rc, 1);
	}
	json_decref(root);
	return rc;
}
