/*
 * What a row of the key tables means (lib/config_table.h): that every
 * setting in a group is one of its rows and of the row's type, the row's
 * default, and how its value is read, range-checked and stored in the
 * field the row names.  One function per kind of value, so a group's
 * loader in lib/config.c is a loop over its rows and the checks that are
 * about several keys at once.
 *
 * Also the messages: the first mistake becomes the caller's message,
 * "nudge.conf:12: 'hours' in person 'anna': ...", with the file and line of
 * the setting (an @included file's own name and line).
 */
#include "config_table.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "names_join.h"
#include "template.h"
#include "text.h"
#include "timeutil.h"

/*
 * "file:line: message" for the setting s.  Array elements and the root
 * have no line of their own (libconfig gives 0), so the nearest enclosing
 * setting's line is used; libconfig knows the file, which differs from the
 * one given when the setting came from an @include.
 */
int
config_fail(struct config_loader *L, const config_setting_t *s,
    const char *fmt, ...)
{
	const char *file = NULL;
	char *msg = NULL;
	va_list ap;
	int line = 0, rc;

	for (; s != NULL; s = config_setting_parent(s))
		if ((line = (int)config_setting_source_line(s)) > 0) {
			file = config_setting_source_file(s);
			break;
		}
	/* A line of the text config_include.c made: map it back. */
	if (file == NULL && line > 0 && config_src_at(L, line, &file,
	    &line) != 0)
		line = 0;
	if (file == NULL)
		file = L->file;
	va_start(ap, fmt);
	rc = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (rc < 0)
		return err_set(L->errp, "%s: out of memory", file);
	/* libconfig names an @included file as written, relative to the
	 * include directory (ours: the main file's). */
	if (strcmp(file, L->file) != 0 && file[0] != '/')
		err_set(L->errp, "%s/%s:%d: %s", L->dir, file, line, msg);
	else if (line > 0)
		err_set(L->errp, "%s:%d: %s", file, line, msg);
	else
		err_set(L->errp, "%s: %s", file, msg);
	free(msg);
	return -1;
}

/*
 * A bad value: "file:line: 'hours' in person 'anna': <what>".  The key is
 * the setting's name (an element's: its list's), `where` the group (NULL
 * at the top level), so every value message has the same shape.
 */
int
config_bad(struct config_loader *L, const config_setting_t *s,
    const char *where, const char *fmt, ...)
{
	const config_setting_t *named = s;
	char *msg = NULL;
	va_list ap;
	int rc;

	while (named != NULL && config_setting_name(named) == NULL)
		named = config_setting_parent(named);
	va_start(ap, fmt);
	rc = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (rc < 0)
		return config_fail(L, s, "out of memory");
	if (where != NULL)
		rc = config_fail(L, s, "'%s' in %s: %s", named != NULL ?
		    config_setting_name(named) : "?", where, msg);
	else
		rc = config_fail(L, s, "'%s': %s", named != NULL ?
		    config_setting_name(named) : "?", msg);
	free(msg);
	return rc;
}

/* The same for a message from another module (timeutil, template), which
 * is consumed. */
int
config_bad_err(struct config_loader *L, const config_setting_t *s,
    const char *where, char *err)
{
	config_bad(L, s, where, "%s", err != NULL ? err : "invalid value");
	free(err);
	return -1;
}

int
config_oom(struct config_loader *L)
{
	return err_set(L->errp, "%s: out of memory", L->file);
}

static const char *
config_type_name(int type)
{
	switch (type) {
	case CONFIG_TYPE_STRING:
		return "a string, \"...\"";
	case CONFIG_TYPE_INT:
		return "an integer";
	case CONFIG_TYPE_BOOL:
		return "true or false";
	case CONFIG_TYPE_ARRAY:
		return "a list of strings, [ \"a\", \"b\" ]";
	case CONFIG_TYPE_LIST:
		return "a list of groups, ( { ... }, { ... } )";
	case CONFIG_TYPE_GROUP:
		return "a group, { ... }";
	}
	return "something else";
}

