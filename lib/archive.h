/*
 * The shape of a whole export (`nudge export`, read back by `nudge
 * import`): five kinds of record, each an object whose keys are the
 * kind's columns.  JSON holds the objects as they are; CSV has one file
 * per kind, a column per key, a list (a record's history, a follow-up's
 * deliveries) as compact JSON in its cell.  Every column is there, ids
 * too, so that a database restored from an export is the one exported.
 */
#ifndef NUDGE_ARCHIVE_H
#define NUDGE_ARCHIVE_H

#include <jansson.h>
#include <stddef.h>

enum archive_kind {
	ARCHIVE_ACCOUNTS,
	ARCHIVE_DEALS,
	ARCHIVE_PROMISES,
	ARCHIVE_FOLLOWUPS,
	ARCHIVE_TOKENS,         /* the API's tokens: their hashes, no secret */
	ARCHIVE_NKINDS
};
#define ARCHIVE_KIND(k) (1u << (k))
#define ARCHIVE_ALL ((1u << ARCHIVE_NKINDS) - 1)

/* The marker key of an export and the version of its shape. */
#define ARCHIVE_MARK "nudge_export"
#define ARCHIVE_VERSION 1
/* The exported database's identity (32 lower-case hex digits), which an
 * import into an empty database takes: the restored one goes on as it. */
#define ARCHIVE_DATABASE_ID "database_id"
#define ARCHIVE_DATABASE_ID_LEN 32

enum archive_type {
	ARCHIVE_TEXT,           /* a string: text, a name, an ISO 8601 time */
	ARCHIVE_INT,            /* an integer: an id, a count */
	ARCHIVE_LIST,           /* an array of objects */
};

/* The most columns a kind has. */
#define ARCHIVE_MAX_COLS 20

struct archive_col {
	const char *name;
	enum archive_type type;
};

/* "accounts", "deals", "promises", "followups", "tokens": the JSON key
 * and the CSV file's name (without ".csv"). */
const char *archive_kind_name(enum archive_kind k);
/* "account", "deal", ...: the events' subject_type; NULL for a kind
 * without events (tokens), whose records have no history. */
const char *archive_subject(enum archive_kind k);
/* The kind's columns, NULL-terminated. */
const struct archive_col *archive_columns(enum archive_kind k);

/* A column's cell: a string as it is, an integer in decimal, a list as
 * compact JSON; NULL for null or missing.  Caller frees.  -1 when out of
 * memory. */
int archive_cell(const json_t *rec, const struct archive_col *col,
    char **cell);
/* The value of a column read from a cell (NULL or empty: null).  A new
 * reference in *out, or -1 with a message naming the column. */
int archive_value(const struct archive_col *col, const char *cell,
    json_t **out, char **errp);

#endif
