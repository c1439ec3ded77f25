#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libconfig.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "template.h"

#ifndef NUDGE_SYSCONFDIR
#define NUDGE_SYSCONFDIR "/etc"
#endif

/* The kinds of value a key takes. */
enum config_kind {
	KIND_STRING,
	KIND_INT,
	KIND_BOOL,
	KIND_STRINGS,   /* [ "a", "b" ] or ( "a", "b" ) */
	KIND_GROUPS,    /* ( { ... }, { ... } ) */
	KIND_GROUP,     /* { ... } */
};

/* One row per setting, as redis and tmux keep their options: a key not in
 * its group's table is a mistake and is reported, never ignored. */
struct config_key {
	const char *name;
	enum config_kind kind;
};

static const struct config_key keys_top[] = {
	{ "database", KIND_STRING }, { "timezone", KIND_STRING },
	{ "runtime_dir", KIND_STRING }, { "holidays", KIND_STRINGS },
	{ "ops", KIND_STRING }, { "people", KIND_GROUPS },
	{ "channels", KIND_GROUPS }, { "rules", KIND_GROUPS },
	{ "promises", KIND_GROUP }, { "delivery", KIND_GROUP },
	{ NULL, 0 },
};
static const struct config_key keys_person[] = {
	{ "handle", KIND_STRING }, { "name", KIND_STRING },
	{ "email", KIND_STRING }, { "timezone", KIND_STRING },
	{ "hours", KIND_STRING }, { "days", KIND_STRING },
	{ "notify", KIND_STRINGS }, { "capacity", KIND_INT },
	{ "digest", KIND_STRING }, { "holidays", KIND_STRINGS },
	{ "weekly_summary", KIND_BOOL },
	{ NULL, 0 },
};
static const struct config_key keys_channel[] = {
	{ "name", KIND_STRING }, { "type", KIND_STRING },
	{ "url", KIND_STRING }, { "from", KIND_STRING },
	{ "username", KIND_STRING }, { "password_file", KIND_STRING },
	{ "secret_file", KIND_STRING }, { "tls", KIND_STRING },
	{ "tls_verify", KIND_BOOL }, { "format", KIND_STRING },
	{ NULL, 0 },
};
static const struct config_key keys_rule[] = {
	{ "name", KIND_STRING }, { "on", KIND_STRING },
	{ "after", KIND_STRING }, { "before", KIND_STRING },
	{ "at", KIND_STRING }, { "message", KIND_STRING },
	{ "notify", KIND_STRINGS }, { "repeat", KIND_STRING },
	{ "escalate_to", KIND_STRING }, { "escalate_after", KIND_INT },
	{ "second_chocolate", KIND_BOOL }, { "gestures", KIND_STRINGS },
	{ NULL, 0 },
};
static const struct config_key keys_promises[] = {
	{ "slack", KIND_STRING }, { "min_slack", KIND_STRING },
	{ "max_slack", KIND_STRING }, { "phrases", KIND_STRINGS },
	{ "strict", KIND_BOOL },
	{ NULL, 0 },
};
static const struct config_key keys_delivery[] = {
	{ "attempts", KIND_INT }, { "backoff", KIND_STRING },
	{ "max_backoff", KIND_STRING }, { "timeout", KIND_STRING },
	{ "late_after", KIND_STRING },
	{ NULL, 0 },
};

const char *const config_rule_events[] = {
	"deal.won", "deal.lost", "deal.closing", "promise.target",
	"promise.due", "promise.overdue", "promise.kept", NULL,
};

/*
 * Phrases that set expectations the team may not meet (the seed articles'
 * examples, in English and Swedish).  Used when promises.phrases is not set.
 */
static const char *const default_phrases[] = {
	"tomorrow", "imorgon", "i morgon",
	"best purchase", "bästa köp", "bästa köpet",
	"2-3 times better", "2-3 gånger bättre", "twice as good",
	"you will get", "du kommer att få", "ni kommer att få",
	"you will experience", "du kommer att uppleva",
	"ni kommer att uppleva",
	"I'd be surprised if", "I would be surprised if",
	"jag skulle bli förvånad om",
	"guarantee", "guaranteed", "garanterar", "garanterat",
	"definitely", "absolut", "never fails", "aldrig fel",
	"right away", "på en gång", "no problem at all",
	NULL,
};

struct loader {
	const char *path;       /* as given, for messages */
	char *dir;              /* absolute directory of the file */
	char **errp;
};

