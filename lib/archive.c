#include "archive.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archive.def"
#include "err.h"

#define ARCHIVE_COL_(type, key, how, field) { key, ARCHIVE_##type },
#define ARCHIVE_COLS(name, def) \
	static const struct archive_col name[] = { def(ARCHIVE_COL_) { NULL, 0 } }

ARCHIVE_COLS(account_cols, ARCHIVE_ACCOUNT_DEF);
ARCHIVE_COLS(deal_cols, ARCHIVE_DEAL_DEF);
ARCHIVE_COLS(promise_cols, ARCHIVE_PROMISE_DEF);
ARCHIVE_COLS(followup_cols, ARCHIVE_FOLLOWUP_DEF);
ARCHIVE_COLS(token_cols, ARCHIVE_TOKEN_DEF);

#define ARCHIVE_NCOLS(a) (sizeof(a) / sizeof((a)[0]) - 1)
_Static_assert(ARCHIVE_NCOLS(account_cols) <= ARCHIVE_MAX_COLS &&
    ARCHIVE_NCOLS(deal_cols) <= ARCHIVE_MAX_COLS &&
    ARCHIVE_NCOLS(promise_cols) <= ARCHIVE_MAX_COLS &&
    ARCHIVE_NCOLS(followup_cols) <= ARCHIVE_MAX_COLS &&
    ARCHIVE_NCOLS(token_cols) <= ARCHIVE_MAX_COLS,
    "a kind has more columns than ARCHIVE_MAX_COLS");

static const struct {
	const char *name, *subject;
	const struct archive_col *cols;
} kinds[ARCHIVE_NKINDS] = {
	[ARCHIVE_ACCOUNTS] = { "accounts", "account", account_cols },
	[ARCHIVE_DEALS] = { "deals", "deal", deal_cols },
	[ARCHIVE_PROMISES] = { "promises", "promise", promise_cols },
	[ARCHIVE_FOLLOWUPS] = { "followups", "followup", followup_cols },
	[ARCHIVE_TOKENS] = { "tokens", NULL, token_cols },
};

const char *
archive_kind_name(enum archive_kind k)
{
	return kinds[k].name;
}

const char *
archive_subject(enum archive_kind k)
{
	return kinds[k].subject;
}

const struct archive_col *
archive_columns(enum archive_kind k)
{
	return kinds[k].cols;
}

int
archive_cell(const json_t *rec, const struct archive_col *col, char **cell)
{
	const json_t *v = json_object_get(rec, col->name);

	*cell = NULL;
	if (json_is_string(v))
		*cell = strdup(json_string_value(v));
	else if (json_is_integer(v)) {
		if (asprintf(cell, "%" PRId64,
		    (int64_t)json_integer_value(v)) < 0)
			*cell = NULL;
	} else if (v != NULL && !json_is_null(v))
		*cell = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
	else
		return 0;
	return *cell != NULL ? 0 : -1;
}

/* A strict decimal integer: digits with an optional leading '-'. */
static int
archive_int(const char *s, json_int_t *v)
{
	const char *p = s + (*s == '-');
	char *end;
	long long n;

	if (*p < '0' || *p > '9')
		return -1;
	errno = 0;
	n = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return -1;
	*v = (json_int_t)n;
	return 0;
}

int
archive_value(const struct archive_col *col, const char *cell, json_t **out,
    char **errp)
{
	json_error_t jerr;
	json_int_t n;

	*out = NULL;
	if (cell == NULL || cell[0] == '\0')
		*out = json_null();
	else if (col->type == ARCHIVE_TEXT)
		*out = json_string(cell);
	else if (col->type == ARCHIVE_INT) {
		if (archive_int(cell, &n) != 0)
			return err_set(errp, "%s: '%s' is not a whole number",
			    col->name, cell);
		*out = json_integer(n);
	} else if ((*out = json_loads(cell, JSON_REJECT_DUPLICATES,
	    &jerr)) == NULL || !json_is_array(*out)) {
		json_decref(*out);
		*out = NULL;
		return err_set(errp, "%s: not a JSON list (%s)", col->name,
		    jerr.text[0] != '\0' ? jerr.text : "another value");
	}
	if (*out == NULL)
		return err_set(errp, "%s: not valid UTF-8 (or out of memory)",
		    col->name);
	return 0;
}
