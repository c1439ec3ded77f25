#include "store_value.h"

#include <stdlib.h>

int
store_value_int(struct store *st, const char *sql,
    const struct store_arg *args, size_t n, int64_t *v, const char *what,
    char **errp)
{
	int found;

	if (store_int(st, store_stmt_args(st, sql, args, n, errp), v, &found,
	    what, errp) != 0)
		return -1;
	return found;
}

/* A row of one text column. */
static int
store_text_fill(sqlite3_stmt *q, void *row)
{
	int oom = 0;

	*(char **)row = store_column_dup(q, 0, &oom);
	return oom ? -1 : 0;
}

static void
store_text_clear(void *row)
{
	free(*(char **)row);
}

int
store_value_text(struct store *st, const char *sql,
    const struct store_arg *args, size_t n, char **v, const char *noun,
    char **errp)
{
	const struct store_row_type text_row = {
		sizeof(char *), store_text_fill, store_text_clear, noun, NULL,
	};

	return store_row(st, store_stmt_args(st, sql, args, n, errp),
	    &text_row, v, errp);
}

int
store_insert(struct store *st, const char *sql,
    const struct store_arg *args, size_t n, int64_t *id, char **errp)
{
	*id = 0;
	if (store_exec(st, sql, args, n, errp) != 0)
		return -1;
	*id = sqlite3_last_insert_rowid(store_db(st));
	return 0;
}