/* "file:line: message" for setting s. */
static int
cfg_error(struct loader *L, const config_setting_t *s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
cfg_error(struct loader *L, const config_setting_t *s, const char *fmt, ...)
{
	const char *file = NULL;
	char *msg = NULL;
	va_list ap;
	int line = 0;

	if (s != NULL) {
		file = config_setting_source_file(s);
		line = (int)config_setting_source_line(s);
	}
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	err_set(L->errp, "%s:%d: %s", file != NULL ? file : L->path, line,
	    msg != NULL ? msg : "out of memory");
	free(msg);
	return -1;
}

static const char *
cfg_kind_name(enum config_kind k)
{
	switch (k) {
	case KIND_STRING: return "a string";
	case KIND_INT: return "an integer";
	case KIND_BOOL: return "true or false";
	case KIND_STRINGS: return "a list of strings";
	case KIND_GROUPS: return "a list of groups ( { ... }, ... )";
	case KIND_GROUP: return "a group { ... }";
	}
	return "?";
}

static int
cfg_kind_ok(const config_setting_t *s, enum config_kind k)
{
	int t = config_setting_type(s), i, n;

	switch (k) {
	case KIND_STRING: return t == CONFIG_TYPE_STRING;
	case KIND_INT: return t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64;
	case KIND_BOOL: return t == CONFIG_TYPE_BOOL;
	case KIND_GROUP: return t == CONFIG_TYPE_GROUP;
	case KIND_STRINGS:
	case KIND_GROUPS:
		if (t != CONFIG_TYPE_ARRAY && t != CONFIG_TYPE_LIST)
			return 0;
		n = config_setting_length(s);
		for (i = 0; i < n; i++)
			if (config_setting_type(config_setting_get_elem(s,
			    (unsigned)i)) != (k == KIND_STRINGS ?
			    CONFIG_TYPE_STRING : CONFIG_TYPE_GROUP))
				return 0;
		return 1;
	}
	return 0;
}

/* Every key in group g must be in table; every value of the right kind. */
static int
cfg_check_keys(struct loader *L, const config_setting_t *g,
    const struct config_key *table, const char *where)
{
	const struct config_key *k;
	config_setting_t *s;
	char known[512];
	size_t off;
	int i, n = config_setting_length(g);

	for (i = 0; i < n; i++) {
		s = config_setting_get_elem(g, (unsigned)i);
		for (k = table; k->name != NULL; k++)
			if (strcmp(k->name, config_setting_name(s)) == 0)
				break;
		if (k->name == NULL) {
			known[0] = '\0';
			for (k = table, off = 0; k->name != NULL; k++)
				off += (size_t)snprintf(known + off,
				    off < sizeof(known) ? sizeof(known) - off :
				    0, "%s%s", off ? ", " : "", k->name);
			return cfg_error(L, s, "unknown key '%s' in %s "
			    "(known: %s)", config_setting_name(s), where,
			    known);
		}
		if (!cfg_kind_ok(s, k->kind))
			return cfg_error(L, s, "'%s' in %s must be %s",
			    k->name, where, cfg_kind_name(k->kind));
	}
	return 0;
}

/* Copy of the string at key (NULL if absent). */
static int
cfg_strdup(const config_setting_t *g, const char *key, char **out)
{
	const char *v = NULL;

	*out = NULL;
	if (!config_setting_lookup_string(g, key, &v))
		return 0;
	return (*out = strdup(v)) != NULL ? 0 : -1;
}

static int
cfg_strings(const config_setting_t *g, const char *key, char ***out,
    size_t *n)
{
	config_setting_t *s = config_setting_get_member(g, key);
	int i, len;

	*out = NULL;
	*n = 0;
	if (s == NULL)
		return 0;
	len = config_setting_length(s);
	if ((*out = calloc((size_t)len + 1, sizeof(char *))) == NULL)
		return -1;
	for (i = 0; i < len; i++) {
		(*out)[i] = strdup(config_setting_get_string_elem(s,
		    (unsigned)i));
		if ((*out)[i] == NULL)
			return -1;
		(*n)++;
	}
	return 0;
}

static void
cfg_strings_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* An absolute path: relative ones are relative to the config file. */
static char *
cfg_path(struct loader *L, const char *p)
{
	char *out = NULL;

	if (p[0] == '/')
		return strdup(p);
	if (asprintf(&out, "%s/%s", L->dir, p) < 0)
		return NULL;
	return out;
}

static int
cfg_readable(struct loader *L, const config_setting_t *s, const char *what,
    const char *path)
{
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return cfg_error(L, s, "%s %s: %s", what, path,
		    strerror(errno));
	close(fd);
	return 0;
}

static int
cfg_duration(struct loader *L, const config_setting_t *g, const char *key,
    int allow_zero, struct timeutil_duration *out)
{
	config_setting_t *s = config_setting_get_member(g, key);
	char *err = NULL;

	if (s == NULL)
		return 0;
	if (timeutil_parse_duration_ex(config_setting_get_string(s),
	    allow_zero, out, &err) != 0) {
		cfg_error(L, s, "'%s': %s", key, err);
		free(err);
		return -1;
	}
	return 0;
}

/* Durations measured in elapsed time (delivery): fold days in. */
static int
cfg_seconds(struct loader *L, const config_setting_t *g, const char *key,
    struct timeutil_duration *d)
{
	if (cfg_duration(L, g, key, 0, d) != 0)
		return -1;
	if (d->business_days != 0)
		return cfg_error(L, config_setting_get_member(g, key),
		    "'%s' is elapsed time: business days make no sense here",
		    key);
	d->seconds += (int64_t)d->days * 86400;
	d->days = 0;
	return 0;
}

static int
cfg_holidays(struct loader *L, const config_setting_t *g, int32_t **v,
    size_t *n)
{
	config_setting_t *s = config_setting_get_member(g, "holidays");
	int32_t *tmp, day;
	char *err = NULL;
	int i, len;

	if (s == NULL)
		return 0;
	len = config_setting_length(s);
	if ((tmp = realloc(*v, (*n + (size_t)len + 1) * sizeof(**v))) == NULL)
		return err_set(L->errp, "out of memory");
	*v = tmp;
	for (i = 0; i < len; i++) {
		if (timeutil_parse_date(config_setting_get_string_elem(s,
		    (unsigned)i), &day, &err) != 0) {
			cfg_error(L, s, "holidays: %s", err);
			free(err);
			return -1;
		}
		(*v)[(*n)++] = day;
	}
	return 0;
}

static int
cfg_cmp_day(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;

	return (x > y) - (x < y);
}

static int
cfg_handle_ok(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '-' || *s == '_' || *s == '.'))
			return 0;
	return 1;
}