/*
 * An unknown key: name the keys the group does take, and the likely one
 * if the key is a near miss ("hourz" -> "hours").
 */
static int
config_unknown_key(struct config_loader *L, const config_setting_t *s,
    const struct config_key *table, const char *where)
{
	const struct config_key *k, *near = NULL;
	const char *name = config_setting_name(s);
	char *known = NULL;
	size_t size = 0, best = TEXT_NEAR_START;
	FILE *f = NULL;
	int rc;

	if ((f = open_memstream(&known, &size)) == NULL)
		return config_oom(L);
	for (k = table; k->name != NULL; k++) {
		fprintf(f, "%s%s", k != table ? ", " : "", k->name);
		if (text_nearer(name, k->name, &best))
			near = k;
	}
	if (fclose(f) != 0) {
		free(known);
		return config_oom(L);
	}
	rc = config_fail(L, s, "unknown key '%s' %s%s (known: %s)%s%s%s",
	    name, where != NULL ? "in " : "at the top level",
	    where != NULL ? where : "", known, near != NULL ?
	    "; did you mean '" : "", near != NULL ? near->name : "",
	    near != NULL ? "'?" : "");
	free(known);
	return rc;
}

/*
 * A string value people wrote: not empty, UTF-8 (it ends up in JSON and
 * mail headers), no control characters (a newline in an address is a
 * header injection), identifiers from a small alphabet and of the row's
 * length.  Messages may span lines.
 */
static int
config_check_text(struct config_loader *L, const config_setting_t *s,
    const struct config_key *k, const char *where)
{
	const char *v = config_setting_get_string(s);
	size_t len = strlen(v), max, i;
	unsigned char c;

	if (len == 0)
		return config_bad(L, s, where, "empty string");
	if (!text_valid_utf8(v, len))
		return config_bad(L, s, where, "not valid UTF-8");
	for (i = 0; i < len; i++) {
		c = (unsigned char)v[i];
		if ((c < 0x20 || c == 0x7f) && !((k->flags & KEY_TEXT) &&
		    (c == '\n' || c == '\t')))
			return config_bad(L, s, where, "control character at "
			    "byte %zu", i + 1);
	}
	/* The caps of text typed on the command line (text.h), unless the
	 * row sets its own. */
	max = k->max > 0 ? (size_t)k->max : TEXT_MAX_BYTES;
	if (len > max)
		return config_bad(L, s, where, "%zu bytes is longer than %zu "
		    "bytes", len, max);
	for (i = 0; (k->flags & KEY_NAME) && i < len; i++) {
		c = (unsigned char)v[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '.' || c == '-' || c == '_' ||
		    (!(k->flags & KEY_LOWER) && c >= 'A' && c <= 'Z')))
			return config_bad(L, s, where, "'%s': use %sletters, "
			    "digits, '.', '-' and '_'", v,
			    (k->flags & KEY_LOWER) ? "lower-case " : "");
	}
	return 0;
}

const struct config_key *
config_key_find(const struct config_key *table, const char *name)
{
	const struct config_key *k;

	for (k = table; k->name != NULL; k++)
		if (strcmp(k->name, name) == 0)
			return k;
	return NULL;
}

/* Setting s has the row's type (libconfig makes big integers 64-bit, and
 * a list of strings may be written in either brackets); strings and the
 * strings of a list are sane. */
static int
config_check_type(struct config_loader *L, const config_setting_t *s,
    const struct config_key *k, const char *where)
{
	config_setting_t *e;
	int j, m, t = config_setting_type(s), ok;

	if (k->type == CONFIG_TYPE_INT)
		ok = t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64;
	else if (k->type == CONFIG_TYPE_ARRAY)
		ok = t == CONFIG_TYPE_ARRAY || t == CONFIG_TYPE_LIST;
	else
		ok = t == k->type;
	m = ok && config_setting_is_aggregate(s) ? config_setting_length(s) :
	    0;
	for (j = 0; ok && k->type != CONFIG_TYPE_GROUP && j < m; j++) {
		e = config_setting_get_elem(s, (unsigned)j);
		ok = config_setting_type(e) == (k->type == CONFIG_TYPE_ARRAY ?
		    CONFIG_TYPE_STRING : CONFIG_TYPE_GROUP);
		if (ok && k->type == CONFIG_TYPE_ARRAY &&
		    config_check_text(L, e, k, where) != 0)
			return -1;
	}
	if (!ok)
		return config_fail(L, s, "'%s' must be %s (%s%s%s)", k->name,
		    config_type_name(k->type), where != NULL ? where : "",
		    where != NULL ? ": " : "", k->help);
	if (k->type == CONFIG_TYPE_STRING)
		return config_check_text(L, s, k, where);
	return 0;
}

