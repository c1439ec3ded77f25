#include "archive.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"

/* The columns people had in the CSV import come first, in their order, so
 * a file of the old layout reads as the first columns of the new. */
static const struct archive_col account_cols[] = {
	{ "id", ARCHIVE_INT }, { "name", ARCHIVE_TEXT },
	{ "created", ARCHIVE_TEXT }, { "history", ARCHIVE_LIST },
	{ "paused_at", ARCHIVE_TEXT }, { "paused_until", ARCHIVE_TEXT },
	{ "contacts", ARCHIVE_LIST },
	{ NULL, 0 },
};
static const struct archive_col deal_cols[] = {
	{ "title", ARCHIVE_TEXT }, { "account", ARCHIVE_TEXT },
	{ "owner", ARCHIVE_TEXT }, { "value", ARCHIVE_TEXT },
	{ "currency", ARCHIVE_TEXT }, { "closes", ARCHIVE_TEXT },
	{ "closed_at", ARCHIVE_TEXT }, { "stage", ARCHIVE_TEXT },
	{ "id", ARCHIVE_INT }, { "created", ARCHIVE_TEXT },
	{ "updated", ARCHIVE_TEXT }, { "history", ARCHIVE_LIST },
	{ "external_ids", ARCHIVE_LIST },
	{ NULL, 0 },
};
static const struct archive_col promise_cols[] = {
	{ "owner", ARCHIVE_TEXT }, { "account", ARCHIVE_TEXT },
	{ "text", ARCHIVE_TEXT }, { "due", ARCHIVE_TEXT },
	{ "to", ARCHIVE_TEXT }, { "deal", ARCHIVE_INT },
	{ "id", ARCHIVE_INT }, { "made", ARCHIVE_TEXT },
	{ "target", ARCHIVE_TEXT }, { "state", ARCHIVE_TEXT },
	{ "kept_at", ARCHIVE_TEXT }, { "renegotiated", ARCHIVE_INT },
	{ "created", ARCHIVE_TEXT }, { "updated", ARCHIVE_TEXT },
	{ "history", ARCHIVE_LIST },
	{ NULL, 0 },
};
static const struct archive_col followup_cols[] = {
	{ "owner", ARCHIVE_TEXT }, { "account", ARCHIVE_TEXT },
	{ "text", ARCHIVE_TEXT }, { "at", ARCHIVE_TEXT },
	{ "remind_at", ARCHIVE_TEXT }, { "state", ARCHIVE_TEXT },
	{ "id", ARCHIVE_INT }, { "deal", ARCHIVE_INT },
	{ "promise", ARCHIVE_INT }, { "rule", ARCHIVE_TEXT },
	{ "occurrence", ARCHIVE_TEXT }, { "snoozes", ARCHIVE_INT },
	{ "note", ARCHIVE_TEXT }, { "done_at", ARCHIVE_TEXT },
	{ "created", ARCHIVE_TEXT }, { "updated", ARCHIVE_TEXT },
	{ "folded_into", ARCHIVE_INT }, { "history", ARCHIVE_LIST },
	{ "deliveries", ARCHIVE_LIST },
	{ NULL, 0 },
};
/* The secret was shown once and is nowhere: its SHA-256 is what lets the
 * restored database know the token. */
static const struct archive_col token_cols[] = {
	{ "id", ARCHIVE_INT }, { "name", ARCHIVE_TEXT },
	{ "scope", ARCHIVE_TEXT }, { "hash", ARCHIVE_TEXT },
	{ "created", ARCHIVE_TEXT }, { "last_used", ARCHIVE_TEXT },
	{ NULL, 0 },
};

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
