/*
 * The configuration loader.  libconfig parses; this file validates.  Each
 * group of settings (top level, person, channel, rule, promises, delivery)
 * has one table of the keys it takes, as redis' config.c and tmux's
 * options-table.c keep theirs: every setting in the file is looked up in its
 * group's table, so a misspelt key is an error with file and line, never a
 * silently ignored line.  Then each group's values are checked against each
 * other and against the other groups (a person's notify names a channel, a
 * rule's escalate_to names a person).  Nothing is printed: the first
 * mistake becomes the caller's message, "nudge.conf:12: ...".
 *
 * The loaded struct owns copies of every string (libconfig's die with
 * config_destroy()), and relative paths in the file are made absolute
 * against the file's directory, so a daemon started from anywhere finds the
 * same database.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libconfig.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "template.h"
#include "text.h"
#include "wake.h"

#ifndef NUDGE_SYSCONFDIR
#define NUDGE_SYSCONFDIR "/etc"
#endif

#define CONFIG_NAME_MAX 64      /* handles, channel and rule names */
#define CONFIG_INT_MAX  1000000 /* capacities and counts: typo guard */

/* Flags in the key tables. */
#define KEY_TEXT        0x01    /* newlines and tabs allowed (messages) */
#define KEY_NAME        0x02    /* an identifier: letters, digits, . - _ */
#define KEY_LOWER       0x04    /* ... with lower-case letters only */
#define KEY_LOG         0x10    /* channel keys: the types that take them */
#define KEY_EMAIL       0x20
#define KEY_WEBHOOK     0x40
#define KEY_ANY         (KEY_LOG | KEY_EMAIL | KEY_WEBHOOK)

/*
 * One key of a group: its name, its libconfig type and one line of help
 * used in messages.  CONFIG_TYPE_ARRAY means a list of strings, written
 * [ "a", "b" ] or ( "a", "b" ); CONFIG_TYPE_LIST means a list of groups.
 */
struct config_key {
	const char *name;
	int type;
	unsigned flags;
	const char *help;
};

static const struct config_key config_keys_top[] = {
	{ "database", CONFIG_TYPE_STRING, 0,
	    "path of the SQLite database" },
	{ "timezone", CONFIG_TYPE_STRING, 0,
	    "IANA time zone of people without their own" },
	{ "runtime_dir", CONFIG_TYPE_STRING, 0,
	    "directory of nudged's wake-up socket" },
	{ "holidays", CONFIG_TYPE_ARRAY, 0,
	    "days off for everyone, [ \"2026-12-24\", ... ]" },
	{ "ops", CONFIG_TYPE_STRING, KEY_NAME,
	    "channel that also hears of dead deliveries" },
	{ "weekly_summary", CONFIG_TYPE_STRING, 0,
	    "each person's ledger for the week at this local day and time, "
	    "such as \"fri 16:00\" (off when unset)" },
	{ "people", CONFIG_TYPE_LIST, 0,
	    "the team, ( { handle = \"anna\"; ... }, ... )" },
	{ "channels", CONFIG_TYPE_LIST, 0,
	    "where reminders go, ( { name = \"log\"; type = \"log\"; }, ... )" },
	{ "rules", CONFIG_TYPE_LIST, 0,
	    "the playbook, ( { name = ...; on = ...; after = ...; "
	    "message = ...; }, ... )" },
	{ "promises", CONFIG_TYPE_GROUP, 0,
	    "the promise policy, { slack = \"25%\"; ... }" },
	{ "delivery", CONFIG_TYPE_GROUP, 0,
	    "retries and timeouts, { attempts = 8; ... }" },
	{ NULL, 0, 0, NULL },
};

static const struct config_key config_keys_person[] = {
	{ "handle", CONFIG_TYPE_STRING, KEY_NAME | KEY_LOWER,
	    "what --owner takes: lower-case letters, digits, . - _" },
	{ "name", CONFIG_TYPE_STRING, 0, "display name" },
	{ "email", CONFIG_TYPE_STRING, 0, "address for email channels" },
	{ "timezone", CONFIG_TYPE_STRING, 0,
	    "IANA time zone such as \"Europe/Stockholm\"" },
	{ "hours", CONFIG_TYPE_STRING, 0,
	    "working hours such as \"08:00-17:00\"" },
	{ "days", CONFIG_TYPE_STRING, 0,
	    "working days such as \"mon-fri\"" },
	{ "notify", CONFIG_TYPE_ARRAY, KEY_NAME,
	    "channels to remind this person on, [ \"log\" ]" },
	{ "capacity", CONFIG_TYPE_INT, 0,
	    "open promises due in one week before nudge warns; 0 = no limit" },
	{ "digest", CONFIG_TYPE_STRING, 0,
	    "local time of a daily digest such as \"08:30\"" },
	{ "holidays", CONFIG_TYPE_ARRAY, 0,
	    "the person's own days off, [ \"2026-07-01\", ... ]" },
	{ "weekly_summary", CONFIG_TYPE_BOOL, 0,
	    "send the person their weekly promise ledger" },
	{ NULL, 0, 0, NULL },
};

static const struct config_key config_keys_channel[] = {
	{ "name", CONFIG_TYPE_STRING, KEY_NAME | KEY_ANY,
	    "what people and rules notify" },
	{ "type", CONFIG_TYPE_STRING, KEY_ANY, "log, email or webhook" },
	{ "url", CONFIG_TYPE_STRING, KEY_EMAIL | KEY_WEBHOOK,
	    "smtp:// or smtps:// for email, https:// or http:// for webhooks" },
	{ "from", CONFIG_TYPE_STRING, KEY_EMAIL,
	    "sender, \"nudge <nudge@example.com>\"" },
	{ "username", CONFIG_TYPE_STRING, KEY_EMAIL, "SMTP login" },
	{ "password_file", CONFIG_TYPE_STRING, KEY_EMAIL,
	    "file holding the SMTP password" },
	{ "tls", CONFIG_TYPE_STRING, KEY_EMAIL,
	    "\"required\" or \"none\" (loopback servers only)" },
	{ "tls_verify", CONFIG_TYPE_BOOL, KEY_EMAIL | KEY_WEBHOOK,
	    "verify the server's certificate and name" },
	{ "format", CONFIG_TYPE_STRING, KEY_WEBHOOK, "\"json\" or \"slack\"" },
	{ "secret_file", CONFIG_TYPE_STRING, KEY_WEBHOOK,
	    "file holding the signing secret, whsec_..." },
	{ "ca_file", CONFIG_TYPE_STRING, KEY_EMAIL | KEY_WEBHOOK,
	    "PEM file of the CAs to trust instead of the system's" },
	{ NULL, 0, 0, NULL },
};

static const struct config_key config_keys_rule[] = {
	{ "name", CONFIG_TYPE_STRING, KEY_NAME,
	    "unique: part of every follow-up's identity" },
	{ "on", CONFIG_TYPE_STRING, 0, "the event, such as \"deal.won\"" },
	{ "after", CONFIG_TYPE_STRING, 0,
	    "how long after the event, such as \"3bd\"" },
	{ "before", CONFIG_TYPE_STRING, 0,
	    "how long before the event, such as \"1bd\"" },
	{ "at", CONFIG_TYPE_STRING, 0, "local time of day such as \"10:00\"" },
	{ "message", CONFIG_TYPE_STRING, KEY_TEXT,
	    "the reminder, with {{variables}}" },
	{ "notify", CONFIG_TYPE_ARRAY, KEY_NAME,
	    "channels instead of the owner's" },
	{ "repeat", CONFIG_TYPE_STRING, 0,
	    "repeat while the promise is overdue, such as \"1bd\"" },
	{ "escalate_to", CONFIG_TYPE_STRING, KEY_NAME | KEY_LOWER,
	    "handle of the person who hears of it after escalate_after "
	    "repeats" },
	{ "escalate_after", CONFIG_TYPE_INT, 0,
	    "repeats before escalating, 1 or more" },
	{ "second_chocolate", CONFIG_TYPE_BOOL, 0,
	    "marks the come-back-with-more follow-up" },
	{ "gestures", CONFIG_TYPE_ARRAY, 0,
	    "ideas for {{gesture}}, [ \"a handwritten note\", ... ]" },
	{ "window", CONFIG_TYPE_STRING, 0,
	    "second chocolate: done within this long of its reminder counts, "
	    "such as \"5bd\" (default 1w)" },
	{ "once_per", CONFIG_TYPE_STRING, 0,
	    "second chocolate: at most one per account in this period, such "
	    "as \"90d\"" },
	{ NULL, 0, 0, NULL },
};