static int
cfg_person(struct loader *L, struct config *cfg, const config_setting_t *g,
    const int32_t *shared, size_t nshared, struct config_person *p)
{
	const char *v;
	char *err = NULL, where[96];
	int rc, cap;
	size_t i, k;

	p->line = (int)config_setting_source_line(g);
	p->digest_min = -1;
	if (!config_setting_lookup_string(g, "handle", &v))
		return cfg_error(L, g, "a person needs a handle");
	if (!cfg_handle_ok(v))
		return cfg_error(L, config_setting_get_member(g, "handle"),
		    "handle '%s': use lower-case letters, digits, '.', '-' "
		    "and '_'", v);
	snprintf(where, sizeof(where), "person '%s'", v);
	if (cfg_check_keys(L, g, keys_person, where) != 0)
		return -1;
	if (cfg_strdup(g, "handle", &p->handle) != 0 ||
	    cfg_strdup(g, "name", &p->name) != 0 ||
	    cfg_strdup(g, "email", &p->email) != 0 ||
	    cfg_strdup(g, "timezone", &p->timezone) != 0 ||
	    cfg_strings(g, "notify", &p->notify, &p->nnotify) != 0)
		return err_set(L->errp, "out of memory");
	for (i = 0; i < cfg->npeople; i++)
		if (&cfg->people[i] != p && cfg->people[i].handle != NULL &&
		    strcmp(cfg->people[i].handle, p->handle) == 0)
			return cfg_error(L, g, "person '%s' is defined twice "
			    "(also on line %d)", p->handle,
			    cfg->people[i].line);
	if (p->timezone == NULL && (p->timezone = strdup(cfg->timezone)) ==
	    NULL)
		return err_set(L->errp, "out of memory");
	if (!timeutil_zone_valid(p->timezone))
		return cfg_error(L, config_setting_get_member(g, "timezone"),
		    "%s: unknown time zone '%s' (an IANA name such as "
		    "Europe/Stockholm)", where, p->timezone);
	p->hours_start = 9 * 60;
	p->hours_end = 17 * 60;
	if (config_setting_lookup_string(g, "hours", &v) &&
	    timeutil_parse_hours(v, &p->hours_start, &p->hours_end, &err) != 0)
		goto bad_value;
	p->days = TIMEUTIL_WEEKDAYS;
	if (config_setting_lookup_string(g, "days", &v) &&
	    timeutil_parse_days(v, &p->days, &err) != 0)
		goto bad_value;
	if (config_setting_lookup_string(g, "digest", &v) &&
	    timeutil_parse_clock(v, &p->digest_min, &err) != 0)
		goto bad_value;
	if (config_setting_lookup_int(g, "capacity", &cap)) {
		if (cap < 0)
			return cfg_error(L, config_setting_get_member(g,
			    "capacity"), "%s: capacity must be 0 (no limit) "
			    "or more", where);
		p->capacity = cap;
	}
	config_setting_lookup_bool(g, "weekly_summary", &p->weekly_summary);
	if (p->nnotify == 0) {
		if (config_channel(cfg, "log") == NULL)
			return cfg_error(L, g, "%s has no notify list and "
			    "there is no 'log' channel to default to", where);
		free(p->notify);
		if ((p->notify = calloc(2, sizeof(char *))) == NULL ||
		    (p->notify[0] = strdup("log")) == NULL)
			return err_set(L->errp, "out of memory");
		p->nnotify = 1;
	}
	for (i = 0; i < p->nnotify; i++) {
		if (config_channel(cfg, p->notify[i]) == NULL)
			return cfg_error(L, config_setting_get_member(g,
			    "notify"), "%s: notify names unknown channel "
			    "'%s'", where, p->notify[i]);
		if (config_channel(cfg, p->notify[i])->type ==
		    CONFIG_CHANNEL_EMAIL && p->email == NULL)
			return cfg_error(L, g, "%s is notified by email but "
			    "has no email address", where);
	}
	/* Shared holidays plus the person's own, sorted and unique. */
	if (nshared > 0) {
		if ((p->holidays = malloc(nshared * sizeof(int32_t))) == NULL)
			return err_set(L->errp, "out of memory");
		memcpy(p->holidays, shared, nshared * sizeof(int32_t));
		p->nholidays = nshared;
	}
	if (cfg_holidays(L, g, &p->holidays, &p->nholidays) != 0)
		return -1;
	if (p->nholidays > 0) {
		qsort(p->holidays, p->nholidays, sizeof(int32_t), cfg_cmp_day);
		for (i = 1, k = 1; i < p->nholidays; i++)
			if (p->holidays[i] != p->holidays[k - 1])
				p->holidays[k++] = p->holidays[i];
		p->nholidays = k;
	}
	return 0;
bad_value:
	rc = cfg_error(L, g, "%s: %s", where, err);
	free(err);
	return rc;
}