int
config_setting_line(const struct config_loader *L,
    const config_setting_t *s)
{
	const char *file;
	int line = (int)config_setting_source_line(s);

	if (config_setting_source_file(s) == NULL &&
	    config_src_at(L, line, &file, &line) != 0)
		return 0;
	return line;
}

/*
 * The heart of the table approach: every setting in group g must be a key
 * of `table`, of the key's type, and strings must be sane, before any
 * value is used.  `where` names the group in messages ("person 'anna'";
 * NULL at the top level).
 */
int
config_check_group(struct config_loader *L, const config_setting_t *g,
    const struct config_key *table, const char *where)
{
	const struct config_key *k;
	config_setting_t *s;
	int i, n = config_setting_length(g);

	for (i = 0; i < n; i++) {
		s = config_setting_get_elem(g, (unsigned)i);
		if ((k = config_key_find(table, config_setting_name(s))) ==
		    NULL)
			return config_unknown_key(L, s, table, where);
		if (config_check_type(L, s, k, where) != 0)
			return -1;
	}
	return 0;
}

/* Keys of a channel that belong to another type ("from" on a webhook) are
 * mistakes too: the setting would do nothing. */
int
config_check_applies(struct config_loader *L, const config_setting_t *g,
    unsigned type_flag, const char *type, const char *where)
{
	const struct config_key *k;
	config_setting_t *s;
	int i, n = config_setting_length(g);

	for (i = 0; i < n; i++) {
		s = config_setting_get_elem(g, (unsigned)i);
		k = config_key_find(config_keys_channel,
		    config_setting_name(s));
		if (k == NULL || (k->flags & type_flag))
			continue;
		return config_fail(L, s, "'%s' does not apply to %s, %s %s "
		    "channel (%s channels take it)", k->name, where,
		    strcmp(type, "email") == 0 ? "an" : "a", type,
		    (k->flags & KEY_ANY) == (KEY_EMAIL | KEY_WEBHOOK) ?
		    "email and webhook" : (k->flags & KEY_EMAIL) ? "email" :
		    "webhook");
	}
	return 0;
}

/*
 * A file the daemon will read must be readable now, by whoever checks the
 * config (the daemon's user under systemd): better a config error at
 * start than a dead delivery at 3 a.m.  open() rather than access(), so
 * what is tested is what the daemon will do; a directory opens too, hence
 * the fstat().
 */
int
config_readable_as_named(struct config_loader *L, const config_setting_t *s,
    const char *where, const char *path)
{
	struct stat sb;
	int fd, rc = 0;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0)
		return config_bad(L, s, where, "cannot read %s: %s", path,
		    strerror(errno));
	if (fstat(fd, &sb) != 0)
		rc = config_bad(L, s, where, "cannot read %s: %s", path,
		    strerror(errno));
	else if (!S_ISREG(sb.st_mode))
		rc = config_bad(L, s, where, "%s is not a regular file", path);
	close(fd);
	return rc;
}

/* A secret file the same, or the credential that stands in for it. */
int
config_readable(struct config_loader *L, const config_setting_t *s,
    const char *where, const char *path)
{
	const char *creds = getenv("CREDENTIALS_DIRECTORY");
	const char *base = strrchr(path, '/');
	char cred[PATH_MAX];
	int n;

	/* Under systemd the secret may come as a credential of the same base
	 * name (LoadCredential=), which is what nudged reads then. */
	base = base != NULL ? base + 1 : path;
	if (creds != NULL && *creds != '\0' &&
	    (n = snprintf(cred, sizeof(cred), "%s/%s", creds, base)) > 0 &&
	    (size_t)n < sizeof(cred) && access(cred, R_OK) == 0)
		path = cred;
	return config_readable_as_named(L, s, where, path);
}

