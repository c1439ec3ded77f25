/*
 * Inside the configuration loader: the rows of the key tables and what the
 * three files of the loader share.  Not for cli/ or daemon/, which use
 * config.h; tests/unit/test_config.c walks the tables to check every row's
 * range and default.
 *
 *   lib/config.c        the tables (one row per key), each group's loader:
 *                       its rows, then the checks about several keys
 *   lib/config_value.c  what a row means: its type, default, range,
 *                       and the "file:line: ..." messages
 *   lib/config_file.c   config_load(): opening the file, @include, libconfig
 */
#ifndef NUDGE_CONFIG_TABLE_H
#define NUDGE_CONFIG_TABLE_H

#include <libconfig.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"

#define CONFIG_NAME_MAX 64      /* handles, channel and rule names */
#define CONFIG_INT_MAX  1000000 /* capacities and counts: typo guard */

/* Flags of a row. */
#define KEY_TEXT        0x01    /* newlines and tabs allowed (messages) */
#define KEY_NAME        0x02    /* an identifier: letters, digits, . - _ */
#define KEY_LOWER       0x04    /* ... with lower-case letters only */
#define KEY_UNIQUE      0x08    /* a list: no name twice */
#define KEY_LOG         0x10    /* channel keys: the types that take them */
#define KEY_EMAIL       0x20
#define KEY_WEBHOOK     0x40
#define KEY_ANY         (KEY_LOG | KEY_EMAIL | KEY_WEBHOOK)
#define KEY_EMPTY_OK    0x80    /* a list: [] is a value (turns it off) */
#define KEY_ELAPSED     0x100   /* a duration on a clock that ignores
				   working days: days fold into seconds,
				   business days are refused */

/*
 * What a row's value becomes, in the field at `offset` (and `offset2`) of
 * the struct its group fills.  A row without a default leaves the field
 * zero (NULL), except CLOCK and WEEKLY, which mean "none" by -1.
 */
enum config_kind {
	CONFIG_KIND_NONE,       /* a group or list of groups, or a key read
				   by its group's loader itself */
	CONFIG_KIND_STRING,     /* char *; with `values`, one of those */
	CONFIG_KIND_PATH,       /* char *, absolute against the file's dir */
	CONFIG_KIND_ZONE,       /* char *, an IANA time zone */
	CONFIG_KIND_EMAIL,      /* char *, one address for a To: line */
	CONFIG_KIND_TEMPLATE,   /* char *, a message with rule {{variables}} */
	CONFIG_KIND_CHOICE,     /* int: the code of one of `values` */
	CONFIG_KIND_BOOL,       /* int, 0 or 1 */
	CONFIG_KIND_INT,        /* int in [min, max] */
	CONFIG_KIND_PERCENT,    /* int in [min, max], written "25%" */
	CONFIG_KIND_DURATION,   /* struct timeutil_duration; min 0 lets a
				   zero length ("0s") through */
	CONFIG_KIND_CLOCK,      /* int, minute of the day */
	CONFIG_KIND_HOURS,      /* int start at offset, int end at offset2 */
	CONFIG_KIND_DAYS,       /* unsigned, TIMEUTIL_* bits */
	CONFIG_KIND_DATES,      /* int32_t * at offset, size_t count at
				   offset2; dates are added to those there */
	CONFIG_KIND_LIST,       /* char ** at offset (NULL-terminated),
				   size_t count at offset2 */
	CONFIG_KIND_WEEKLY,     /* "fri 16:00": int day (0 = Monday) at
				   offset, int minute at offset2 */
};

/*
 * One key of a group, as tmux's options-table.c keeps its options: the
 * name and libconfig type the file writes it in (CONFIG_TYPE_ARRAY is a
 * list of strings, [ "a" ] or ( "a" ); CONFIG_TYPE_LIST a list of groups),
 * what it becomes and where, its default in the file's own syntax, its
 * range, and one line of help for messages.  tests/integration/
 * test_manpages.sh finds the rows by their opening `{ "name",
 * CONFIG_TYPE_` in lib/config.c.
 */