/* smtp://host:port/ -> is host a loopback address? */
static int
cfg_loopback_url(const char *url)
{
	const char *h = strstr(url, "://");
	size_t n;

	if (h == NULL)
		return 0;
	h += 3;
	n = strcspn(h, ":/");
	if (h[0] == '[')
		return strncmp(h, "[::1]", 5) == 0;
	return (n == 9 && strncmp(h, "127.0.0.1", 9) == 0) ||
	    (n == 9 && strncmp(h, "localhost", 9) == 0);
}

static int
cfg_channel(struct loader *L, struct config *cfg, const config_setting_t *g,
    struct config_channel *c)
{
	const char *v, *type;
	char where[96], *path;
	size_t i;

	c->line = (int)config_setting_source_line(g);
	c->tls_verify = 1;
	if (!config_setting_lookup_string(g, "name", &v) || *v == '\0')
		return cfg_error(L, g, "a channel needs a name");
	snprintf(where, sizeof(where), "channel '%s'", v);
	if (cfg_check_keys(L, g, keys_channel, where) != 0)
		return -1;
	if (cfg_strdup(g, "name", &c->name) != 0 ||
	    cfg_strdup(g, "url", &c->url) != 0 ||
	    cfg_strdup(g, "from", &c->from) != 0 ||
	    cfg_strdup(g, "username", &c->username) != 0)
		return err_set(L->errp, "out of memory");
	for (i = 0; i < cfg->nchannels; i++)
		if (&cfg->channels[i] != c && cfg->channels[i].name != NULL &&
		    strcmp(cfg->channels[i].name, c->name) == 0)
			return cfg_error(L, g, "channel '%s' is defined twice "
			    "(also on line %d)", c->name,
			    cfg->channels[i].line);
	if (!config_setting_lookup_string(g, "type", &type))
		return cfg_error(L, g, "%s needs a type (log, email or "
		    "webhook)", where);
	config_setting_lookup_bool(g, "tls_verify", &c->tls_verify);
	if (strcmp(type, "log") == 0) {
		c->type = CONFIG_CHANNEL_LOG;
	} else if (strcmp(type, "email") == 0) {
		c->type = CONFIG_CHANNEL_EMAIL;
		if (c->url == NULL || (strncmp(c->url, "smtp://", 7) != 0 &&
		    strncmp(c->url, "smtps://", 8) != 0))
			return cfg_error(L, g, "%s: email needs url = "
			    "\"smtp://host:port\" or \"smtps://...\"", where);
		if (c->from == NULL)
			return cfg_error(L, g, "%s: email needs a from "
			    "address", where);
		c->tls_required = 1;
		if (config_setting_lookup_string(g, "tls", &v)) {
			if (strcmp(v, "none") == 0)
				c->tls_required = 0;
			else if (strcmp(v, "required") != 0)
				return cfg_error(L, config_setting_get_member(
				    g, "tls"), "%s: tls must be \"required\" "
				    "or \"none\"", where);
		}
		if (!c->tls_required && strncmp(c->url, "smtps://", 8) == 0)
			return cfg_error(L, g, "%s: smtps:// always uses TLS; "
			    "drop tls = \"none\"", where);
		if (!c->tls_required && !cfg_loopback_url(c->url))
			return cfg_error(L, g, "%s: tls = \"none\" is only "
			    "allowed for a loopback server (127.0.0.1, ::1, "
			    "localhost)", where);
	} else if (strcmp(type, "webhook") == 0) {
		c->type = CONFIG_CHANNEL_WEBHOOK;
		if (c->url == NULL || (strncmp(c->url, "http://", 7) != 0 &&
		    strncmp(c->url, "https://", 8) != 0))
			return cfg_error(L, g, "%s: webhook needs url = "
			    "\"https://...\"", where);
		c->format = CONFIG_WEBHOOK_JSON;
		if (config_setting_lookup_string(g, "format", &v)) {
			if (strcmp(v, "slack") == 0)
				c->format = CONFIG_WEBHOOK_SLACK;
			else if (strcmp(v, "json") != 0)
				return cfg_error(L, config_setting_get_member(
				    g, "format"), "%s: format must be \"json\" "
				    "or \"slack\"", where);
		}
	} else {
		return cfg_error(L, config_setting_get_member(g, "type"),
		    "%s: unknown type '%s' (log, email or webhook)", where,
		    type);
	}
	if (config_setting_lookup_string(g, "password_file", &v)) {
		if ((path = cfg_path(L, v)) == NULL)
			return err_set(L->errp, "out of memory");
		c->password_file = path;
		if (cfg_readable(L, config_setting_get_member(g,
		    "password_file"), "password_file", path) != 0)
			return -1;
	}
	if (config_setting_lookup_string(g, "secret_file", &v)) {
		if ((path = cfg_path(L, v)) == NULL)
			return err_set(L->errp, "out of memory");
		c->secret_file = path;
		if (cfg_readable(L, config_setting_get_member(g,
		    "secret_file"), "secret_file", path) != 0)
			return -1;
	}
	return 0;
}