static const struct config_key config_keys_promises[] = {
	{ "slack", CONFIG_TYPE_STRING, 0,
	    "share of the lead time kept in hand, such as \"25%\"" },
	{ "min_slack", CONFIG_TYPE_STRING, 0,
	    "least slack, such as \"4h\"" },
	{ "max_slack", CONFIG_TYPE_STRING, 0, "most slack, such as \"3bd\"" },
	{ "phrases", CONFIG_TYPE_ARRAY, 0,
	    "over-promising phrases to warn about" },
	{ "strict", CONFIG_TYPE_BOOL, 0,
	    "refuse promises that trigger a warning" },
	{ NULL, 0, 0, NULL },
};

static const struct config_key config_keys_delivery[] = {
	{ "attempts", CONFIG_TYPE_INT, 0,
	    "tries per delivery before it is dead, 1 to 100" },
	{ "backoff", CONFIG_TYPE_STRING, 0,
	    "first wait between tries, such as \"30s\"" },
	{ "max_backoff", CONFIG_TYPE_STRING, 0,
	    "longest wait between tries, such as \"6h\"" },
	{ "timeout", CONFIG_TYPE_STRING, 0, "per try, such as \"10s\"" },
	{ "late_after", CONFIG_TYPE_STRING, 0,
	    "reminders later than this are folded into one, such as \"24h\"" },
	{ NULL, 0, 0, NULL },
};

const char *const config_rule_events[] = {
	"deal.won", "deal.lost", "deal.closing", "promise.target",
	"promise.due", "promise.overdue", "promise.kept", NULL,
};

/* Events whose moment is known in advance: only these take `before`. */
static const char *const config_events_ahead[] = {
	"deal.closing", "promise.target", "promise.due", NULL,
};

/*
 * Phrases that set expectations the team may not meet: the seed articles'
 * examples and their kin, in English and Swedish.  Used unless
 * promises.phrases is set.  check_phrase_match() matches whole words,
 * case-insensitively, so inflections are listed.
 */
static const char *const config_default_phrases[] = {
	"tomorrow", "imorgon", "i morgon",
	"best purchase", "bästa köp", "bästa köpet",
	"2-3 times better", "2-3 gånger bättre",
	"twice as good", "dubbelt så bra",
	"you will get", "du kommer att få", "ni kommer att få",
	"you will experience", "du kommer att uppleva",
	"ni kommer att uppleva",
	"I'd be surprised if", "I would be surprised if",
	"jag skulle bli förvånad om", "jag blir förvånad om",
	"guarantee", "guaranteed", "garanterar", "garanterat",
	"definitely", "absolutely", "absolut",
	"for sure", "helt säkert",
	"never fails", "aldrig fel",
	"right away", "på en gång", "direkt",
	"no problem at all", "inga problem",
	NULL,
};

/* An @include whose file could not be opened when the includes were
 * followed: libconfig's own message names neither the file nor why. */
struct config_unopened {
	char *in;               /* the file it is in, as config_load names it */
	int line;
	char *full;             /* the path opened */
	int error;              /* errno */
};

#define CONFIG_UNOPENED_MAX 8

/* What one config_load() call carries around. */
struct config_loader {
	const char *file;       /* the path as given, for messages */
	char *dir;              /* absolute directory of the file */
	struct config *cfg;
	char **errp;
	struct config_unopened unopened[CONFIG_UNOPENED_MAX];
	size_t nunopened;
};

/*
 * "file:line: message" for the setting s.  Array elements and the root
 * have no line of their own (libconfig gives 0), so the nearest enclosing
 * setting's line is used; libconfig knows the file, which differs from the
 * one given when the setting came from an @include.
 */