struct config_key {
	const char *name;
	int type;
	enum config_kind kind;
	size_t offset, offset2;
	unsigned flags;
	const char *def;                /* NULL: none */
	const char *const *def_list;    /* LIST: the default list */
	/* INT, PERCENT: the range; STRING: the longest (0: any length);
	 * DURATION: min 0 allows zero. */
	long long min, max;
	const char *const *values;      /* STRING, CHOICE: what it may be */
	const int *codes;               /* CHOICE: values[i] stores codes[i]
					   (NULL: i) */
	const char *noun;               /* "unknown NOUN 'x' (a, b or c)";
					   NULL: "neither a nor b" */
	const char *help;
};

extern const struct config_key config_keys_top[], config_keys_person[],
    config_keys_channel[], config_keys_rule[], config_keys_promises[],
    config_keys_delivery[], config_keys_cadence[], config_keys_http[];

/* Where a line of the text libconfig reads came from (config_include.c). */
struct config_src {
	const char *file;       /* the main file as given, or an included
				 * file's path */
	int line;
};

/* What one config_load() call carries around. */
struct config_loader {
	const char *file;       /* the path as given, for messages */
	char *dir;              /* absolute directory of the file */
	struct config *cfg;
	char **errp;
	int32_t *shared;        /* the top-level holidays, sorted */
	size_t nshared;
	struct config_src *src; /* line i + 1 of the text read */
	size_t nsrc, src_cap;
	char **paths;           /* the included files' paths */
	size_t npaths;
};

/* lib/config_include.c: the file at path with its @includes followed, as
 * one text (*text, caller frees) and L's map of its lines. */
int config_expand(struct config_loader *L, const char *path, char **text);
/* The file and line of line `line` of the text: 0, or -1 if none. */
int config_src_at(const struct config_loader *L, int line, const char **file,
    int *fline);
/* The line, in its own file, where setting s (or its nearest parent with
 * a line) was written; 0 when unknown. */
int config_setting_line(const struct config_loader *L,
    const config_setting_t *s);
void config_expand_free(struct config_loader *L);

/* lib/config.c */
int config_defaults(struct config_loader *L);
int config_load_root(struct config_loader *L, const config_setting_t *root);
void config_free_list(char **v, size_t n);

/* lib/config_value.c: messages.  Each returns -1. */
int config_fail(struct config_loader *L, const config_setting_t *s,
    const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int config_bad(struct config_loader *L, const config_setting_t *s,
    const char *where, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
int config_bad_err(struct config_loader *L, const config_setting_t *s,
    const char *where, char *err);
int config_oom(struct config_loader *L);

/* lib/config_value.c: the rows. */
const struct config_key *config_key_find(const struct config_key *table,
    const char *name);
int config_check_group(struct config_loader *L, const config_setting_t *g,
    const struct config_key *table, const char *where);
int config_check_applies(struct config_loader *L, const config_setting_t *g,
    unsigned type_flag, const char *type, const char *where);
int config_load_key(struct config_loader *L, const config_setting_t *g,
    const struct config_key *k, const char *where, void *base);
int config_load_rows(struct config_loader *L, const config_setting_t *g,
    const struct config_key *table, unsigned type_flag, const char *where,
    void *base);
int config_default_rows(struct config_loader *L,
    const struct config_key *table, unsigned type_flag, void *base);
/* Frees what the rows stored in base (strings, lists, dates). */
void config_free_rows(const struct config_key *table, void *base);
int config_dates(struct config_loader *L, const config_setting_t *s,
    const char *where, int32_t **v, size_t *n);
void config_sort_days(int32_t *v, size_t *n);
int config_readable(struct config_loader *L, const config_setting_t *s,
    const char *where, const char *path);
int config_readable_as_named(struct config_loader *L,
    const config_setting_t *s, const char *where, const char *path);

#endif