static int
cfg_rule(struct loader *L, struct config *cfg, const config_setting_t *g,
    struct config_rule *r)
{
	const char *v;
	const char *const *ev;
	char where[96], *err = NULL;
	size_t i;
	int has_after, has_before;

	r->line = (int)config_setting_source_line(g);
	r->at_min = -1;
	if (!config_setting_lookup_string(g, "name", &v) || *v == '\0')
		return cfg_error(L, g, "a rule needs a name");
	snprintf(where, sizeof(where), "rule '%s'", v);
	if (cfg_check_keys(L, g, keys_rule, where) != 0)
		return -1;
	if (cfg_strdup(g, "name", &r->name) != 0 ||
	    cfg_strdup(g, "on", &r->on) != 0 ||
	    cfg_strdup(g, "message", &r->message) != 0 ||
	    cfg_strdup(g, "escalate_to", &r->escalate_to) != 0 ||
	    cfg_strings(g, "notify", &r->notify, &r->nnotify) != 0 ||
	    cfg_strings(g, "gestures", &r->gestures, &r->ngestures) != 0)
		return err_set(L->errp, "out of memory");
	for (i = 0; i < cfg->nrules; i++)
		if (&cfg->rules[i] != r && cfg->rules[i].name != NULL &&
		    strcmp(cfg->rules[i].name, r->name) == 0)
			return cfg_error(L, g, "rule '%s' is defined twice "
			    "(also on line %d)", r->name, cfg->rules[i].line);
	if (r->on == NULL)
		return cfg_error(L, g, "%s needs on = \"EVENT\"", where);
	for (ev = config_rule_events; *ev != NULL; ev++)
		if (strcmp(*ev, r->on) == 0)
			break;
	if (*ev == NULL)
		return cfg_error(L, config_setting_get_member(g, "on"),
		    "%s: unknown event '%s' (deal.won, deal.lost, "
		    "deal.closing, promise.target, promise.due, "
		    "promise.overdue, promise.kept)", where, r->on);
	has_after = config_setting_get_member(g, "after") != NULL;
	has_before = config_setting_get_member(g, "before") != NULL;
	if (has_after == has_before)
		return cfg_error(L, g, "%s needs exactly one of after or "
		    "before", where);
	r->before = has_before;
	if (cfg_duration(L, g, has_after ? "after" : "before", 1,
	    &r->offset) != 0)
		return -1;
	if (config_setting_lookup_string(g, "at", &v) &&
	    timeutil_parse_clock(v, &r->at_min, &err) != 0) {
		cfg_error(L, config_setting_get_member(g, "at"), "%s: %s",
		    where, err);
		free(err);
		return -1;
	}
	if (r->message == NULL)
		return cfg_error(L, g, "%s needs a message", where);
	if (template_check(r->message, template_rule_variables, &err) != 0) {
		cfg_error(L, config_setting_get_member(g, "message"),
		    "%s: message: %s", where, err);
		free(err);
		return -1;
	}
	for (i = 0; i < r->nnotify; i++)
		if (config_channel(cfg, r->notify[i]) == NULL)
			return cfg_error(L, config_setting_get_member(g,
			    "notify"), "%s: notify names unknown channel "
			    "'%s'", where, r->notify[i]);
	if (config_setting_get_member(g, "repeat") != NULL) {
		if (cfg_duration(L, g, "repeat", 0, &r->repeat) != 0)
			return -1;
		r->has_repeat = 1;
	}
	if (config_setting_lookup_int(g, "escalate_after",
	    &r->escalate_after) && (r->escalate_after < 1 || !r->has_repeat))
		return cfg_error(L, config_setting_get_member(g,
		    "escalate_after"), "%s: escalate_after must be 1 or more "
		    "and needs repeat", where);
	if (r->escalate_to != NULL &&
	    config_person(cfg, r->escalate_to) == NULL)
		return cfg_error(L, config_setting_get_member(g,
		    "escalate_to"), "%s: escalate_to names unknown person "
		    "'%s'", where, r->escalate_to);
	if ((r->escalate_to != NULL) != (r->escalate_after > 0))
		return cfg_error(L, g, "%s: escalate_to and escalate_after "
		    "go together", where);
	config_setting_lookup_bool(g, "second_chocolate",
	    &r->second_chocolate);
	return 0;
}

