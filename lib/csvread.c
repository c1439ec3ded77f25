#include "csvread.h"

#include <csv.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"

struct csvread {
	const char *name;
	csvread_row_fn row;
	void *ctx;
	char *fields[CSVREAD_MAX_FIELDS];
	size_t nfields;
	size_t line;            /* line being fed */
	size_t row_line;        /* line the current row started on */
	int failed;             /* callback said stop, or a limit hit */
	char **errp;
};

static void
csvread_clear(struct csvread *r)
{
	size_t i;

	for (i = 0; i < r->nfields; i++)
		free(r->fields[i]);
	r->nfields = 0;
}

static void
csvread_field(void *s, size_t len, void *data)
{
	struct csvread *r = data;

	if (r->failed)
		return;
	if (len > CSVREAD_MAX_FIELD) {
		err_set(r->errp, "%s:%zu: a field of %zu bytes; the limit is "
		    "%d", r->name, r->row_line, len, CSVREAD_MAX_FIELD);
		r->failed = 1;
		return;
	}
	if (r->nfields == CSVREAD_MAX_FIELDS) {
		err_set(r->errp, "%s:%zu: more than %d fields", r->name,
		    r->row_line, CSVREAD_MAX_FIELDS);
		r->failed = 1;
		return;
	}
	if ((r->fields[r->nfields] = strndup(s != NULL ? s : "", len)) ==
	    NULL) {
		err_set(r->errp, "out of memory");
		r->failed = 1;
		return;
	}
	r->nfields++;
}

static void
csvread_end(int c, void *data)
{
	struct csvread *r = data;

	(void)c;
	if (!r->failed && r->row(r->ctx, r->row_line, r->fields,
	    r->nfields) != 0)
		r->failed = 1;
	csvread_clear(r);
	/* The next row starts on the next line fed. */
	r->row_line = r->line + 1;
}

int
csvread_stream(FILE *in, const char *name, csvread_row_fn row, void *ctx,
    char **errp)
{
	struct csv_parser p;
	struct csvread r;
	char *buf = NULL;
	size_t cap = 0;
	ssize_t n;
	int rc = -1;

	memset(&r, 0, sizeof(r));
	r.name = name;
	r.row = row;
	r.ctx = ctx;
	r.errp = errp;
	r.row_line = 1;
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		return err_set(errp, "out of memory");
	/* Feed line by line so errors can name the line. */
	while (!r.failed && (n = getline(&buf, &cap, in)) > 0) {
		r.line++;
		if (csv_parse(&p, buf, (size_t)n, csvread_field, csvread_end,
		    &r) != (size_t)n) {
			err_set(errp, "%s:%zu: %s", name, r.line,
			    csv_error(&p) == CSV_EPARSE ?
			    "malformed quoting (a stray or unclosed \")" :
			    csv_strerror(csv_error(&p)));
			goto out;
		}
	}
	if (r.failed)
		goto out;
	if (ferror(in)) {
		err_set(errp, "%s: read error", name);
		goto out;
	}
	if (csv_fini(&p, csvread_field, csvread_end, &r) != 0) {
		err_set(errp, "%s:%zu: a quoted field is never closed", name,
		    r.row_line);
		goto out;
	}
	rc = r.failed ? -1 : 0;
out:
	csvread_clear(&r);
	csv_free(&p);
	free(buf);
	return rc;
}