/* Dates of the list s appended to *v (grown as needed). */
int
config_dates(struct config_loader *L, const config_setting_t *s,
    const char *where, int32_t **v, size_t *n)
{
	config_setting_t *e;
	int32_t *tmp, day;
	char *err = NULL;
	int i, len = config_setting_length(s);

	if ((tmp = realloc(*v, (*n + (size_t)len + 1) * sizeof(**v))) == NULL)
		return config_oom(L);
	*v = tmp;
	for (i = 0; i < len; i++) {
		e = config_setting_get_elem(s, (unsigned)i);
		if (timeutil_parse_date(config_setting_get_string(e), &day,
		    &err) != 0)
			return config_bad_err(L, e, where, err);
		(*v)[(*n)++] = day;
	}
	return 0;
}

static int
config_cmp_day(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;

	return (x > y) - (x < y);
}

/* Sorted and unique, as timeutil's business-day arithmetic wants them. */
void
config_sort_days(int32_t *v, size_t *n)
{
	size_t i, k;

	if (*n < 2)
		return;
	qsort(v, *n, sizeof(*v), config_cmp_day);
	for (i = 1, k = 1; i < *n; i++)
		if (v[i] != v[k - 1])
			v[k++] = v[i];
	*n = k;
}

/*
 * One value being stored: row k's, from the setting s, or the row's
 * default when s is NULL (a default that does not load is a mistake in
 * the table, which tests/unit/test_config.c would catch).
 */
struct config_value {
	struct config_loader *L;
	const struct config_key *k;
	const config_setting_t *s;
	const char *where;
	const char *text;       /* the string written, or the default */
	void *field, *field2;
};

/* p made absolute against the config file's directory ("./" dropped, so
 * messages and logs show a tidy path). */
static char *
config_resolve(struct config_loader *L, const char *p)
{
	char *out = NULL;

	if (p[0] == '/')
		return strdup(p);
	while (p[0] == '.' && p[1] == '/')
		for (p += 2; *p == '/'; p++)
			;
	if (asprintf(&out, "%s%s%s", L->dir, strcmp(L->dir, "/") != 0 ?
	    "/" : "", *p != '\0' ? p : ".") < 0)
		return NULL;
	return out;
}

/* An address for the To: line: one @, nothing a header could trip on. */
static int
config_email_ok(const char *s)
{
	const char *at = strchr(s, '@');

	return at != NULL && at != s && at[1] != '\0' &&
	    strchr(at + 1, '@') == NULL && strpbrk(s, " \t<>,;\"()") == NULL;
}

/* The index of text in the row's values, or -1 with the message set. */
static int
config_value_choice(struct config_value *v)
{
	const struct config_key *k = v->k;
	char *list;
	int i, rc;

	for (i = 0; k->values[i] != NULL; i++)
		if (strcmp(k->values[i], v->text) == 0)
			return i;
	if (k->noun == NULL)
		return config_bad(v->L, v->s, v->where, "'%s' is neither "
		    "\"%s\" nor \"%s\"", v->text, k->values[0], k->values[1]);
	if ((list = names_join(k->values, " or ")) == NULL)
		return config_oom(v->L);
	rc = config_bad(v->L, v->s, v->where, "unknown %s '%s' (%s)", k->noun,
	    v->text, list);
	free(list);
	return rc;
}