static int
cfg_promises(struct loader *L, struct config *cfg, const config_setting_t *g)
{
	struct config_promises *p = &cfg->promises;
	config_setting_t *s;
	const char *v;
	char *end;
	long pct;

	if (g == NULL)
		return 0;
	if (cfg_check_keys(L, g, keys_promises, "promises") != 0)
		return -1;
	if ((s = config_setting_get_member(g, "slack")) != NULL) {
		v = config_setting_get_string(s);
		pct = strtol(v, &end, 10);
		if (end == v || strcmp(end, "%") != 0 || pct < 0 || pct > 100)
			return cfg_error(L, s, "promises: slack '%s' must be "
			    "a share of the lead time such as \"25%%\"", v);
		p->slack_percent = (int)pct;
	}
	if (cfg_duration(L, g, "min_slack", 1, &p->min_slack) != 0 ||
	    cfg_duration(L, g, "max_slack", 1, &p->max_slack) != 0)
		return -1;
	if (config_setting_get_member(g, "phrases") != NULL) {
		cfg_strings_free(p->phrases, p->nphrases);
		if (cfg_strings(g, "phrases", &p->phrases, &p->nphrases) != 0)
			return err_set(L->errp, "out of memory");
	}
	config_setting_lookup_bool(g, "strict", &p->strict);
	return 0;
}

