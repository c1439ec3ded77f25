#include "csvread.h"

#include <csv.h>
#include <errno.h>
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
	/* The fields are C strings from here on: a NUL would silently cut
	 * the cell short ("2026-12-01\0junk" read as a good date), so a file
	 * with one is malformed, like one with a stray quote. */
	if (s != NULL && memchr(s, '\0', len) != NULL) {
		err_set(r->errp, "%s:%zu: field %zu contains a NUL byte (is "
		    "this a text file?)", r->name, r->row_line, r->nfields + 1);
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
}

/* Bytes read at a time, and libcsv's field buffer growth step (its default,
 * 128 bytes, means thousands of reallocs for a field near the limit). */
#define CSVREAD_CHUNK (64 * 1024)

int
csvread_stream(FILE *in, const char *name, csvread_row_fn row, void *ctx,
    char **errp)
{
	struct csv_parser p;
	struct csvread r;
	const char *nl;
	char *buf;
	size_t n, off, seg;
	int rc = -1, line_start = 1;

	memset(&r, 0, sizeof(r));
	r.name = name;
	r.row = row;
	r.ctx = ctx;
	r.errp = errp;
	r.row_line = 1;
	if ((buf = malloc(CSVREAD_CHUNK)) == NULL)
		return err_set(errp, "out of memory");
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
		free(buf);
		return err_set(errp, "out of memory");
	}
	csv_set_blk_size(&p, CSVREAD_CHUNK);
	/*
	 * Feed at most one line at a time so errors can name the line, and
	 * in bounded pieces so neither a huge line nor a quote left open
	 * over the rest of a big file is read into memory whole: the field
	 * limit is checked while the field grows, not once it is complete.
	 */
	while (!r.failed && (n = fread(buf, 1, CSVREAD_CHUNK, in)) > 0) {
		/* A spreadsheet's "CSV UTF-8" begins with a byte-order
		 * mark, which is not part of the first column's name. */
		off = r.line == 0 && n >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) ==
		    0 ? 3 : 0;
		for (; off < n && !r.failed; off += seg) {
			nl = memchr(buf + off, '\n', n - off);
			seg = nl != NULL ? (size_t)(nl - (buf + off)) + 1 :
			    n - off;
			/* A line that begins with no row under way starts
			 * the next one and names it: a blank line makes no
			 * row, so the row after it starts further on. */
			if (line_start) {
				r.line++;
				if (r.nfields == 0 && p.entry_pos == 0)
					r.row_line = r.line;
			}
			line_start = nl != NULL;
			if (csv_parse(&p, buf + off, seg, csvread_field,
			    csvread_end, &r) != seg) {
				err_set(errp, "%s:%zu: %s", name, r.line,
				    csv_error(&p) == CSV_EPARSE ? "malformed "
				    "quoting (a stray or unclosed \")" :
				    csv_strerror(csv_error(&p)));
				goto out;
			}
			if (p.entry_pos > CSVREAD_MAX_FIELD) {
				err_set(errp, "%s:%zu: a field of more than %d "
				    "bytes; the limit is %d", name, r.row_line,
				    CSVREAD_MAX_FIELD, CSVREAD_MAX_FIELD);
				goto out;
			}
		}
	}
	if (r.failed)
		goto out;
	if (ferror(in)) {
		err_set(errp, "%s: read error: %s", name, strerror(errno));
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