/* The strings: each kind's check, then a copy (replacing a default). */
static int
config_value_string(struct config_value *v)
{
	const struct config_key *k = v->k;
	char **out = v->field, *copy, *err = NULL;

	if (k->kind == CONFIG_KIND_STRING && k->values != NULL &&
	    config_value_choice(v) < 0)
		return -1;
	if (k->kind == CONFIG_KIND_ZONE && !timeutil_zone_valid(v->text))
		return config_bad(v->L, v->s, v->where, "unknown time zone "
		    "'%s' (an IANA name such as Europe/Stockholm or "
		    "America/New_York)", v->text);
	if (k->kind == CONFIG_KIND_EMAIL && !config_email_ok(v->text))
		return config_bad(v->L, v->s, v->where, "'%s' is not an email "
		    "address (name@domain)", v->text);
	if (k->kind == CONFIG_KIND_TEMPLATE && template_check(v->text,
	    template_rule_variables, &err) != 0)
		return config_bad_err(v->L, v->s, v->where, err);
	copy = k->kind == CONFIG_KIND_PATH ? config_resolve(v->L, v->text) :
	    strdup(v->text);
	if (copy == NULL)
		return config_oom(v->L);
	free(*out);
	*out = copy;
	return 0;
}

static int
config_value_choose(struct config_value *v)
{
	int i;

	if ((i = config_value_choice(v)) < 0)
		return -1;
	*(int *)v->field = v->k->codes != NULL ? v->k->codes[i] : i;
	return 0;
}

static int
config_value_bool(struct config_value *v)
{
	*(int *)v->field = v->s != NULL ? config_setting_get_bool(v->s) != 0 :
	    strcmp(v->text, "true") == 0;
	return 0;
}

/* An integer in [min, max]; libconfig makes big literals 64-bit, so those
 * are range-checked too instead of silently failing a 32-bit lookup. */
static int
config_value_int(struct config_value *v)
{
	long long n = v->s != NULL ? config_setting_get_int64(v->s) :
	    strtoll(v->text, NULL, 10);

	if (n < v->k->min || n > v->k->max)
		return config_bad(v->L, v->s, v->where, "%lld is out of range "
		    "(%lld to %lld)", n, v->k->min, v->k->max);
	*(int *)v->field = (int)n;
	return 0;
}

/* "25%": a whole number in [min, max] and a percent sign. */
static int
config_value_percent(struct config_value *v)
{
	char *end = NULL;
	long long pct;

	errno = 0;
	pct = strtoll(v->text, &end, 10);
	while (end != v->text && *end == ' ')
		end++;
	if (end == v->text || strcmp(end, "%") != 0 || errno != 0 ||
	    pct < v->k->min || pct > v->k->max)
		return config_bad(v->L, v->s, v->where, "'%s' must be a %s "
		    "from \"%lld%%\" to \"%lld%%\", such as \"%s\"", v->text,
		    v->k->noun, v->k->min, v->k->max, v->k->def);
	*(int *)v->field = (int)pct;
	return 0;
}

static int
config_value_duration(struct config_value *v)
{
	struct timeutil_duration d;
	char *err = NULL;

	if (timeutil_parse_duration_ex(v->text, v->k->min == 0, &d, &err) !=
	    0)
		return config_bad_err(v->L, v->s, v->where, err);
	if (v->k->flags & KEY_ELAPSED) {
		if (d.business_days != 0)
			return config_bad(v->L, v->s, v->where, "'%s' is "
			    "elapsed time: use s, m, h, d or w, not business "
			    "days", v->text);
		d.seconds += (int64_t)d.days * 86400;
		d.days = 0;
	}
	*(struct timeutil_duration *)v->field = d;
	return 0;
}

/* The kinds timeutil reads: times of day, working hours and days. */
static int
config_value_time(struct config_value *v)
{
	char *err = NULL;
	int rc = 0;

	switch (v->k->kind) {
	case CONFIG_KIND_CLOCK:
		rc = timeutil_parse_clock(v->text, v->field, &err);
		break;
	case CONFIG_KIND_HOURS:
		rc = timeutil_parse_hours(v->text, v->field, v->field2, &err);
		break;
	case CONFIG_KIND_DAYS:
		rc = timeutil_parse_days(v->text, v->field, &err);
		break;
	default:
		break;
	}
	return rc != 0 ? config_bad_err(v->L, v->s, v->where, err) : 0;
}