static int
cfg_delivery(struct loader *L, struct config *cfg, const config_setting_t *g)
{
	struct config_delivery *d = &cfg->delivery;

	if (g == NULL)
		return 0;
	if (cfg_check_keys(L, g, keys_delivery, "delivery") != 0)
		return -1;
	if (config_setting_lookup_int(g, "attempts", &d->attempts) &&
	    (d->attempts < 1 || d->attempts > 100))
		return cfg_error(L, config_setting_get_member(g, "attempts"),
		    "delivery: attempts must be 1 to 100");
	if (cfg_seconds(L, g, "backoff", &d->backoff) != 0 ||
	    cfg_seconds(L, g, "max_backoff", &d->max_backoff) != 0 ||
	    cfg_seconds(L, g, "timeout", &d->timeout) != 0 ||
	    cfg_seconds(L, g, "late_after", &d->late_after) != 0)
		return -1;
	if (d->max_backoff.seconds < d->backoff.seconds)
		return cfg_error(L, g, "delivery: max_backoff is shorter "
		    "than backoff");
	return 0;
}

/* Built-in defaults, before the file is read. */
static int
cfg_defaults(struct config *cfg)
{
	size_t i;

	cfg->promises.slack_percent = 25;
	cfg->promises.min_slack.seconds = 4 * 3600;
	cfg->promises.max_slack.business_days = 3;
	for (i = 0; default_phrases[i] != NULL; i++)
		;
	if ((cfg->promises.phrases = calloc(i + 1, sizeof(char *))) == NULL)
		return -1;
	for (i = 0; default_phrases[i] != NULL; i++)
		if ((cfg->promises.phrases[i] = strdup(default_phrases[i])) ==
		    NULL)
			return -1;
	cfg->promises.nphrases = i;
	cfg->delivery.attempts = 8;
	cfg->delivery.backoff.seconds = 30;
	cfg->delivery.max_backoff.seconds = 6 * 3600;
	cfg->delivery.timeout.seconds = 10;
	cfg->delivery.late_after.seconds = 24 * 3600;
	return 0;
}

/* Allocate room for the groups in list key; *len gets their number. */
static int
cfg_alloc_list(struct loader *L, const config_setting_t *root,
    const char *key, size_t elem, void **arr, config_setting_t **list,
    int *len)
{
	*list = config_setting_get_member(root, key);
	*len = *list != NULL ? config_setting_length(*list) : 0;
	*arr = NULL;
	if (*len > 0 && (*arr = calloc((size_t)*len, elem)) == NULL)
		return err_set(L->errp, "out of memory");
	return 0;
}