static int
config_fail(struct config_loader *L, const config_setting_t *s,
    const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
config_fail(struct config_loader *L, const config_setting_t *s,
    const char *fmt, ...)
{
	const char *file = NULL;
	char *msg = NULL;
	va_list ap;
	unsigned line = 0;
	int rc;

	for (; s != NULL; s = config_setting_parent(s))
		if ((line = config_setting_source_line(s)) > 0) {
			file = config_setting_source_file(s);
			break;
		}
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
		err_set(L->errp, "%s/%s:%u: %s", L->dir, file, line, msg);
	else if (line > 0)
		err_set(L->errp, "%s:%u: %s", file, line, msg);
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
static int
config_bad(struct config_loader *L, const config_setting_t *s,
    const char *where, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int
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
static int
config_bad_err(struct config_loader *L, const config_setting_t *s,
    const char *where, char *err)
{
	config_bad(L, s, where, "%s", err != NULL ? err : "invalid value");
	free(err);
	return -1;
}

static int
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

/* Edit distance, for "did you mean": keys are short, so the O(n*m) table
 * on the stack is fine; longer strings are simply not similar. */
static size_t
config_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, d[33][33], best;

	if (la > 32 || lb > 32)
		return SIZE_MAX;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++)
		for (j = 1; j <= lb; j++) {
			best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			d[i][j] = best;
		}
	return d[la][lb];
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
	size_t size = 0, d, best = 3;
	FILE *f = NULL;
	int rc;

	if ((f = open_memstream(&known, &size)) == NULL)
		return config_oom(L);
	for (k = table; k->name != NULL; k++) {
		fprintf(f, "%s%s", k != table ? ", " : "", k->name);
		if ((d = config_distance(name, k->name)) < best &&
		    d < strlen(k->name)) {
			best = d;
			near = k;
		}
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
 * header injection), identifiers from a small alphabet.  Messages may span
 * lines.
 */
static int
config_check_text(struct config_loader *L, const config_setting_t *s,
    const struct config_key *k, const char *where)
{
	const char *v = config_setting_get_string(s);
	size_t len = strlen(v), i;
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
	if (!(k->flags & KEY_NAME))
		return 0;
	if (len > CONFIG_NAME_MAX)
		return config_bad(L, s, where, "'%s' is longer than %d bytes",
		    v, CONFIG_NAME_MAX);
	for (i = 0; i < len; i++) {
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

/*
 * The heart of the table approach: every setting in group g must be a key
 * of `table`, of the key's type, and strings must be sane.  `where` names
 * the group in messages ("person 'anna'"; NULL at the top level).
 */
static int
config_check_group(struct config_loader *L, const config_setting_t *g,
    const struct config_key *table, const char *where)
{
	const struct config_key *k;
	config_setting_t *s, *e;
	int i, j, n = config_setting_length(g), m, t, ok;

	for (i = 0; i < n; i++) {
		s = config_setting_get_elem(g, (unsigned)i);
		for (k = table; k->name != NULL; k++)
			if (strcmp(k->name, config_setting_name(s)) == 0)
				break;
		if (k->name == NULL)
			return config_unknown_key(L, s, table, where);
		t = config_setting_type(s);
		switch (k->type) {
		case CONFIG_TYPE_INT:
			ok = t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64;
			break;
		case CONFIG_TYPE_ARRAY:
			ok = t == CONFIG_TYPE_ARRAY || t == CONFIG_TYPE_LIST;
			break;
		default:
			ok = t == k->type;
			break;
		}
		m = ok && config_setting_is_aggregate(s) ?
		    config_setting_length(s) : 0;
		for (j = 0; ok && k->type != CONFIG_TYPE_GROUP && j < m; j++) {
			e = config_setting_get_elem(s, (unsigned)j);
			ok = config_setting_type(e) == (k->type ==
			    CONFIG_TYPE_ARRAY ? CONFIG_TYPE_STRING :
			    CONFIG_TYPE_GROUP);
			if (ok && k->type == CONFIG_TYPE_ARRAY &&
			    config_check_text(L, e, k, where) != 0)
				return -1;
		}
		if (!ok)
			return config_fail(L, s, "'%s' must be %s (%s%s%s)",
			    k->name, config_type_name(k->type),
			    where != NULL ? where : "", where != NULL ? ": " :
			    "", k->help);
		if (k->type == CONFIG_TYPE_STRING &&
		    config_check_text(L, s, k, where) != 0)
			return -1;
	}
	return 0;
}

/* Keys of a channel that belong to another type ("from" on a webhook) are
 * mistakes too: the setting would do nothing. */
static int
config_check_applies(struct config_loader *L, const config_setting_t *g,
    unsigned type_flag, const char *type, const char *where)
{
	const struct config_key *k;
	config_setting_t *s;
	int i, n = config_setting_length(g);

	for (i = 0; i < n; i++) {
		s = config_setting_get_elem(g, (unsigned)i);
		for (k = config_keys_channel; k->name != NULL; k++)
			if (strcmp(k->name, config_setting_name(s)) == 0)
				break;
		if (k->name == NULL || (k->flags & type_flag))
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

/* A copy of the string at key, or NULL when the key is absent. */
static int
config_copy(struct config_loader *L, const config_setting_t *g,
    const char *key, char **out)
{
	const char *v = NULL;

	if (!config_setting_lookup_string(g, key, &v))
		return 0;
	if ((*out = strdup(v)) == NULL)
		return config_oom(L);
	return 0;
}

/*
 * A copy of the list of strings at key (NULL-terminated, count in *n).
 * With `unique`, a name listed twice is a mistake (a channel listed twice
 * would deliver twice).  An absent key leaves *out NULL; an empty list is
 * refused unless allow_empty.
 */
static int
config_copy_list(struct config_loader *L, const config_setting_t *g,
    const char *key, const char *where, int unique, int allow_empty,
    char ***out, size_t *n)
{
	config_setting_t *s = config_setting_get_member(g, key);
	const char *v;
	size_t i, j, len;

	if (s == NULL)
		return 0;
	len = (size_t)config_setting_length(s);
	if (len == 0 && !allow_empty)
		return config_bad(L, s, where, "empty list");
	if ((*out = calloc(len + 1, sizeof(char *))) == NULL)
		return config_oom(L);
	for (i = 0; i < len; i++) {
		v = config_setting_get_string_elem(s, (unsigned)i);
		for (j = 0; unique && j < i; j++)
			if (strcmp((*out)[j], v) == 0)
				return config_bad(L, s, where, "'%s' is listed "
				    "twice", v);
		if (((*out)[i] = strdup(v)) == NULL)
			return config_oom(L);
		(*n)++;
	}
	return 0;
}

static void
config_free_list(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

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

/* The path at key made absolute (default `def` when absent; NULL stays
 * NULL). */
static int
config_copy_path(struct config_loader *L, const config_setting_t *g,
    const char *key, const char *def, char **out)
{
	const char *v = def;

	config_setting_lookup_string(g, key, &v);
	if (v != NULL && (*out = config_resolve(L, v)) == NULL)
		return config_oom(L);
	return 0;
}

/*
 * A file the daemon will read must be readable now, by whoever checks the
 * config (the daemon's user under systemd): better a config error at
 * start than a dead delivery at 3 a.m.  open() rather than access(), so
 * what is tested is what the daemon will do; a directory opens too, hence
 * the fstat().
 */
static int
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
static int
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

/* An integer in [min, max]; libconfig makes big literals 64-bit, so those
 * are range-checked too instead of silently failing a 32-bit lookup. */
static int
config_int(struct config_loader *L, const config_setting_t *g,
    const char *key, const char *where, int min, int max, int *out)
{
	config_setting_t *s = config_setting_get_member(g, key);
	long long v;

	if (s == NULL)
		return 0;
	v = config_setting_get_int64(s);
	if (v < min || v > max)
		return config_bad(L, s, where, "%lld is out of range (%d to "
		    "%d)", v, min, max);
	*out = (int)v;
	return 0;
}

static void
config_bool(const config_setting_t *g, const char *key, int *out)
{
	int v;

	if (config_setting_lookup_bool(g, key, &v))
		*out = v != 0;
}

/*
 * A duration at key.  Returns 1 when present and valid, 0 when absent, -1
 * on error.  `elapsed` is for clocks that tick regardless of working days
 * (delivery retries): days fold into seconds and business days are refused.
 */
static int
config_duration(struct config_loader *L, const config_setting_t *g,
    const char *key, const char *where, int allow_zero, int elapsed,
    struct timeutil_duration *out)
{
	config_setting_t *s = config_setting_get_member(g, key);
	struct timeutil_duration d;
	char *err = NULL;

	if (s == NULL)
		return 0;
	if (timeutil_parse_duration_ex(config_setting_get_string(s),
	    allow_zero, &d, &err) != 0)
		return config_bad_err(L, s, where, err);
	if (elapsed) {
		if (d.business_days != 0)
			return config_bad(L, s, where, "'%s' is elapsed "
			    "time: use s, m, h, d or w, not business days",
			    config_setting_get_string(s));
		d.seconds += (int64_t)d.days * 86400;
		d.days = 0;
	}
	*out = d;
	return 1;
}

static int
config_zone(struct config_loader *L, const config_setting_t *s,
    const char *where, const char *zone)
{
	if (timeutil_zone_valid(zone))
		return 0;
	return config_bad(L, s, where, "unknown time zone '%s' (an IANA name "
	    "such as Europe/Stockholm or America/New_York)", zone);
}

/* Dates at key appended to *v (grown as needed). */
static int
config_holidays(struct config_loader *L, const config_setting_t *g,
    const char *where, int32_t **v, size_t *n)
{
	config_setting_t *s = config_setting_get_member(g, "holidays"), *e;
	int32_t *tmp, day;
	char *err = NULL;
	int i, len;

	if (s == NULL)
		return 0;
	len = config_setting_length(s);
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
static void
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

/* "log, email" for messages naming what exists; caller frees. */
static char *
config_channel_list(const struct config *cfg)
{
	char *out = NULL;
	size_t size = 0, i;
	FILE *f = NULL;

	if ((f = open_memstream(&out, &size)) == NULL)
		return NULL;
	for (i = 0; i < cfg->nchannels; i++)
		fprintf(f, "%s%s", i > 0 ? ", " : "", cfg->channels[i].name);
	if (fclose(f) != 0) {
		free(out);
		return NULL;
	}
	return out;
}

/* Every name in a notify list must be a channel. */
static int
config_check_notify(struct config_loader *L, const config_setting_t *g,
    const char *where, char **names, size_t n)
{
	char *known = NULL;
	size_t i;
	int rc = 0;

	for (i = 0; i < n && rc == 0; i++) {
		if (config_channel(L->cfg, names[i]) != NULL)
			continue;
		known = config_channel_list(L->cfg);
		rc = config_bad(L, config_setting_get_member(g, "notify"),
		    where, "unknown channel '%s' (channels: %s)", names[i],
		    known != NULL && *known != '\0' ? known : "none");
		free(known);
	}
	return rc;
}

/* "smtp://user@host:25/x" -> host "host" (brackets of [::1] dropped). */
static int
config_url_host(const char *url, char *host, size_t len)
{
	const char *a = strstr(url, "://"), *b;
	size_t n;

	if (a == NULL)
		return -1;
	a += 3;
	n = strcspn(a, "/?#");
	if (memchr(a, '@', n) != NULL)
		return -1;
	if (*a == '[') {
		if ((b = memchr(a, ']', n)) == NULL)
			return -1;
		a++;
	} else
		b = a + strcspn(a, ":/?#");
	n = (size_t)(b - a);
	if (n == 0 || n >= len)
		return -1;
	memcpy(host, a, n);
	host[n] = '\0';
	return 0;
}

/*
 * The url of a channel: the scheme its type speaks, a host, no password
 * in it (secrets live in files and URLs end up in logs), no spaces.
 */
static int
config_check_url(struct config_loader *L, const config_setting_t *g,
    const char *where, const char *url, const char *const *schemes,
    char *host, size_t hostlen)
{
	config_setting_t *s = config_setting_get_member(g, "url");
	const char *const *sc, *at, *start, *end;
	char shown[512];

	/* Messages show the url without any user:password@ in it: they end
	 * up in logs. */
	start = strstr(url, "://");
	start = start != NULL ? start + 3 : url;
	end = start + strcspn(start, "/?#");
	at = memchr(start, '@', (size_t)(end - start));
	if (at != NULL)
		snprintf(shown, sizeof(shown), "%.*s***%s", (int)(start - url),
		    url, at);
	else
		snprintf(shown, sizeof(shown), "%s", url);
	for (sc = schemes; *sc != NULL; sc++)
		if (strncasecmp(url, *sc, strlen(*sc)) == 0)
			break;
	if (*sc == NULL)
		return config_bad(L, s, where, "'%s' must start with %s or %s",
		    shown, schemes[0], schemes[1]);
	if (strpbrk(url, " \t") != NULL)
		return config_bad(L, s, where, "'%s' contains a space", shown);
	if (config_url_host(url, host, hostlen) != 0)
		return config_bad(L, s, where, "'%s' has no host, or has a "
		    "user or password in it (use username and password_file)",
		    shown);
	return 0;
}

/*
 * How messages name a group: "person 'anna'" by its name when that is
 * printable and short, else by position, "person #2" (the name itself may
 * be what is wrong).
 */
static void
config_where(const config_setting_t *g, const char *key, const char *kind,
    int index, char *buf, size_t len)
{
	const char *v = NULL;
	size_t i, n = 0;

	if (config_setting_lookup_string(g, key, &v) &&
	    (n = strlen(v)) > 0 && n <= CONFIG_NAME_MAX) {
		for (i = 0; i < n && (unsigned char)v[i] >= 0x20 &&
		    v[i] != 0x7f; i++)
			;
		if (i == n) {
			snprintf(buf, len, "%s '%s'", kind, v);
			return;
		}
	}
	snprintf(buf, len, "%s #%d", kind, index + 1);
}

/* A ca_file only means something where the channel verifies TLS. */
static int
config_ca_file_useful(struct config_loader *L, const config_setting_t *g,
    const struct config_channel *c, const char *where)
{
	const config_setting_t *s = config_setting_get_member(g, "ca_file");

	if (!c->tls_verify)
		return config_bad(L, s, where, "ca_file is of no use with "
		    "tls_verify = false: trust the CA and verify instead");
	if (c->type == CONFIG_CHANNEL_EMAIL && !c->tls_required)
		return config_bad(L, s, where, "ca_file is of no use without "
		    "TLS (tls = \"none\")");
	if (c->type == CONFIG_CHANNEL_WEBHOOK &&
	    strncasecmp(c->url, "http://", 7) == 0)
		return config_bad(L, s, where, "ca_file is of no use without "
		    "TLS (an http:// url)");
	return 0;
}

/*
 * One channel.  Loaded before people and rules, which name channels.
 * Each type takes its own keys; an email channel without TLS is allowed
 * only to a server on this machine, where there is no wire to protect.
 */
static int
config_load_channel(struct config_loader *L, const config_setting_t *g,
    int index, struct config_channel *c)
{
	static const char *const smtp[] = { "smtp://", "smtps://", NULL };
	static const char *const http[] = { "https://", "http://", NULL };
	const struct config_channel *dup;
	config_setting_t *s;
	const char *v = NULL, *type = NULL;
	char where[CONFIG_NAME_MAX + 32], host[256];
	unsigned flag;

	c->line = (int)config_setting_source_line(g);
	c->tls_verify = 1;
	config_where(g, "name", "channel", index, where, sizeof(where));
	if (config_check_group(L, g, config_keys_channel, where) != 0)
		return -1;
	if (config_copy(L, g, "name", &c->name) != 0)
		return -1;
	if (c->name == NULL)
		return config_fail(L, g, "%s needs a name", where);
	if ((dup = config_channel(L->cfg, c->name)) != NULL && dup != c)
		return config_fail(L, g, "channel '%s' is defined twice (first "
		    "on line %d)", c->name, dup->line);
	if (!config_setting_lookup_string(g, "type", &type))
		return config_fail(L, g, "%s needs a type: log, email or "
		    "webhook", where);
	if (strcmp(type, "log") == 0) {
		c->type = CONFIG_CHANNEL_LOG;
		flag = KEY_LOG;
	} else if (strcmp(type, "email") == 0) {
		c->type = CONFIG_CHANNEL_EMAIL;
		flag = KEY_EMAIL;
	} else if (strcmp(type, "webhook") == 0) {
		c->type = CONFIG_CHANNEL_WEBHOOK;
		flag = KEY_WEBHOOK;
	} else
		return config_bad(L, config_setting_get_member(g, "type"),
		    where, "unknown type '%s' (log, email or webhook)", type);
	if (config_check_applies(L, g, flag, type, where) != 0)
		return -1;
	if (config_copy(L, g, "url", &c->url) != 0 ||
	    config_copy(L, g, "from", &c->from) != 0 ||
	    config_copy(L, g, "username", &c->username) != 0 ||
	    config_copy_path(L, g, "password_file", NULL,
	    &c->password_file) != 0 ||
	    config_copy_path(L, g, "secret_file", NULL, &c->secret_file) != 0 ||
	    config_copy_path(L, g, "ca_file", NULL, &c->ca_file) != 0)
		return -1;
	config_bool(g, "tls_verify", &c->tls_verify);

	if (c->type == CONFIG_CHANNEL_EMAIL) {
		if (c->url == NULL)
			return config_fail(L, g, "%s needs a url, "
			    "\"smtp://host:587\" or \"smtps://host:465\"",
			    where);
		if (config_check_url(L, g, where, c->url, smtp, host,
		    sizeof(host)) != 0)
			return -1;
		if (c->from == NULL)
			return config_fail(L, g, "%s needs a from address, "
			    "such as \"nudge <nudge@example.com>\"", where);
		if (strchr(c->from, '@') == NULL)
			return config_bad(L, config_setting_get_member(g,
			    "from"), where, "'%s' has no address in it",
			    c->from);
		if ((c->username != NULL) != (c->password_file != NULL))
			return config_fail(L, g, "%s: username and "
			    "password_file go together", where);
		c->tls_required = 1;
		if ((s = config_setting_get_member(g, "tls")) != NULL) {
			v = config_setting_get_string(s);
			if (strcmp(v, "none") == 0)
				c->tls_required = 0;
			else if (strcmp(v, "required") != 0)
				return config_bad(L, s, where, "'%s' is neither "
				    "\"required\" nor \"none\"", v);
			if (!c->tls_required &&
			    strncasecmp(c->url, "smtps://", 8) == 0)
				return config_bad(L, s, where, "smtps:// is "
				    "always TLS; drop tls = \"none\"");
			if (!c->tls_required && strcasecmp(host,
			    "localhost") != 0 && strcmp(host, "127.0.0.1") !=
			    0 && strcmp(host, "::1") != 0)
				return config_bad(L, s, where, "tls = \"none\" "
				    "is only allowed for a loopback server "
				    "(127.0.0.1, ::1, localhost), not '%s'",
				    host);
		}
	} else if (c->type == CONFIG_CHANNEL_WEBHOOK) {
		if (c->url == NULL)
			return config_fail(L, g, "%s: a webhook needs a url, "
			    "\"https://...\"", where);
		if (config_check_url(L, g, where, c->url, http, host,
		    sizeof(host)) != 0)
			return -1;
		c->format = CONFIG_WEBHOOK_JSON;
		if ((s = config_setting_get_member(g, "format")) != NULL) {
			v = config_setting_get_string(s);
			if (strcmp(v, "slack") == 0)
				c->format = CONFIG_WEBHOOK_SLACK;
			else if (strcmp(v, "json") != 0)
				return config_bad(L, s, where, "unknown format "
				    "'%s' (json or slack)", v);
		}
	}
	if (c->ca_file != NULL && config_ca_file_useful(L, g, c, where) != 0)
		return -1;
	if (c->password_file != NULL && config_readable(L,
	    config_setting_get_member(g, "password_file"), where,
	    c->password_file) != 0)
		return -1;
	if (c->secret_file != NULL && config_readable(L,
	    config_setting_get_member(g, "secret_file"), where,
	    c->secret_file) != 0)
		return -1;
	/* Not a secret: no credential stands in for it. */
	if (c->ca_file != NULL && config_readable_as_named(L,
	    config_setting_get_member(g, "ca_file"), where, c->ca_file) != 0)
		return -1;
	return 0;
}

/* An address for the To: line: one @, nothing a header could trip on. */
static int
config_email_ok(const char *s)
{
	const char *at = strchr(s, '@');

	return at != NULL && at != s && at[1] != '\0' &&
	    strchr(at + 1, '@') == NULL && strpbrk(s, " \t<>,;\"()") == NULL;
}

/*
 * One person.  Defaults fill in what is not said (the top-level zone,
 * 09:00-17:00, mon-fri, the log channel); holidays are the shared ones plus
 * the person's own, so the time arithmetic needs only this struct.
 */
static int
config_load_person(struct config_loader *L, const config_setting_t *g,
    int index, const int32_t *shared, size_t nshared,
    struct config_person *p)
{
	const struct config_person *dup;
	const struct config_channel *ch;
	config_setting_t *s;
	char where[CONFIG_NAME_MAX + 32], *err = NULL;
	size_t i;

	p->line = (int)config_setting_source_line(g);
	p->digest_min = -1;
	p->hours_start = 9 * 60;
	p->hours_end = 17 * 60;
	p->days = TIMEUTIL_WEEKDAYS;
	config_where(g, "handle", "person", index, where, sizeof(where));
	if (config_check_group(L, g, config_keys_person, where) != 0)
		return -1;
	if (config_copy(L, g, "handle", &p->handle) != 0)
		return -1;
	if (p->handle == NULL)
		return config_fail(L, g, "%s needs a handle", where);
	if ((dup = config_person(L->cfg, p->handle)) != NULL && dup != p)
		return config_fail(L, g, "person '%s' is defined twice (first "
		    "on line %d)", p->handle, dup->line);
	if (config_copy(L, g, "name", &p->name) != 0 ||
	    config_copy(L, g, "email", &p->email) != 0 ||
	    config_copy(L, g, "timezone", &p->timezone) != 0)
		return -1;
	if (p->email != NULL && !config_email_ok(p->email))
		return config_bad(L, config_setting_get_member(g, "email"),
		    where, "'%s' is not an email address (name@domain)",
		    p->email);
	if (p->timezone == NULL) {
		if ((p->timezone = strdup(L->cfg->timezone)) == NULL)
			return config_oom(L);
	} else if (config_zone(L, config_setting_get_member(g, "timezone"),
	    where, p->timezone) != 0)
		return -1;
	if ((s = config_setting_get_member(g, "hours")) != NULL &&
	    timeutil_parse_hours(config_setting_get_string(s),
	    &p->hours_start, &p->hours_end, &err) != 0)
		return config_bad_err(L, s, where, err);
	if ((s = config_setting_get_member(g, "days")) != NULL &&
	    timeutil_parse_days(config_setting_get_string(s), &p->days,
	    &err) != 0)
		return config_bad_err(L, s, where, err);
	if ((s = config_setting_get_member(g, "digest")) != NULL &&
	    timeutil_parse_clock(config_setting_get_string(s),
	    &p->digest_min, &err) != 0)
		return config_bad_err(L, s, where, err);
	if (config_int(L, g, "capacity", where, 0, CONFIG_INT_MAX,
	    &p->capacity) != 0)
		return -1;
	config_bool(g, "weekly_summary", &p->weekly_summary);

	if (config_copy_list(L, g, "notify", where, 1, 0, &p->notify,
	    &p->nnotify) != 0)
		return -1;
	if (p->notify == NULL) {
		if (config_channel(L->cfg, "log") == NULL)
			return config_fail(L, g, "%s has no notify list and "
			    "there is no channel named 'log' to default to",
			    where);
		if ((p->notify = calloc(2, sizeof(char *))) == NULL ||
		    (p->notify[0] = strdup("log")) == NULL)
			return config_oom(L);
		p->nnotify = 1;
	}
	if (config_check_notify(L, g, where, p->notify, p->nnotify) != 0)
		return -1;
	for (i = 0; i < p->nnotify; i++) {
		ch = config_channel(L->cfg, p->notify[i]);
		if (ch->type == CONFIG_CHANNEL_EMAIL && p->email == NULL)
			return config_fail(L, g, "%s is notified on email "
			    "channel '%s' but has no email", where, ch->name);
	}

	if (nshared > 0) {
		if ((p->holidays = malloc(nshared * sizeof(int32_t))) == NULL)
			return config_oom(L);
		memcpy(p->holidays, shared, nshared * sizeof(int32_t));
		p->nholidays = nshared;
	}
	if (config_holidays(L, g, where, &p->holidays, &p->nholidays) != 0)
		return -1;
	config_sort_days(p->holidays, &p->nholidays);
	return 0;
}

static int
config_in(const char *const *list, const char *s)
{
	for (; *list != NULL; list++)
		if (strcmp(*list, s) == 0)
			return 1;
	return 0;
}

/*
 * One rule.  Besides the values, the combinations: exactly one of after
 * and before, `before` only for events known in advance, repeat only where
 * the engine repeats (overdue promises), escalation only with repeat, a
 * {{gesture}} only with gestures to pick from.  A setting the engine would
 * ignore is reported, not accepted.
 */
static int
config_load_rule(struct config_loader *L, const config_setting_t *g,
    int index, struct config_rule *r)
{
	const char *no_gesture[32];
	const struct config_rule *dup;
	const struct config_channel *ch;
	config_setting_t *s, *after, *before;
	char where[CONFIG_NAME_MAX + 32], *err = NULL, *known = NULL;
	size_t i, k;
	int rc;

	r->line = (int)config_setting_source_line(g);
	r->at_min = -1;
	config_where(g, "name", "rule", index, where, sizeof(where));
	if (config_check_group(L, g, config_keys_rule, where) != 0)
		return -1;
	if (config_copy(L, g, "name", &r->name) != 0)
		return -1;
	if (r->name == NULL)
		return config_fail(L, g, "%s needs a name", where);
	for (i = 0; i < L->cfg->nrules; i++) {
		dup = &L->cfg->rules[i];
		if (dup != r && dup->name != NULL &&
		    strcmp(dup->name, r->name) == 0)
			return config_fail(L, g, "rule '%s' is defined twice "
			    "(first on line %d)", r->name, dup->line);
	}
	if (config_copy(L, g, "on", &r->on) != 0 ||
	    config_copy(L, g, "message", &r->message) != 0 ||
	    config_copy(L, g, "escalate_to", &r->escalate_to) != 0)
		return -1;
	if (r->on == NULL)
		return config_fail(L, g, "%s needs on = \"EVENT\" (deal.won, "
		    "deal.lost, deal.closing, promise.target, promise.due, "
		    "promise.overdue or promise.kept)", where);
	if (!config_in(config_rule_events, r->on))
		return config_bad(L, config_setting_get_member(g, "on"), where,
		    "unknown event '%s' (deal.won, deal.lost, deal.closing, "
		    "promise.target, promise.due, promise.overdue or "
		    "promise.kept)", r->on);

	after = config_setting_get_member(g, "after");
	before = config_setting_get_member(g, "before");
	if (after == NULL && before == NULL)
		return config_fail(L, g, "%s needs after or before (exactly "
		    "one), such as after = \"3bd\"", where);
	if (after != NULL && before != NULL)
		return config_fail(L, before, "%s has both after and before: "
		    "keep exactly one", where);
	r->before = before != NULL;
	if (r->before && !config_in(config_events_ahead, r->on))
		return config_bad(L, before, where, "'%s' happens when it "
		    "happens: only deal.closing, promise.target and "
		    "promise.due can have a reminder before them", r->on);
	if (config_duration(L, g, r->before ? "before" : "after", where, 1, 0,
	    &r->offset) < 0)
		return -1;
	if ((s = config_setting_get_member(g, "at")) != NULL &&
	    timeutil_parse_clock(config_setting_get_string(s), &r->at_min,
	    &err) != 0)
		return config_bad_err(L, s, where, err);

	if (config_copy_list(L, g, "gestures", where, 0, 1, &r->gestures,
	    &r->ngestures) != 0)
		return -1;
	if (r->message == NULL)
		return config_fail(L, g, "%s needs a message", where);
	s = config_setting_get_member(g, "message");
	if (template_check(r->message, template_rule_variables, &err) != 0)
		return config_bad_err(L, s, where, err);
	/* Checked again without {{gesture}}: does the message use it? */
	for (i = 0, k = 0; template_rule_variables[i] != NULL &&
	    k + 1 < sizeof(no_gesture) / sizeof(no_gesture[0]); i++)
		if (strcmp(template_rule_variables[i], "gesture") != 0)
			no_gesture[k++] = template_rule_variables[i];
	no_gesture[k] = NULL;
	rc = template_check(r->message, no_gesture, NULL);
	if (rc == 0 && r->ngestures > 0)
		return config_fail(L, config_setting_get_member(g, "gestures"),
		    "%s lists gestures but its message has no {{gesture}}",
		    where);
	if (rc != 0 && r->ngestures == 0)
		return config_bad(L, s, where, "{{gesture}} needs a list of "
		    "gestures = [ ... ] in the rule");

	if (config_copy_list(L, g, "notify", where, 1, 0, &r->notify,
	    &r->nnotify) != 0 ||
	    config_check_notify(L, g, where, r->notify, r->nnotify) != 0)
		return -1;
	/* Anyone may own a deal or promise: an email channel in a rule needs
	 * an address for everyone. */
	for (i = 0; i < r->nnotify; i++) {
		ch = config_channel(L->cfg, r->notify[i]);
		if (ch->type != CONFIG_CHANNEL_EMAIL)
			continue;
		for (k = 0; k < L->cfg->npeople; k++)
			if (L->cfg->people[k].email == NULL)
				return config_fail(L,
				    config_setting_get_member(g, "notify"),
				    "%s notifies email channel '%s' but "
				    "person '%s' has no email", where,
				    ch->name, L->cfg->people[k].handle);
	}

	if ((rc = config_duration(L, g, "repeat", where, 0, 0,
	    &r->repeat)) < 0)
		return -1;
	r->has_repeat = rc;
	if (r->has_repeat && strcmp(r->on, "promise.overdue") != 0)
		return config_bad(L, config_setting_get_member(g, "repeat"),
		    where, "only promise.overdue rules repeat (while the "
		    "promise stays open)");
	s = config_setting_get_member(g, "escalate_after");
	if (s != NULL && r->escalate_to == NULL)
		return config_bad(L, s, where, "needs escalate_to, the person "
		    "to escalate to");
	if (r->escalate_to != NULL) {
		if (!r->has_repeat)
			return config_bad(L, config_setting_get_member(g,
			    "escalate_to"), where, "escalation happens after "
			    "repeats: set repeat too");
		if (config_person(L->cfg, r->escalate_to) == NULL) {
			known = config_people_list(L->cfg);
			rc = config_bad(L, config_setting_get_member(g,
			    "escalate_to"), where, "unknown person '%s' "
			    "(people: %s)", r->escalate_to, known != NULL ?
			    known : "none");
			free(known);
			return rc;
		}
		r->escalate_after = 1;
		if (config_int(L, g, "escalate_after", where, 1,
		    CONFIG_INT_MAX, &r->escalate_after) != 0)
			return -1;
	}
	config_bool(g, "second_chocolate", &r->second_chocolate);
	r->window.days = 7;
	if ((rc = config_duration(L, g, "window", where, 0, 0,
	    &r->window)) < 0 || (rc = config_duration(L, g, "once_per", where,
	    0, 0, &r->once_per)) < 0)
		return -1;
	r->has_once_per = rc;
	for (i = 0; i < 2; i++) {
		s = config_setting_get_member(g, i == 0 ? "window" : "once_per");
		if (s != NULL && !r->second_chocolate)
			return config_bad(L, s, where, "only a rule with "
			    "second_chocolate = true has a %s", i == 0 ?
			    "window" : "once_per");
	}
	if (r->second_chocolate && strcmp(r->on, "deal.won") != 0)
		return config_bad(L, config_setting_get_member(g,
		    "second_chocolate"), where, "the second chocolate comes "
		    "after a won deal: on = \"deal.won\"");
	return 0;
}

/* Slack bounds in one unit when they share one, so min <= max can be
 * checked; -1 when they cannot be compared (hours against business
 * days depend on the person). */
static int
config_slack_order(const struct timeutil_duration *min,
    const struct timeutil_duration *max)
{
	if (min->business_days == 0 && max->business_days == 0)
		return min->seconds + (int64_t)min->days * 86400 <=
		    max->seconds + (int64_t)max->days * 86400;
	if (min->seconds == 0 && min->days == 0 && max->seconds == 0 &&
	    max->days == 0)
		return min->business_days <= max->business_days;
	return -1;
}

/* The promises group: the slack that puts the internal target before the
 * customer's date, and the over-promise check.  Set phrases replace the
 * built-in list ([] turns the check off). */
static int
config_load_promises(struct config_loader *L, const config_setting_t *g)
{
	struct config_promises *p = &L->cfg->promises;
	config_setting_t *s;
	const char *v;
	char *end = NULL, **phrases = NULL;
	size_t nphrases = 0;
	long pct;

	if (g == NULL)
		return 0;
	if (config_check_group(L, g, config_keys_promises, "promises") != 0)
		return -1;
	if ((s = config_setting_get_member(g, "slack")) != NULL) {
		v = config_setting_get_string(s);
		errno = 0;
		pct = strtol(v, &end, 10);
		while (end != v && *end == ' ')
			end++;
		if (end == v || strcmp(end, "%") != 0 || errno != 0 ||
		    pct < 0 || pct > 100)
			return config_bad(L, s, "promises", "'%s' must be a "
			    "share of the lead time from \"0%%\" to \"100%%\", "
			    "such as \"25%%\"", v);
		p->slack_percent = (int)pct;
	}
	if (config_duration(L, g, "min_slack", "promises", 1, 0,
	    &p->min_slack) < 0 ||
	    config_duration(L, g, "max_slack", "promises", 1, 0,
	    &p->max_slack) < 0)
		return -1;
	if (config_slack_order(&p->min_slack, &p->max_slack) == 0)
		return config_fail(L, config_setting_get_member(g,
		    "max_slack") != NULL ? config_setting_get_member(g,
		    "max_slack") : g, "promises: max_slack is less than "
		    "min_slack");
	if (config_copy_list(L, g, "phrases", "promises", 0, 1, &phrases,
	    &nphrases) != 0) {
		config_free_list(phrases, nphrases);
		return -1;
	}
	if (phrases != NULL) {
		config_free_list(p->phrases, p->nphrases);
		p->phrases = phrases;
		p->nphrases = nphrases;
	}
	config_bool(g, "strict", &p->strict);
	return 0;
}

/* The delivery group: retry policy.  Business days make no sense for a
 * retry clock, so these are plain elapsed seconds. */
static int
config_load_delivery(struct config_loader *L, const config_setting_t *g)
{
	struct config_delivery *d = &L->cfg->delivery;

	if (g == NULL)
		return 0;
	if (config_check_group(L, g, config_keys_delivery, "delivery") != 0 ||
	    config_int(L, g, "attempts", "delivery", 1, 100,
	    &d->attempts) != 0 ||
	    config_duration(L, g, "backoff", "delivery", 0, 1,
	    &d->backoff) < 0 ||
	    config_duration(L, g, "max_backoff", "delivery", 0, 1,
	    &d->max_backoff) < 0 ||
	    config_duration(L, g, "timeout", "delivery", 0, 1,
	    &d->timeout) < 0 ||
	    config_duration(L, g, "late_after", "delivery", 0, 1,
	    &d->late_after) < 0)
		return -1;
	if (d->max_backoff.seconds < d->backoff.seconds)
		return config_fail(L, config_setting_get_member(g,
		    "max_backoff") != NULL ? config_setting_get_member(g,
		    "max_backoff") : g, "delivery: max_backoff is shorter "
		    "than backoff");
	return 0;
}

/* Built-in defaults, in place before the file is read, so what the file
 * does not say is the documented default. */
/* "fri 16:00": one weekday and a local time of day. */
static int
config_weekly(struct config_loader *L, const config_setting_t *s,
    struct config *cfg)
{
	const char *v = config_setting_get_string(s);
	char day[16], *err = NULL;
	unsigned days;
	int k;

	if (v == NULL || sscanf(v, "%15s", day) != 1 || strchr(v, ' ') == NULL)
		return config_bad(L, s, NULL, "'%s' is not a day and a time "
		    "such as \"fri 16:00\"", v != NULL ? v : "");
	if (timeutil_parse_days(day, &days, &err) != 0) {
		free(err);
		return config_bad(L, s, NULL, "'%s' is not a day and a time "
		    "such as \"fri 16:00\"", v);
	}
	for (k = 0; k < 7 && days != (1u << k); k++)
		;
	if (k == 7)
		return config_bad(L, s, NULL, "'%s': one day of the week, such "
		    "as \"fri 16:00\"", v);
	if (timeutil_parse_clock(strchr(v, ' ') + 1, &cfg->weekly_min,
	    &err) != 0)
		return config_bad_err(L, s, NULL, err);
	cfg->weekly_day = k;
	return 0;
}

static int
config_defaults(struct config *cfg)
{
	size_t i, n;

	cfg->weekly_day = -1;
	cfg->promises.slack_percent = 25;
	cfg->promises.min_slack.seconds = 4 * 3600;
	cfg->promises.max_slack.business_days = 3;
	for (n = 0; config_default_phrases[n] != NULL; n++)
		;
	if ((cfg->promises.phrases = calloc(n + 1, sizeof(char *))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		if ((cfg->promises.phrases[i] =
		    strdup(config_default_phrases[i])) == NULL)
			return -1;
		cfg->promises.nphrases++;
	}
	cfg->delivery.attempts = 8;
	cfg->delivery.backoff.seconds = 30;
	cfg->delivery.max_backoff.seconds = 6 * 3600;
	cfg->delivery.timeout.seconds = 10;
	cfg->delivery.late_after.seconds = 24 * 3600;
	return 0;
}

/*
 * Room for the groups of the list at key.  The count (*n) grows only as
 * each element is loaded, so config_free() after a failure frees exactly
 * what was filled in.
 */
static int
config_alloc(struct config_loader *L, const config_setting_t *root,
    const char *key, size_t size, void **arr, config_setting_t **list)
{
	size_t len;

	*list = config_setting_get_member(root, key);
	len = *list != NULL ? (size_t)config_setting_length(*list) : 0;
	if (len > 0 && (*arr = calloc(len, size)) == NULL)
		return config_oom(L);
	return 0;
}

/*
 * The top level, then the groups in dependency order: channels (people,
 * rules and ops name them), people (rules name them), rules, policies.
 */
static int
config_load_root(struct config_loader *L, const config_setting_t *root)
{
	struct config *cfg = L->cfg;
	config_setting_t *list, *s;
	int32_t *shared = NULL;
	size_t nshared = 0;
	char sock[256], *err = NULL, *known = NULL;
	const char *v = "UTC";
	int i, rc = -1;

	if (config_check_group(L, root, config_keys_top, NULL) != 0)
		goto out;
	config_setting_lookup_string(root, "timezone", &v);
	if ((cfg->timezone = strdup(v)) == NULL) {
		config_oom(L);
		goto out;
	}
	if (config_zone(L, config_setting_get_member(root, "timezone"), NULL,
	    cfg->timezone) != 0 ||
	    config_copy_path(L, root, "database", "/var/lib/nudge/nudge.db",
	    &cfg->database) != 0 ||
	    config_copy_path(L, root, "runtime_dir", "/run/nudge",
	    &cfg->runtime_dir) != 0 ||
	    config_copy(L, root, "ops", &cfg->ops) != 0)
		goto out;
	if ((s = config_setting_get_member(root, "weekly_summary")) != NULL &&
	    config_weekly(L, s, cfg) != 0)
		goto out;
	if (wake_socket_path(cfg->runtime_dir, sock, sizeof(sock), &err) !=
	    0) {
		config_bad_err(L, config_setting_get_member(root,
		    "runtime_dir"), NULL, err);
		goto out;
	}
	if (config_holidays(L, root, NULL, &shared, &nshared) != 0)
		goto out;
	config_sort_days(shared, &nshared);

	if (config_alloc(L, root, "channels", sizeof(*cfg->channels),
	    (void **)&cfg->channels, &list) != 0)
		goto out;
	for (i = 0; list != NULL && i < config_setting_length(list); i++) {
		cfg->nchannels++;
		if (config_load_channel(L, config_setting_get_elem(list,
		    (unsigned)i), i, &cfg->channels[i]) != 0)
			goto out;
	}
	if (cfg->ops != NULL && config_channel(cfg, cfg->ops) == NULL) {
		s = config_setting_get_member(root, "ops");
		known = config_channel_list(cfg);
		config_bad(L, s, NULL, "unknown channel '%s' (channels: %s)",
		    cfg->ops, known != NULL && *known != '\0' ? known :
		    "none");
		goto out;
	}

	if (config_alloc(L, root, "people", sizeof(*cfg->people),
	    (void **)&cfg->people, &list) != 0)
		goto out;
	for (i = 0; list != NULL && i < config_setting_length(list); i++) {
		cfg->npeople++;
		if (config_load_person(L, config_setting_get_elem(list,
		    (unsigned)i), i, shared, nshared, &cfg->people[i]) != 0)
			goto out;
	}

	if (config_alloc(L, root, "rules", sizeof(*cfg->rules),
	    (void **)&cfg->rules, &list) != 0)
		goto out;
	for (i = 0; list != NULL && i < config_setting_length(list); i++) {
		cfg->nrules++;
		if (config_load_rule(L, config_setting_get_elem(list,
		    (unsigned)i), i, &cfg->rules[i]) != 0)
			goto out;
	}

	if (config_load_promises(L, config_setting_get_member(root,
	    "promises")) != 0 ||
	    config_load_delivery(L, config_setting_get_member(root,
	    "delivery")) != 0)
		goto out;
	rc = 0;
out:
	free(known);
	free(shared);
	return rc;
}

/* libconfig's limit on nested @include (MAX_INCLUDE_DEPTH). */
#define CONFIG_INCLUDE_DEPTH 10

static int config_check_includes(struct config_loader *L, const char *file,
    int depth);

/* One @include NAME found at file:line; see config_check_includes(). */
static int
config_check_include(struct config_loader *L, const char *file, int line,
    const char *name, int depth)
{
	struct stat sb;
	char *full = NULL;
	int rc = 0;

	if (depth == CONFIG_INCLUDE_DEPTH)
		return 1;
	if (asprintf(&full, "%s/%s", L->dir, name) < 0)
		return config_oom(L);
	if (stat(full, &sb) != 0) {
		/* libconfig says it cannot open it (unless the line is in a
		 * comment): config_unopened_at() finds which and why. */
		int error = errno;

		if (L->nunopened < CONFIG_UNOPENED_MAX) {
			struct config_unopened *u =
			    &L->unopened[L->nunopened];

			if ((u->in = strdup(file)) == NULL)
				rc = config_oom(L);
			else {
				u->line = line;
				u->full = full;
				u->error = error;
				full = NULL;
				L->nunopened++;
			}
		}
	} else if (!S_ISREG(sb.st_mode))
		rc = err_set(L->errp, "%s:%d: @include \"%s\": %s is not a "
		    "regular file", file, line, name, full);
	else
		rc = config_check_includes(L, full, depth + 1);
	free(full);
	return rc;
}

/*
 * The NAME of `@include "NAME"`, read after its opening quote the way
 * libconfig's scanner reads it.  0 with name set; 1 for a name libconfig
 * would mangle: a NUL or a newline in it, a backslash other than \\ or \"
 * (the scanner prints those to stdout), or too long; -1 when the file ends
 * first.  Newlines read are added to *line.
 */
static int
config_include_name(FILE *f, char *name, size_t size, int *line)
{
	size_t len = 0;
	int c, bad = 0;

	while ((c = getc(f)) != EOF && c != '"') {
		if (c == '\\') {
			c = getc(f);
			if (c != '\\' && c != '"')
				bad = 1;
			if (c == EOF)
				break;
		}
		if (c == '\n')
			(*line)++;
		if (c < 0x20 || len == size - 1)
			bad = 1;
		else
			name[len++] = (char)c;
	}
	name[len] = '\0';
	return bad ? 1 : c == EOF ? -1 : 0;
}

/*
 * libconfig 1.5 (Debian 12) reads an @included file with a flex scanner
 * that calls exit() when a read fails, as it does on a directory ("input in
 * flex scanner failed"), and opening a FIFO blocks for ever.  So before
 * libconfig reads anything, the @includes are followed here as its scanner
 * finds them (`@include "NAME"` starting a line) and as 1.5 opens them
 * (NAME after the include directory, even when absolute), and one that
 * exists but is not a regular file is refused.  A missing one is left to
 * libconfig, whose message config_load() then completes with the path
 * and the reason remembered here; one nested too deep is left to
 * libconfig's own message.  Lines inside
 * comments are looked at too: a directory named there deserves a message
 * anyway.  Returns 0, 1 when nesting went too deep (stop looking), or -1
 * with the message set.
 */
static int
config_check_includes(struct config_loader *L, const char *file, int depth)
{
	static const char directive[] = "@include";
	char name[PATH_MAX];
	FILE *f;
	size_t i;
	int c, line = 1, at, r, rc = 0;

	if ((f = fopen(file, "r")) == NULL)
		return 0;
	c = getc(f);
	while (c != EOF && rc == 0) {
		/* c is the first character of a line. */
		while (c == ' ' || c == '\t')
			c = getc(f);
		for (i = 0; directive[i] != '\0' && c == directive[i]; i++)
			c = getc(f);
		if (directive[i] == '\0' && (c == ' ' || c == '\t')) {
			while (c == ' ' || c == '\t')
				c = getc(f);
			if (c == '"') {
				at = line;
				r = config_include_name(f, name, sizeof(name),
				    &line);
				if (r > 0)
					rc = err_set(L->errp, "%s:%d: the "
					    "@include name has a control "
					    "character, a stray backslash or "
					    "is too long", file, at);
				else if (r == 0)
					rc = config_check_include(L, file, at,
					    name, depth);
				c = r < 0 ? EOF : getc(f);
			}
		}
		while (c != EOF && c != '\n')
			c = getc(f);
		if (c == '\n') {
			line++;
			c = getc(f);
		}
	}
	fclose(f);
	return rc;
}

/* The @include at in:line that could not be opened; NULL when the
 * includes were followed without finding one there. */
static const struct config_unopened *
config_unopened_at(const struct config_loader *L, const char *in, int line)
{
	size_t i;

	for (i = 0; i < L->nunopened; i++)
		if (L->unopened[i].line == line &&
		    strcmp(L->unopened[i].in, in) == 0)
			return &L->unopened[i];
	return NULL;
}

static void
config_unopened_free(struct config_loader *L)
{
	size_t i;

	for (i = 0; i < L->nunopened; i++) {
		free(L->unopened[i].in);
		free(L->unopened[i].full);
	}
	L->nunopened = 0;
}

/*
 * Read, parse and validate the file at path.  The file is opened first so
 * a missing or unreadable file gets strerror() rather than libconfig's
 * "file I/O error"; its directory is made absolute for relative paths and
 * @include.
 */
int
config_load(const char *path, struct config **out, char **errp)
{
	const struct config_unopened *unopened;
	struct config_loader L;
	struct config *cfg = NULL;
	struct stat sb;
	config_t lc;
	char *copy = NULL, *slash, *where = NULL;
	const char *base, *file;
	int fd = -1, rc = -1, line;

	*out = NULL;
	memset(&L, 0, sizeof(L));
	L.file = path;
	L.errp = errp;
	config_init(&lc);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0) {
		err_set(errp, "cannot read configuration %s: %s", path,
		    strerror(errno));
		goto out;
	}
	if (fstat(fd, &sb) != 0) {
		err_set(errp, "cannot read configuration %s: %s", path,
		    strerror(errno));
		goto out;
	}
	if (!S_ISREG(sb.st_mode)) {
		err_set(errp, "cannot read configuration %s: %s", path,
		    S_ISDIR(sb.st_mode) ? "it is a directory" :
		    "not a regular file");
		goto out;
	}
	/* The directory part, resolved; the file name is kept as is. */
	if ((copy = strdup(path)) == NULL) {
		config_oom(&L);
		goto out;
	}
	if ((slash = strrchr(copy, '/')) == NULL) {
		base = path;
		L.dir = realpath(".", NULL);
	} else {
		base = path + (slash - copy) + 1;
		slash[slash == copy ? 1 : 0] = '\0';
		L.dir = realpath(copy, NULL);
	}
	if (L.dir == NULL) {
		err_set(errp, "cannot resolve the directory of %s: %s", path,
		    strerror(errno));
		goto out;
	}
	config_set_include_dir(&lc, L.dir);
	if (config_check_includes(&L, path, 0) < 0)
		goto out;
	if (!config_read_file(&lc, path)) {
		/* A syntax error, possibly in an @included file (named as
		 * written, relative to L.dir), or an include that cannot be
		 * read. */
		file = config_error_file(&lc) != NULL ?
		    config_error_file(&lc) : path;
		if ((strcmp(file, path) != 0 && file[0] != '/' ?
		    asprintf(&where, "%s/%s", L.dir, file) :
		    asprintf(&where, "%s", file)) < 0) {
			where = NULL;
			config_oom(&L);
			goto out;
		}
		line = config_error_line(&lc);
		if ((unopened = config_unopened_at(&L, where, line)) != NULL)
			err_set(errp, "%s:%d: cannot open the @included file "
			    "%s: %s", where, line, unopened->full,
			    strerror(unopened->error));
		else
			err_set(errp, "%s:%d: %s", where, line,
			    config_error_text(&lc));
		goto out;
	}
	if ((cfg = calloc(1, sizeof(*cfg))) == NULL ||
	    config_defaults(cfg) != 0 ||
	    asprintf(&cfg->path, "%s%s%s", L.dir, strcmp(L.dir, "/") != 0 ?
	    "/" : "", base) < 0) {
		if (cfg != NULL)
			cfg->path = NULL;
		config_oom(&L);
		goto out;
	}
	L.cfg = cfg;
	if (config_load_root(&L, config_root_setting(&lc)) != 0)
		goto out;
	*out = cfg;
	cfg = NULL;
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	free(copy);
	free(where);
	free(L.dir);
	config_unopened_free(&L);
	config_destroy(&lc);
	config_free(cfg);
	return rc;
}

void
config_free(struct config *cfg)
{
	size_t i;

	if (cfg == NULL)
		return;
	for (i = 0; i < cfg->npeople; i++) {
		free(cfg->people[i].handle);
		free(cfg->people[i].name);
		free(cfg->people[i].email);
		free(cfg->people[i].timezone);
		config_free_list(cfg->people[i].notify,
		    cfg->people[i].nnotify);
		free(cfg->people[i].holidays);
	}
	free(cfg->people);
	for (i = 0; i < cfg->nchannels; i++) {
		free(cfg->channels[i].name);
		free(cfg->channels[i].url);
		free(cfg->channels[i].from);
		free(cfg->channels[i].username);
		free(cfg->channels[i].password_file);
		free(cfg->channels[i].secret_file);
		free(cfg->channels[i].ca_file);
	}
	free(cfg->channels);
	for (i = 0; i < cfg->nrules; i++) {
		free(cfg->rules[i].name);
		free(cfg->rules[i].on);
		free(cfg->rules[i].message);
		free(cfg->rules[i].escalate_to);
		config_free_list(cfg->rules[i].notify, cfg->rules[i].nnotify);
		config_free_list(cfg->rules[i].gestures,
		    cfg->rules[i].ngestures);
	}
	free(cfg->rules);
	config_free_list(cfg->promises.phrases, cfg->promises.nphrases);
	free(cfg->path);
	free(cfg->database);
	free(cfg->timezone);
	free(cfg->runtime_dir);
	free(cfg->ops);
	free(cfg);
}

const char *
config_default_path(void)
{
	const char *env = getenv("NUDGE_CONFIG");

	return env != NULL && *env != '\0' ? env :
	    NUDGE_SYSCONFDIR "/nudge/nudge.conf";
}

const struct config_person *
config_person(const struct config *cfg, const char *handle)
{
	size_t i;

	if (cfg == NULL || handle == NULL)
		return NULL;
	for (i = 0; i < cfg->npeople; i++)
		if (cfg->people[i].handle != NULL &&
		    strcmp(cfg->people[i].handle, handle) == 0)
			return &cfg->people[i];
	return NULL;
}

const struct config_channel *
config_channel(const struct config *cfg, const char *name)
{
	size_t i;

	if (cfg == NULL || name == NULL)
		return NULL;
	for (i = 0; i < cfg->nchannels; i++)
		if (cfg->channels[i].name != NULL &&
		    strcmp(cfg->channels[i].name, name) == 0)
			return &cfg->channels[i];
	return NULL;
}

/* NULL when there is nobody (callers print "none") or out of memory. */
char *
config_people_list(const struct config *cfg)
{
	char *out = NULL;
	size_t size = 0, i, n = 0;
	FILE *f = NULL;

	if (cfg == NULL || cfg->npeople == 0)
		return NULL;
	if ((f = open_memstream(&out, &size)) == NULL)
		return NULL;
	for (i = 0; i < cfg->npeople; i++)
		if (cfg->people[i].handle != NULL)
			fprintf(f, "%s%s", n++ > 0 ? ", " : "",
			    cfg->people[i].handle);
	if (fclose(f) != 0 || n == 0) {
		free(out);
		return NULL;
	}
	return out;
}