/* "fri 16:00": one weekday and a local time of day. */
static int
config_value_weekly(struct config_value *v)
{
	const char *s = v->text;
	char day[16], *err = NULL;
	unsigned days;
	int k;

	if (sscanf(s, "%15s", day) != 1 || strchr(s, ' ') == NULL)
		return config_bad(v->L, v->s, v->where, "'%s' is not a day and "
		    "a time such as \"fri 16:00\"", s);
	if (timeutil_parse_days(day, &days, &err) != 0) {
		free(err);
		return config_bad(v->L, v->s, v->where, "'%s' is not a day and "
		    "a time such as \"fri 16:00\"", s);
	}
	for (k = 0; k < 7 && days != (1u << k); k++)
		;
	if (k == 7)
		return config_bad(v->L, v->s, v->where, "'%s': one day of the "
		    "week, such as \"fri 16:00\"", s);
	if (timeutil_parse_clock(strchr(s, ' ') + 1, v->field2, &err) != 0)
		return config_bad_err(v->L, v->s, v->where, err);
	*(int *)v->field = k;
	return 0;
}

/*
 * A list of strings (NULL-terminated, count in field2) replacing what was
 * there (the default).  With KEY_UNIQUE a name listed twice is a mistake
 * (a channel listed twice would deliver twice); an empty list is refused
 * unless KEY_EMPTY_OK.
 */
static int
config_value_list(struct config_value *v)
{
	char ***out = v->field, **copy;
	size_t *n = v->field2, len, i, j, ncopy = 0;
	const char *e;

	len = v->s != NULL ? (size_t)config_setting_length(v->s) : 0;
	while (v->s == NULL && v->k->def_list[len] != NULL)
		len++;
	if (len == 0 && v->s != NULL && !(v->k->flags & KEY_EMPTY_OK))
		return config_bad(v->L, v->s, v->where, "empty list");
	if ((copy = calloc(len + 1, sizeof(char *))) == NULL)
		return config_oom(v->L);
	for (i = 0; i < len; i++) {
		e = v->s != NULL ? config_setting_get_string_elem(v->s,
		    (unsigned)i) : v->k->def_list[i];
		for (j = 0; (v->k->flags & KEY_UNIQUE) && j < i; j++)
			if (strcmp(copy[j], e) == 0) {
				config_free_list(copy, ncopy);
				return config_bad(v->L, v->s, v->where, "'%s' "
				    "is listed twice", e);
			}
		if ((copy[i] = strdup(e)) == NULL) {
			config_free_list(copy, ncopy);
			return config_oom(v->L);
		}
		ncopy++;
	}
	config_free_list(*out, *n);
	*out = copy;
	*n = ncopy;
	return 0;
}

static int
config_value_dates(struct config_value *v)
{
	return config_dates(v->L, v->s, v->where, v->field, v->field2);
}

static int
config_value_nothing(struct config_value *v)
{
	(void)v;
	return 0;
}

/* What reads each kind, in the order of enum config_kind. */
static int (*const config_kinds[])(struct config_value *) = {
	[CONFIG_KIND_NONE] = config_value_nothing,
	[CONFIG_KIND_STRING] = config_value_string,
	[CONFIG_KIND_PATH] = config_value_string,
	[CONFIG_KIND_ZONE] = config_value_string,
	[CONFIG_KIND_EMAIL] = config_value_string,
	[CONFIG_KIND_TEMPLATE] = config_value_string,
	[CONFIG_KIND_CHOICE] = config_value_choose,
	[CONFIG_KIND_BOOL] = config_value_bool,
	[CONFIG_KIND_INT] = config_value_int,
	[CONFIG_KIND_PERCENT] = config_value_percent,
	[CONFIG_KIND_DURATION] = config_value_duration,
	[CONFIG_KIND_CLOCK] = config_value_time,
	[CONFIG_KIND_HOURS] = config_value_time,
	[CONFIG_KIND_DAYS] = config_value_time,
	[CONFIG_KIND_DATES] = config_value_dates,
	[CONFIG_KIND_LIST] = config_value_list,
	[CONFIG_KIND_WEEKLY] = config_value_weekly,
};