int
config_load(const char *path, struct config **out, char **errp)
{
	struct loader L;
	struct config *cfg = NULL;
	config_t lc;
	config_setting_t *root, *list;
	char *real = NULL, *slash;
	const char *v;
	int32_t *shared = NULL;
	size_t nshared = 0;
	FILE *f;
	int rc = -1, k, len;

	*out = NULL;
	memset(&L, 0, sizeof(L));
	L.path = path;
	L.errp = errp;
	config_init(&lc);
	if ((f = fopen(path, "r")) == NULL) {
		err_set(errp, "cannot read configuration %s: %s", path,
		    strerror(errno));
		goto out;
	}
	fclose(f);
	if ((real = realpath(path, NULL)) == NULL ||
	    (L.dir = strdup(real)) == NULL) {
		err_set(errp, "%s: %s", path, strerror(errno));
		goto out;
	}
	slash = strrchr(L.dir, '/');
	slash[slash == L.dir ? 1 : 0] = '\0';
	if (!config_read_file(&lc, path)) {
		err_set(errp, "%s:%d: %s", config_error_file(&lc) != NULL ?
		    config_error_file(&lc) : path, config_error_line(&lc),
		    config_error_text(&lc));
		goto out;
	}
	root = config_root_setting(&lc);
	if (cfg_check_keys(&L, root, keys_top, "the top level") != 0)
		goto out;
	if ((cfg = calloc(1, sizeof(*cfg))) == NULL || cfg_defaults(cfg) != 0 ||
	    (cfg->path = strdup(path)) == NULL) {
		err_set(errp, "out of memory");
		goto out;
	}
	cfg->database = cfg_path(&L, config_setting_lookup_string(root,
	    "database", &v) ? v : "/var/lib/nudge/nudge.db");
	cfg->runtime_dir = cfg_path(&L, config_setting_lookup_string(root,
	    "runtime_dir", &v) ? v : "/run/nudge");
	cfg->timezone = strdup(config_setting_lookup_string(root, "timezone",
	    &v) ? v : "UTC");
	if (cfg->database == NULL || cfg->runtime_dir == NULL ||
	    cfg->timezone == NULL || cfg_strdup(root, "ops", &cfg->ops) != 0) {
		err_set(errp, "out of memory");
		goto out;
	}
	if (!timeutil_zone_valid(cfg->timezone)) {
		cfg_error(&L, config_setting_get_member(root, "timezone"),
		    "unknown time zone '%s' (an IANA name such as "
		    "Europe/Stockholm)", cfg->timezone);
		goto out;
	}
	if (cfg_holidays(&L, root, &shared, &nshared) != 0)
		goto out;
	/* Channels first: people and rules refer to them; rules refer to
	 * people.  Each count grows as elements load, so config_free() on
	 * failure frees exactly what was filled in. */
	if (cfg_alloc_list(&L, root, "channels", sizeof(*cfg->channels),
	    (void **)&cfg->channels, &list, &len) != 0)
		goto out;
	for (k = 0; k < len; k++)
		if (cfg->nchannels++, cfg_channel(&L, cfg,
		    config_setting_get_elem(list, (unsigned)k),
		    &cfg->channels[k]) != 0)
			goto out;
	if (cfg->ops != NULL && config_channel(cfg, cfg->ops) == NULL) {
		cfg_error(&L, config_setting_get_member(root, "ops"),
		    "ops names unknown channel '%s'", cfg->ops);
		goto out;
	}
	if (cfg_alloc_list(&L, root, "people", sizeof(*cfg->people),
	    (void **)&cfg->people, &list, &len) != 0)
		goto out;
	for (k = 0; k < len; k++)
		if (cfg->npeople++, cfg_person(&L, cfg,
		    config_setting_get_elem(list, (unsigned)k), shared, nshared,
		    &cfg->people[k]) != 0)
			goto out;
	if (cfg_alloc_list(&L, root, "rules", sizeof(*cfg->rules),
	    (void **)&cfg->rules, &list, &len) != 0)
		goto out;
	for (k = 0; k < len; k++)
		if (cfg->nrules++, cfg_rule(&L, cfg,
		    config_setting_get_elem(list, (unsigned)k),
		    &cfg->rules[k]) != 0)
			goto out;
	if (cfg_promises(&L, cfg, config_setting_get_member(root,
	    "promises")) != 0 ||
	    cfg_delivery(&L, cfg, config_setting_get_member(root,
	    "delivery")) != 0)
		goto out;
	rc = 0;
	*out = cfg;
	cfg = NULL;
out:
	free(shared);
	free(real);
	free(L.dir);
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
		struct config_person *p = &cfg->people[i];
		free(p->handle);
		free(p->name);
		free(p->email);
		free(p->timezone);
		cfg_strings_free(p->notify, p->nnotify);
		free(p->holidays);
	}
	free(cfg->people);
	for (i = 0; i < cfg->nchannels; i++) {
		struct config_channel *c = &cfg->channels[i];
		free(c->name);
		free(c->url);
		free(c->from);
		free(c->username);
		free(c->password_file);
		free(c->secret_file);
	}
	free(cfg->channels);
	for (i = 0; i < cfg->nrules; i++) {
		struct config_rule *r = &cfg->rules[i];
		free(r->name);
		free(r->on);
		free(r->message);
		free(r->escalate_to);
		cfg_strings_free(r->notify, r->nnotify);
		cfg_strings_free(r->gestures, r->ngestures);
	}
	free(cfg->rules);
	cfg_strings_free(cfg->promises.phrases, cfg->promises.nphrases);
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

	for (i = 0; i < cfg->nchannels; i++)
		if (cfg->channels[i].name != NULL &&
		    strcmp(cfg->channels[i].name, name) == 0)
			return &cfg->channels[i];
	return NULL;
}

char *
config_people_list(const struct config *cfg)
{
	char *out = NULL;
	size_t size = 0, i;
	FILE *f;

	if ((f = open_memstream(&out, &size)) == NULL)
		return NULL;
	for (i = 0; i < cfg->npeople; i++)
		fprintf(f, "%s%s", i ? ", " : "", cfg->people[i].handle);
	if (fclose(f) != 0) {
		free(out);
		return NULL;
	}
	return out;
}