static int
config_value_load(struct config_loader *L, const struct config_key *k,
    const config_setting_t *s, const char *where, void *base)
{
	struct config_value v;

	v.L = L;
	v.k = k;
	v.s = s;
	v.where = where;
	v.text = s == NULL ? k->def : config_setting_type(s) ==
	    CONFIG_TYPE_STRING ? config_setting_get_string(s) : NULL;
	v.field = (char *)base + k->offset;
	v.field2 = (char *)base + k->offset2;
	return config_kinds[k->kind](&v);
}

/* Row k's value in group g stored in base, if g has one. */
int
config_load_key(struct config_loader *L, const config_setting_t *g,
    const struct config_key *k, const char *where, void *base)
{
	const config_setting_t *s = config_setting_get_member(g, k->name);

	return s != NULL ? config_value_load(L, k, s, where, base) : 0;
}

static int
config_applies(const struct config_key *k, unsigned type_flag)
{
	return type_flag == 0 || (k->flags & type_flag) != 0;
}

/* The values group g sets, for the rows that apply to type_flag (a
 * channel's type; 0: every row). */
int
config_load_rows(struct config_loader *L, const config_setting_t *g,
    const struct config_key *table, unsigned type_flag, const char *where,
    void *base)
{
	const struct config_key *k;

	for (k = table; k->name != NULL; k++)
		if (config_applies(k, type_flag) &&
		    config_load_key(L, g, k, where, base) != 0)
			return -1;
	return 0;
}

/* The defaults of the rows, in place before the file's values are read,
 * so what the file does not say is the documented default. */
int
config_default_rows(struct config_loader *L, const struct config_key *table,
    unsigned type_flag, void *base)
{
	const struct config_key *k;

	for (k = table; k->name != NULL; k++) {
		if (!config_applies(k, type_flag))
			continue;
		if ((k->kind == CONFIG_KIND_CLOCK ||
		    k->kind == CONFIG_KIND_WEEKLY) && k->def == NULL)
			*(int *)((char *)base + k->offset) = -1;
		else if ((k->def != NULL || k->def_list != NULL) &&
		    config_value_load(L, k, NULL, NULL, base) != 0)
			return -1;
	}
	return 0;
}

/*
 * What the rows stored in base and own: the strings, lists and dates.
 * Each field is set to NULL once freed, so two rows filling one field
 * could not free it twice.  Rows of kind NONE fill nothing: their offset
 * 0 is no field of theirs.
 */
void
config_free_rows(const struct config_key *table, void *base)
{
	const struct config_key *k;
	char *field, **text, ***list;
	int32_t **dates;

	for (k = table; k->name != NULL; k++) {
		field = (char *)base + k->offset;
		switch (k->kind) {
		case CONFIG_KIND_STRING:
		case CONFIG_KIND_PATH:
		case CONFIG_KIND_ZONE:
		case CONFIG_KIND_EMAIL:
		case CONFIG_KIND_TEMPLATE:
			text = (char **)(void *)field;
			free(*text);
			*text = NULL;
			break;
		case CONFIG_KIND_DATES:
			dates = (int32_t **)(void *)field;
			free(*dates);
			*dates = NULL;
			break;
		case CONFIG_KIND_LIST:
			list = (char ***)(void *)field;
			config_free_list(*list, *(size_t *)(void *)((char *)base +
			    k->offset2));
			*list = NULL;
			break;
		/* Own nothing; no default, so that -Wswitch names a new
		 * kind here until it is said whether it owns memory. */
		case CONFIG_KIND_NONE:
		case CONFIG_KIND_CHOICE:
		case CONFIG_KIND_BOOL:
		case CONFIG_KIND_INT:
		case CONFIG_KIND_PERCENT:
		case CONFIG_KIND_DURATION:
		case CONFIG_KIND_CLOCK:
		case CONFIG_KIND_HOURS:
		case CONFIG_KIND_DAYS:
		case CONFIG_KIND_WEEKLY:
			break;
		}
	}
}
