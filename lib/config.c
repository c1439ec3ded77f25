/*
 * The configuration: one table per group of settings (top level, person,
 * channel, rule, promises, delivery) with one row per key, as tmux's
 * options-table.c keeps its options: the key's name and type, the field it
 * fills, its default, its range and a line of help (lib/config_table.h
 * says what each column means, lib/config_value.c what each kind of value
 * does).  Every setting in the file is looked up in its group's table, so
 * a misspelt key is an error with file and line, never a silently ignored
 * line.
 *
 * Loading a group is a loop over its rows; what is left here are the
 * checks about several keys at once, each a small function: a group's
 * values against each other and against the other groups (a person's
 * notify names a channel, a rule's escalate_to names a person).  Nothing
 * is printed: the first mistake becomes the caller's message,
 * "nudge.conf:12: ...".
 *
 * The loaded struct owns copies of every string (libconfig's die with
 * config_destroy()); config_free() finds them by the same tables, so a
 * new text or list key is freed without a line of its own.  Relative
 * paths in the file are made absolute against the file's directory, so a
 * daemon started from anywhere finds the same database.
 */
#include "config_table.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "names_join.h"
#include "template.h"
#include "text.h"
#include "words.h"
#include "wake.h"

#define TOP(f)          offsetof(struct config, f)
#define PERSON(f)       offsetof(struct config_person, f)
#define CHANNEL(f)      offsetof(struct config_channel, f)
#define RULE(f)         offsetof(struct config_rule, f)
#define PROMISES(f)     offsetof(struct config_promises, f)
#define DELIVERY(f)     offsetof(struct config_delivery, f)
#define CADENCE(f)      offsetof(struct config_cadence, f)
#define HTTP(f)         offsetof(struct config_http, f)

/* A group's checks about several keys, after its rows are loaded into
 * base; where names the group in messages. */
typedef int config_check_fn(struct config_loader *L,
    const config_setting_t *g, const char *where, void *base);
/* The type flag (KEY_EMAIL, ...) of the rows that apply to the element
 * at base. */
typedef int config_type_fn(struct config_loader *L,
    const config_setting_t *g, const char *where, void *base,
    unsigned *flag);

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

static const char *const config_channel_types[] = {
	"log", "email", "webhook", NULL,
};
static const int config_channel_type_codes[] = {
	CONFIG_CHANNEL_LOG, CONFIG_CHANNEL_EMAIL, CONFIG_CHANNEL_WEBHOOK,
};
/* The row flag of each type, by enum config_channel_type. */
static const unsigned config_channel_type_flags[] = {
	[CONFIG_CHANNEL_LOG] = KEY_LOG,
	[CONFIG_CHANNEL_EMAIL] = KEY_EMAIL,
	[CONFIG_CHANNEL_WEBHOOK] = KEY_WEBHOOK,
};
static const char *const config_tls_values[] = { "required", "none", NULL };
static const int config_tls_codes[] = { 1, 0 };         /* tls_required */
static const char *const config_formats[] = { "json", "slack", "mattermost",
	"teams", "googlechat", NULL };
static const int config_format_codes[] = {
	CONFIG_WEBHOOK_JSON, CONFIG_WEBHOOK_SLACK, CONFIG_WEBHOOK_MATTERMOST,
	CONFIG_WEBHOOK_TEAMS, CONFIG_WEBHOOK_GOOGLECHAT,
};

/*
 * The tables.  A row begins `{ "name", CONFIG_TYPE_...` on one line:
 * tests/integration/test_manpages.sh reads the names from there.
 */
const struct config_key config_keys_top[] = {
	{ "database", CONFIG_TYPE_STRING, CONFIG_KIND_PATH, TOP(database),
	    .def = "/var/lib/nudge/nudge.db",
	    .help = "path of the SQLite database" },
	{ "timezone", CONFIG_TYPE_STRING, CONFIG_KIND_ZONE, TOP(timezone),
	    .def = "UTC",
	    .help = "IANA time zone of people without their own" },
	{ "runtime_dir", CONFIG_TYPE_STRING, CONFIG_KIND_PATH,
	    TOP(runtime_dir), .def = "/run/nudge",
	    .help = "directory of nudged's wake-up socket" },
	{ "holidays", CONFIG_TYPE_ARRAY, CONFIG_KIND_NONE, 0,
	    .help = "days off for everyone, [ \"2026-12-24\", ... ]" },
	{ "ops", CONFIG_TYPE_STRING, CONFIG_KIND_STRING, TOP(ops),
	    .flags = KEY_NAME, .max = CONFIG_NAME_MAX,
	    .help = "channel that also hears of dead deliveries" },
	{ "weekly_summary", CONFIG_TYPE_STRING, CONFIG_KIND_WEEKLY,
	    TOP(weekly_day), .offset2 = TOP(weekly_min),
	    .help = "each person's ledger for the week at this local day and "
	    "time, such as \"fri 16:00\" (off when unset)" },
	{ "effect_horizon", CONFIG_TYPE_STRING, CONFIG_KIND_DURATION,
	    TOP(effect_horizon), .flags = KEY_ELAPSED, .def = "180d", .min = 1,
	    .help = "does it pay off: bought again within this long after a "
	    "deal won (report --effect, the weekly summary)" },
	{ "people", CONFIG_TYPE_LIST, CONFIG_KIND_NONE, 0,
	    .help = "the team, ( { handle = \"anna\"; ... }, ... )" },
	{ "channels", CONFIG_TYPE_LIST, CONFIG_KIND_NONE, 0,
	    .help = "where reminders go, ( { name = \"log\"; type = \"log\"; "
	    "}, ... )" },
	{ "rules", CONFIG_TYPE_LIST, CONFIG_KIND_NONE, 0,
	    .help = "the playbook, ( { name = ...; on = ...; after = ...; "
	    "message = ...; }, ... )" },
	{ "promises", CONFIG_TYPE_GROUP, CONFIG_KIND_NONE, 0,
	    .help = "the promise policy, { slack = \"25%\"; ... }" },
	{ "delivery", CONFIG_TYPE_GROUP, CONFIG_KIND_NONE, 0,
	    .help = "retries and timeouts, { attempts = 8; ... }" },
	{ "cadences", CONFIG_TYPE_LIST, CONFIG_KIND_NONE, 0,
	    .help = "stay in touch, ( { name = \"key\"; every = \"30d\"; "
	    "accounts = [ ... ]; }, ... )" },
	{ "http", CONFIG_TYPE_GROUP, CONFIG_KIND_NONE, 0,
	    .help = "the listener of one-click actions, { listen = "
	    "\"127.0.0.1:8470\"; ... } (off when unset)" },
	{ .name = NULL },
};

const struct config_key config_keys_person[] = {
	{ "handle", CONFIG_TYPE_STRING, CONFIG_KIND_STRING, PERSON(handle),
	    .flags = KEY_NAME | KEY_LOWER, .max = CONFIG_NAME_MAX,
	    .help = "what --owner takes: lower-case letters, digits, . - _" },
	{ "name", CONFIG_TYPE_STRING, CONFIG_KIND_STRING, PERSON(name),
	    .max = NAME_MAX_BYTES, .help = "display name" },
	{ "email", CONFIG_TYPE_STRING, CONFIG_KIND_EMAIL, PERSON(email),
	    .help = "address for email channels" },
	/* Default: the top-level timezone (config_person_defaults()). */
	{ "timezone", CONFIG_TYPE_STRING, CONFIG_KIND_ZONE, PERSON(timezone),
	    .help = "IANA time zone such as \"Europe/Stockholm\"" },
	{ "hours", CONFIG_TYPE_STRING, CONFIG_KIND_HOURS, PERSON(hours_start),
	    .offset2 = PERSON(hours_end), .def = "09:00-17:00",
	    .help = "working hours such as \"08:00-17:00\"" },
	{ "days", CONFIG_TYPE_STRING, CONFIG_KIND_DAYS, PERSON(days),
	    .def = "mon-fri",
	    .help = "working days such as \"mon-fri\"" },
	/* Default: [ "log" ] when there is a log channel, also set by
	 * config_person_defaults(). */
	{ "notify", CONFIG_TYPE_ARRAY, CONFIG_KIND_LIST, PERSON(notify),
	    .offset2 = PERSON(nnotify), .flags = KEY_NAME | KEY_UNIQUE,
	    .max = CONFIG_NAME_MAX,
	    .help = "channels to remind this person on, [ \"log\" ]" },
	{ "capacity", CONFIG_TYPE_INT, CONFIG_KIND_INT, PERSON(capacity),
	    .def = "0", .min = 0, .max = CONFIG_INT_MAX,
	    .help = "open promises due in one week before nudge warns; 0 = no "
	    "limit" },
	{ "digest", CONFIG_TYPE_STRING, CONFIG_KIND_CLOCK, PERSON(digest_min),
	    .help = "local time of a daily digest such as \"08:30\"" },
	/* The shared days off are added (config_person_holidays()). */
	{ "holidays", CONFIG_TYPE_ARRAY, CONFIG_KIND_DATES, PERSON(holidays),
	    .offset2 = PERSON(nholidays),
	    .help = "the person's own days off, [ \"2026-07-01\", ... ]" },
	{ "weekly_summary", CONFIG_TYPE_BOOL, CONFIG_KIND_BOOL,
	    PERSON(weekly_summary), .def = "true",
	    .help = "false: no weekly summary for this person (when the "
	    "top-level weekly_summary sets one for everyone)" },
	{ "language", CONFIG_TYPE_STRING, CONFIG_KIND_CHOICE,
	    PERSON(language), .def = "en", .values = words_langs,
	    .noun = "language",
	    .help = "the language of the pages and of nudge's own words in "
	    "messages: \"en\" or \"sv\"" },
	{ .name = NULL },
};

/* KEY_LOG, KEY_EMAIL, KEY_WEBHOOK: the channel types that take the key. */
const struct config_key config_keys_channel[] = {
	{ "name", CONFIG_TYPE_STRING, CONFIG_KIND_STRING, CHANNEL(name),
	    .flags = KEY_NAME | KEY_ANY, .max = CONFIG_NAME_MAX,
	    .help = "what people and rules notify" },
	{ "type", CONFIG_TYPE_STRING, CONFIG_KIND_CHOICE, CHANNEL(type),
	    .flags = KEY_ANY, .values = config_channel_types,
	    .codes = config_channel_type_codes, .noun = "type",
	    .help = "log, email or webhook" },
	{ "url", CONFIG_TYPE_STRING, CONFIG_KIND_STRING, CHANNEL(url),
	    .flags = KEY_EMAIL | KEY_WEBHOOK,
	    .help = "smtp:// or smtps:// for email, https:// or http:// for "
	    "webhooks" },
	{ "from", CONFIG_TYPE_STRING, CONFIG_KIND_STRING, CHANNEL(from),
	    .flags = KEY_EMAIL,
	    .help = "sender, \"nudge <nudge@example.com>\"" },
	{ "username", CONFIG_TYPE_STRING, CONFIG_KIND_STRING,
	    CHANNEL(username), .flags = KEY_EMAIL, .help = "SMTP login" },
	{ "password_file", CONFIG_TYPE_STRING, CONFIG_KIND_PATH,
	    CHANNEL(password_file), .flags = KEY_EMAIL,
	    .help = "file holding the SMTP password" },
	{ "tls", CONFIG_TYPE_STRING, CONFIG_KIND_CHOICE, CHANNEL(tls_required),
	    .flags = KEY_EMAIL, .def = "required", .values = config_tls_values,
	    .codes = config_tls_codes,
	    .help = "\"required\" or \"none\" (loopback servers only)" },
	{ "tls_verify", CONFIG_TYPE_BOOL, CONFIG_KIND_BOOL, CHANNEL(tls_verify),
	    .flags = KEY_EMAIL | KEY_WEBHOOK, .def = "true",
	    .help = "verify the server's certificate and name" },
	{ "format", CONFIG_TYPE_STRING, CONFIG_KIND_CHOICE, CHANNEL(format),
	    .flags = KEY_WEBHOOK, .def = "json", .values = config_formats,
	    .codes = config_format_codes, .noun = "format",
	    .help = "\"json\" (signed Standard Webhooks), or a chat's own: "
	    "\"slack\", \"mattermost\", \"teams\" (a Workflows URL), "
	    "\"googlechat\"" },
	{ "secret_file", CONFIG_TYPE_STRING, CONFIG_KIND_PATH,
	    CHANNEL(secret_file), .flags = KEY_WEBHOOK,
	    .help = "file holding the signing secret, whsec_..." },
	{ "ca_file", CONFIG_TYPE_STRING, CONFIG_KIND_PATH, CHANNEL(ca_file),
	    .flags = KEY_EMAIL | KEY_WEBHOOK,
	    .help = "PEM file of the CAs to trust instead of the system's" },
	{ "idle", CONFIG_TYPE_STRING, CONFIG_KIND_DURATION, CHANNEL(idle),
	    .flags = KEY_EMAIL | KEY_ELAPSED, .def = "30s", .min = 1,
	    .help = "an SMTP connection idle this long is not used again, "
	    "such as \"30s\"" },
	{ "message_id_domain", CONFIG_TYPE_STRING, CONFIG_KIND_STRING,
	    CHANNEL(message_id_domain), .flags = KEY_EMAIL, .max = 253,
	    .help = "right side of the Message-ID (default: the sender's "
	    "domain)" },
	{ .name = NULL },
};

const struct config_key config_keys_rule[] = {
	{ "name", CONFIG_TYPE_STRING, CONFIG_KIND_STRING, RULE(name),
	    .flags = KEY_NAME, .max = CONFIG_NAME_MAX,
	    .help = "unique: part of every follow-up's identity" },
	{ "on", CONFIG_TYPE_STRING, CONFIG_KIND_STRING, RULE(on),
	    .values = config_rule_events, .noun = "event",
	    .help = "the event, such as \"deal.won\"" },
	/* after and before fill the same offset; config_rule_when() keeps
	 * one. */
	{ "after", CONFIG_TYPE_STRING, CONFIG_KIND_DURATION, RULE(offset),
	    .min = 0,
	    .help = "how long after the event, such as \"3bd\"" },
	{ "before", CONFIG_TYPE_STRING, CONFIG_KIND_DURATION, RULE(offset),
	    .min = 0,
	    .help = "how long before the event, such as \"1bd\"" },
	{ "at", CONFIG_TYPE_STRING, CONFIG_KIND_CLOCK, RULE(at_min),
	    .help = "local time of day such as \"10:00\"" },
	{ "message", CONFIG_TYPE_STRING, CONFIG_KIND_TEMPLATE, RULE(message),
	    .flags = KEY_TEXT,
	    .help = "the reminder, with {{variables}}" },
	{ "notify", CONFIG_TYPE_ARRAY, CONFIG_KIND_LIST, RULE(notify),
	    .offset2 = RULE(nnotify), .flags = KEY_NAME | KEY_UNIQUE,
	    .max = CONFIG_NAME_MAX,
	    .help = "channels instead of the owner's" },
	{ "repeat", CONFIG_TYPE_STRING, CONFIG_KIND_DURATION, RULE(repeat),
	    .min = 1,
	    .help = "repeat while the promise is overdue, such as \"1bd\"" },
	{ "escalate_to", CONFIG_TYPE_STRING, CONFIG_KIND_STRING,
	    RULE(escalate_to), .flags = KEY_NAME | KEY_LOWER,
	    .max = CONFIG_NAME_MAX,
	    .help = "handle of the person who hears of it after "
	    "escalate_after repeats" },
	{ "escalate_after", CONFIG_TYPE_INT, CONFIG_KIND_INT,
	    RULE(escalate_after), .def = "1", .min = 1, .max = CONFIG_INT_MAX,
	    .help = "repeats before escalating, 1 or more" },
	{ "second_chocolate", CONFIG_TYPE_BOOL, CONFIG_KIND_BOOL,
	    RULE(second_chocolate), .def = "false",
	    .help = "marks the come-back-with-more follow-up" },
	{ "gestures", CONFIG_TYPE_ARRAY, CONFIG_KIND_LIST, RULE(gestures),
	    .offset2 = RULE(ngestures), .flags = KEY_EMPTY_OK,
	    .help = "ideas for {{gesture}}, [ \"a handwritten note\", ... ]" },
	{ "window", CONFIG_TYPE_STRING, CONFIG_KIND_DURATION, RULE(window),
	    .def = "1w", .min = 1,
	    .help = "second chocolate: done within this long of its reminder "
	    "counts, such as \"5bd\" (default 1w)" },
	{ "once_per", CONFIG_TYPE_STRING, CONFIG_KIND_DURATION, RULE(once_per),
	    .min = 1,
	    .help = "second chocolate: at most one per account in this period, "
	    "such as \"90d\"" },
	{ .name = NULL },
};

const struct config_key config_keys_cadence[] = {
	{ "name", CONFIG_TYPE_STRING, CONFIG_KIND_STRING, CADENCE(name),
	    .flags = KEY_NAME, .max = CONFIG_NAME_MAX,
	    .help = "unique: part of each stay-in-touch reminder's identity" },
	{ "every", CONFIG_TYPE_STRING, CONFIG_KIND_DURATION, CADENCE(every),
	    .min = 1,
	    .help = "longest quiet spell before the owner is reminded, such "
	    "as \"30d\" or \"20bd\"" },
	{ "accounts", CONFIG_TYPE_ARRAY, CONFIG_KIND_LIST, CADENCE(accounts),
	    .offset2 = CADENCE(naccounts), .flags = KEY_UNIQUE,
	    .max = NAME_MAX_BYTES,
	    .help = "the accounts it is for, [ \"Acme AB\" ] (unset: every "
	    "account no other cadence names)" },
	{ "owner", CONFIG_TYPE_STRING, CONFIG_KIND_STRING, CADENCE(owner),
	    .flags = KEY_NAME | KEY_LOWER, .max = CONFIG_NAME_MAX,
	    .help = "handle of the person reminded (unset: whoever touched "
	    "the account last)" },
	{ .name = NULL },
};

const struct config_key config_keys_promises[] = {
	{ "slack", CONFIG_TYPE_STRING, CONFIG_KIND_PERCENT,
	    PROMISES(slack_percent), .def = "25%", .min = 0, .max = 100,
	    .noun = "share of the lead time",
	    .help = "share of the lead time kept in hand, such as \"25%\"" },
	{ "min_slack", CONFIG_TYPE_STRING, CONFIG_KIND_DURATION,
	    PROMISES(min_slack), .def = "4h", .min = 0,
	    .help = "least slack, such as \"4h\"" },
	{ "max_slack", CONFIG_TYPE_STRING, CONFIG_KIND_DURATION,
	    PROMISES(max_slack), .def = "3bd", .min = 0,
	    .help = "most slack, such as \"3bd\"" },
	/* Set phrases replace the built-in list; [] turns the check off. */
	{ "phrases", CONFIG_TYPE_ARRAY, CONFIG_KIND_LIST, PROMISES(phrases),
	    .offset2 = PROMISES(nphrases), .flags = KEY_EMPTY_OK,
	    .def_list = config_default_phrases,
	    .help = "over-promising phrases to warn about" },
	{ "strict", CONFIG_TYPE_BOOL, CONFIG_KIND_BOOL, PROMISES(strict),
	    .def = "false",
	    .help = "refuse promises that trigger a warning" },
	{ .name = NULL },
};

/* Business days make no sense for a retry clock: plain elapsed time. */
const struct config_key config_keys_delivery[] = {
	{ "attempts", CONFIG_TYPE_INT, CONFIG_KIND_INT, DELIVERY(attempts),
	    .def = "8", .min = 1, .max = 100,
	    .help = "tries per delivery before it is dead, 1 to 100" },
	{ "backoff", CONFIG_TYPE_STRING, CONFIG_KIND_DURATION,
	    DELIVERY(backoff), .flags = KEY_ELAPSED, .def = "30s", .min = 1,
	    .help = "first wait between tries, such as \"30s\"" },
	{ "max_backoff", CONFIG_TYPE_STRING, CONFIG_KIND_DURATION,
	    DELIVERY(max_backoff), .flags = KEY_ELAPSED, .def = "6h",
	    .min = 1, .help = "longest wait between tries, such as \"6h\"" },
	{ "timeout", CONFIG_TYPE_STRING, CONFIG_KIND_DURATION,
	    DELIVERY(timeout), .flags = KEY_ELAPSED, .def = "10s", .min = 1,
	    .help = "per try, such as \"10s\"" },
	{ "late_after", CONFIG_TYPE_STRING, CONFIG_KIND_DURATION,
	    DELIVERY(late_after), .flags = KEY_ELAPSED, .def = "24h", .min = 1,
	    .help = "reminders later than this are folded into one, such as "
	    "\"24h\"" },
	{ .name = NULL },
};

const struct config_key config_keys_http[] = {
	{ "listen", CONFIG_TYPE_STRING, CONFIG_KIND_STRING, HTTP(listen),
	    .def = "127.0.0.1:8470",
	    .help = "address and port, \"127.0.0.1:8470\" or \"[::1]:8470\"; "
	    "keep it on loopback behind a TLS proxy" },
	{ "public_url", CONFIG_TYPE_STRING, CONFIG_KIND_STRING,
	    HTTP(public_url),
	    .help = "the base URL people reach it by, such as "
	    "\"https://nudge.example.com\" (default http://LISTEN)" },
	{ "link_ttl", CONFIG_TYPE_STRING, CONFIG_KIND_DURATION,
	    HTTP(link_ttl), .flags = KEY_ELAPSED, .def = "14d", .min = 1,
	    .help = "how long a reminder's link works after it is sent, "
	    "such as \"14d\"" },
	{ "key_file", CONFIG_TYPE_STRING, CONFIG_KIND_PATH, HTTP(key_file),
	    .help = "the links' signing key, made by nudged (default: the "
	    "database's path + \".linkkey\")" },
	{ "connections", CONFIG_TYPE_INT, CONFIG_KIND_INT, HTTP(connections),
	    .def = "64", .min = 1, .max = 1024,
	    .help = "connections served at once; more wait or are refused" },
	{ "api_rate", CONFIG_TYPE_INT, CONFIG_KIND_INT, HTTP(api_rate),
	    .def = "50", .min = 1, .max = 100000,
	    .help = "API requests a second per token (a burst of twice "
	    "that); more get 429" },
	{ .name = NULL },
};

void
config_free_list(char **v, size_t n)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static int
config_in(const char *const *list, const char *s)
{
	for (; *list != NULL; list++)
		if (strcmp(*list, s) == 0)
			return 1;
	return 0;
}

/* The lists of groups (config_lists, below). */
enum { LIST_CHANNELS, LIST_PEOPLE, LIST_RULES, LIST_CADENCES, LIST_N };

static int config_unknown(struct config_loader *L, const config_setting_t *s,
    const char *where, int list, const char *name);

/* Every name in a notify list must be a channel. */
static int
config_check_notify(struct config_loader *L, const config_setting_t *g,
    const char *where, char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (config_channel(L->cfg, names[i]) == NULL)
			return config_unknown(L,
			    config_setting_get_member(g, "notify"), where,
			    LIST_CHANNELS, names[i]);
	return 0;
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

/* A domain for the right side of a Message-ID (RFC 5322 dot-atom, as
 * host names have it): labels of letters, digits and hyphens. */
static int
config_domain_valid(const char *d)
{
	size_t label = 0;

	for (; *d != '\0'; d++) {
		if (*d == '.' && label > 0)
			label = 0;
		else if (isalnum((unsigned char)*d) || *d == '-')
			label++;
		else
			return 0;
	}
	return label > 0;
}

/* An email channel: a server it can reach, a sender, a login in two
 * halves, and TLS unless the server is on this machine, where there is no
 * wire to protect. */
static int
config_channel_email(struct config_loader *L, const config_setting_t *g,
    const struct config_channel *c, const char *where)
{
	static const char *const smtp[] = { "smtp://", "smtps://", NULL };
	const config_setting_t *tls = config_setting_get_member(g, "tls");
	char host[256];

	if (c->url == NULL)
		return config_fail(L, g, "%s needs a url, \"smtp://host:587\" "
		    "or \"smtps://host:465\"", where);
	if (config_check_url(L, g, where, c->url, smtp, host,
	    sizeof(host)) != 0)
		return -1;
	if (c->from == NULL)
		return config_fail(L, g, "%s needs a from address, such as "
		    "\"nudge <nudge@example.com>\"", where);
	if (strchr(c->from, '@') == NULL)
		return config_bad(L, config_setting_get_member(g, "from"),
		    where, "'%s' has no address in it", c->from);
	if ((c->username != NULL) != (c->password_file != NULL))
		return config_fail(L, g, "%s: username and password_file go "
		    "together", where);
	if (c->message_id_domain != NULL &&
	    !config_domain_valid(c->message_id_domain))
		return config_bad(L, config_setting_get_member(g,
		    "message_id_domain"), where, "'%s' is not a domain name, "
		    "such as \"example.com\"", c->message_id_domain);
	if (c->tls_required)
		return 0;
	if (strncasecmp(c->url, "smtps://", 8) == 0)
		return config_bad(L, tls, where, "smtps:// is always TLS; drop "
		    "tls = \"none\"");
	if (strcasecmp(host, "localhost") != 0 &&
	    strcmp(host, "127.0.0.1") != 0 && strcmp(host, "::1") != 0)
		return config_bad(L, tls, where, "tls = \"none\" is only "
		    "allowed for a loopback server (127.0.0.1, ::1, "
		    "localhost), not '%s'", host);
	return 0;
}

static int
config_channel_webhook(struct config_loader *L, const config_setting_t *g,
    const struct config_channel *c, const char *where)
{
	static const char *const http[] = { "https://", "http://", NULL };
	char host[256];

	if (c->url == NULL)
		return config_fail(L, g, "%s: a webhook needs a url, "
		    "\"https://...\"", where);
	return config_check_url(L, g, where, c->url, http, host,
	    sizeof(host));
}

/* The files the daemon will read, readable now. */
static int
config_channel_files(struct config_loader *L, const config_setting_t *g,
    const struct config_channel *c, const char *where)
{
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

/* A channel's type comes first: each type takes its own keys and has
 * its defaults. */
static int
config_channel_type(struct config_loader *L, const config_setting_t *g,
    const char *where, void *base, unsigned *flag)
{
	struct config_channel *c = base;
	const char *type = NULL;

	/* Every type, as config.h says: the row's default reaches only the
	 * types that take the key. */
	c->tls_verify = 1;
	if (!config_setting_lookup_string(g, "type", &type))
		return config_fail(L, g, "%s needs a type: log, email or "
		    "webhook", where);
	if (config_load_key(L, g, config_key_find(config_keys_channel,
	    "type"), where, c) != 0)
		return -1;
	*flag = config_channel_type_flags[c->type];
	return config_check_applies(L, g, *flag, type, where);
}

/* One channel.  Loaded before people and rules, which name channels. */
static int
config_channel_check(struct config_loader *L, const config_setting_t *g,
    const char *where, void *base)
{
	const struct config_channel *c = base;

	if (c->type == CONFIG_CHANNEL_EMAIL &&
	    config_channel_email(L, g, c, where) != 0)
		return -1;
	if (c->type == CONFIG_CHANNEL_WEBHOOK &&
	    config_channel_webhook(L, g, c, where) != 0)
		return -1;
	return config_channel_files(L, g, c, where);
}

/* What a person leaves unsaid that depends on the rest of the file: the
 * top-level time zone, and the log channel to be notified on. */
static int
config_person_defaults(struct config_loader *L, const config_setting_t *g,
    struct config_person *p, const char *where)
{
	if (p->timezone == NULL &&
	    (p->timezone = strdup(L->cfg->timezone)) == NULL)
		return config_oom(L);
	if (p->notify != NULL)
		return 0;
	if (config_channel(L->cfg, "log") == NULL)
		return config_fail(L, g, "%s has no notify list and there is no "
		    "channel named 'log' to default to", where);
	if ((p->notify = calloc(2, sizeof(char *))) == NULL ||
	    (p->notify[0] = strdup("log")) == NULL)
		return config_oom(L);
	p->nnotify = 1;
	return 0;
}

/* The channels a person is notified on exist, and an email channel has
 * an address to write to. */
static int
config_person_notify(struct config_loader *L, const config_setting_t *g,
    const struct config_person *p, const char *where)
{
	const struct config_channel *ch;
	size_t i;

	if (config_check_notify(L, g, where, p->notify, p->nnotify) != 0)
		return -1;
	for (i = 0; i < p->nnotify; i++) {
		ch = config_channel(L->cfg, p->notify[i]);
		if (ch->type == CONFIG_CHANNEL_EMAIL && p->email == NULL)
			return config_fail(L, g, "%s is notified on email "
			    "channel '%s' but has no email", where, ch->name);
	}
	return 0;
}

/* The shared days off added to the person's own, so the time arithmetic
 * needs only this struct. */
static int
config_person_holidays(struct config_loader *L, struct config_person *p)
{
	int32_t *tmp;

	if (L->nshared > 0) {
		if ((tmp = realloc(p->holidays, (p->nholidays + L->nshared) *
		    sizeof(*tmp))) == NULL)
			return config_oom(L);
		p->holidays = tmp;
		memcpy(p->holidays + p->nholidays, L->shared, L->nshared *
		    sizeof(*tmp));
		p->nholidays += L->nshared;
	}
	config_sort_days(p->holidays, &p->nholidays);
	return 0;
}

/* One person, after the channels, which they are notified on. */
static int
config_person_check(struct config_loader *L, const config_setting_t *g,
    const char *where, void *base)
{
	struct config_person *p = base;

	if (config_person_defaults(L, g, p, where) != 0 ||
	    config_person_notify(L, g, p, where) != 0)
		return -1;
	return config_person_holidays(L, p);
}

/* When a rule fires: an event, and exactly one of after and before, the
 * latter only for events known in advance. */
static int
config_rule_when(struct config_loader *L, const config_setting_t *g,
    struct config_rule *r, const char *where)
{
	config_setting_t *after, *before;
	char *events;
	int rc;

	if (r->on == NULL) {
		if ((events = names_join(config_rule_events, " or ")) == NULL)
			return config_oom(L);
		rc = config_fail(L, g, "%s needs on = \"EVENT\" (%s)", where,
		    events);
		free(events);
		return rc;
	}
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
	return 0;
}

/* A {{link}} is a link to the HTTP listener: there must be one. */
static int
config_rule_link(struct config_loader *L, const config_setting_t *g,
    const struct config_rule *r, const char *where)
{
	if (L->cfg->http.enabled || !template_uses(r->message, "link"))
		return 0;
	return config_bad(L, config_setting_get_member(g, "message"), where,
	    "{{link}} needs the HTTP listener: add http = { listen = "
	    "\"127.0.0.1:8470\"; public_url = \"https://...\"; } (see "
	    "nudge.conf(5))");
}

/* A {{gesture}} in the message needs gestures to pick from, and gestures
 * are of no use to a message without one. */
static int
config_rule_gestures(struct config_loader *L, const config_setting_t *g,
    const struct config_rule *r, const char *where)
{
	int uses;

	if (r->message == NULL)
		return config_fail(L, g, "%s needs a message", where);
	uses = template_uses(r->message, "gesture");
	if (!uses && r->ngestures > 0)
		return config_fail(L, config_setting_get_member(g, "gestures"),
		    "%s lists gestures but its message has no {{gesture}}",
		    where);
	if (uses && r->ngestures == 0)
		return config_bad(L, config_setting_get_member(g, "message"),
		    where, "{{gesture}} needs a list of gestures = [ ... ] in "
		    "the rule");
	return config_rule_link(L, g, r, where);
}

/* The rule's channels exist.  Anyone may own a deal or promise: an email
 * channel in a rule needs an address for everyone. */
static int
config_rule_notify(struct config_loader *L, const config_setting_t *g,
    const struct config_rule *r, const char *where)
{
	const struct config_channel *ch;
	size_t i, k;

	if (config_check_notify(L, g, where, r->notify, r->nnotify) != 0)
		return -1;
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
	return 0;
}

/* Repeats only where the engine repeats (overdue promises); escalation
 * only with repeats, to someone who exists. */
static int
config_rule_repeat(struct config_loader *L, const config_setting_t *g,
    struct config_rule *r, const char *where)
{
	const config_setting_t *to = config_setting_get_member(g,
	    "escalate_to");

	r->has_repeat = config_setting_get_member(g, "repeat") != NULL;
	if (r->has_repeat && strcmp(r->on, "promise.overdue") != 0)
		return config_bad(L, config_setting_get_member(g, "repeat"),
		    where, "only promise.overdue rules repeat (while the "
		    "promise stays open)");
	if (to == NULL && config_setting_get_member(g, "escalate_after") !=
	    NULL)
		return config_bad(L, config_setting_get_member(g,
		    "escalate_after"), where, "needs escalate_to, the person "
		    "to escalate to");
	if (to == NULL)
		return 0;
	if (!r->has_repeat)
		return config_bad(L, to, where, "escalation happens after "
		    "repeats: set repeat too");
	if (config_person(L->cfg, r->escalate_to) != NULL)
		return 0;
	return config_unknown(L, to, where, LIST_PEOPLE, r->escalate_to);
}

/* window and once_per belong to the second chocolate, which follows a won
 * deal. */
static int
config_rule_chocolate(struct config_loader *L, const config_setting_t *g,
    struct config_rule *r, const char *where)
{
	static const char *const keys[] = { "window", "once_per" };
	const config_setting_t *s;
	size_t i;

	r->has_once_per = config_setting_get_member(g, "once_per") != NULL;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if ((s = config_setting_get_member(g, keys[i])) != NULL &&
		    !r->second_chocolate)
			return config_bad(L, s, where, "only a rule with "
			    "second_chocolate = true has a %s", keys[i]);
	if (r->second_chocolate && strcmp(r->on, "deal.won") != 0)
		return config_bad(L, config_setting_get_member(g,
		    "second_chocolate"), where, "the second chocolate comes "
		    "after a won deal: on = \"deal.won\"");
	return 0;
}

/*
 * One rule, after people and channels, which it names.  Besides the
 * values, the combinations: a setting the engine would ignore is
 * reported, not accepted.
 */
static int
config_rule_check(struct config_loader *L, const config_setting_t *g,
    const char *where, void *base)
{
	struct config_rule *r = base;

	if (config_rule_when(L, g, r, where) != 0 ||
	    config_rule_gestures(L, g, r, where) != 0 ||
	    config_rule_notify(L, g, r, where) != 0 ||
	    config_rule_repeat(L, g, r, where) != 0)
		return -1;
	return config_rule_chocolate(L, g, r, where);
}

/* An account named by two cadences, or a second catch-all: which one
 * applies would be a guess. */
static int
config_cadence_unique(struct config_loader *L, const config_setting_t *g,
    const struct config_cadence *c, const char *where)
{
	const struct config_cadence *o;
	size_t i, k, j;

	for (i = 0; i < L->cfg->ncadences; i++) {
		o = &L->cfg->cadences[i];
		if (o == c || o->name == NULL)
			continue;
		if (c->accounts == NULL && o->accounts == NULL)
			return config_fail(L, g, "%s and cadence '%s' (line %d) "
			    "both have no accounts list: only one can be the "
			    "cadence of every other account", where, o->name,
			    o->line);
		for (k = 0; k < c->naccounts; k++)
			for (j = 0; j < o->naccounts; j++)
				if (strcasecmp(c->accounts[k],
				    o->accounts[j]) == 0)
					return config_fail(L, g, "%s: account "
					    "'%s' is already in cadence '%s' "
					    "(line %d)", where, c->accounts[k],
					    o->name, o->line);
	}
	return 0;
}

/* One stay-in-touch cadence, after people, whom it names. */
static int
config_cadence_check(struct config_loader *L, const config_setting_t *g,
    const char *where, void *base)
{
	const struct config_cadence *c = base;

	if (config_setting_get_member(g, "every") == NULL)
		return config_fail(L, g, "%s needs every, such as \"30d\"",
		    where);
	if (c->owner != NULL && config_person(L->cfg, c->owner) == NULL)
		return config_unknown(L, config_setting_get_member(g,
		    "owner"), where, LIST_PEOPLE, c->owner);
	return config_cadence_unique(L, g, c, where);
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

/* Where a message about key in group g points: its setting, or the
 * group when the file leaves the key at its default. */
static const config_setting_t *
config_at(const config_setting_t *g, const char *key)
{
	const config_setting_t *s = config_setting_get_member(g, key);

	return s != NULL ? s : g;
}

/* The promises group: the slack that puts the internal target before the
 * customer's date, and the over-promise check. */
static int
config_promises_check(struct config_loader *L, const config_setting_t *g,
    const char *where, void *base)
{
	const struct config_promises *p = base;

	if (config_slack_order(&p->min_slack, &p->max_slack) != 0)
		return 0;
	return config_fail(L, config_at(g, "max_slack"), "%s: max_slack is "
	    "less than min_slack", where);
}

/* The delivery group: retry policy. */
static int
config_delivery_check(struct config_loader *L, const config_setting_t *g,
    const char *where, void *base)
{
	const struct config_delivery *d = base;

	if (d->max_backoff.seconds >= d->backoff.seconds)
		return 0;
	return config_fail(L, config_at(g, "max_backoff"), "%s: max_backoff "
	    "is shorter than backoff", where);
}

int
config_http_listen(const char *listen, char *host, size_t hostlen,
    int *port)
{
	const char *colon = strrchr(listen, ':'), *h = listen;
	unsigned char buf[sizeof(struct in6_addr)];
	size_t n;
	char *end;
	long v;

	if (colon == NULL || colon == listen)
		return -1;
	n = (size_t)(colon - listen);
	if (*h == '[') {
		/* [v6]:port */
		if (n < 3 || listen[n - 1] != ']')
			return -1;
		h++;
		n -= 2;
	} else if (memchr(h, ':', n) != NULL)
		return -1;
	if (n == 0 || n >= hostlen || colon[1] < '1' || colon[1] > '9')
		return -1;
	v = strtol(colon + 1, &end, 10);
	if (*end != '\0' || v < 1 || v > 65535)
		return -1;
	memcpy(host, h, n);
	host[n] = '\0';
	*port = (int)v;
	/* An address, not a name: nudged listens before any resolver is
	 * worth asking, and a name could mean a public address. */
	return inet_pton(*listen == '[' ? AF_INET6 : AF_INET, host, buf) == 1 ?
	    0 : -1;
}

/* public_url: http(s)://host[:port][/path], kept without a trailing
 * '/', so a link is public_url + "/l/" + token. */
static int
config_http_public(struct config_loader *L, const config_setting_t *g,
    struct config_http *h)
{
	const config_setting_t *s = config_setting_get_member(g,
	    "public_url");
	size_t n;

	if (h->public_url == NULL)
		return asprintf(&h->public_url, "http://%s", h->listen) < 0 ?
		    (h->public_url = NULL, config_oom(L)) : 0;
	if ((strncmp(h->public_url, "https://", 8) != 0 &&
	    strncmp(h->public_url, "http://", 7) != 0) ||
	    strcspn(h->public_url, "?# \t\"<>") != strlen(h->public_url) ||
	    h->public_url[strcspn(h->public_url, ":") + 3] == '\0')
		return config_bad(L, s, "http", "'%s' is not a base URL such "
		    "as \"https://nudge.example.com\" (http:// or https://, a "
		    "host, no ? or #)", h->public_url);
	n = strlen(h->public_url);
	while (n > 0 && h->public_url[n - 1] == '/')
		h->public_url[--n] = '\0';
	return 0;
}

/* The http group: the listener of one-click actions (daemon/http.c). */
static int
config_http_check(struct config_loader *L, const config_setting_t *g,
    const char *where, void *base)
{
	struct config_http *h = base;
	char host[64];
	int port;

	h->enabled = 1;
	if (config_http_listen(h->listen, host, sizeof(host), &port) != 0)
		return config_bad(L, config_setting_get_member(g, "listen"),
		    where, "'%s' is not ADDRESS:PORT such as "
		    "\"127.0.0.1:8470\" or \"[::1]:8470\" (port 1 to 65535)",
		    h->listen);
	if (config_http_public(L, g, h) != 0)
		return -1;
	if (h->key_file == NULL && asprintf(&h->key_file, "%s.linkkey",
	    L->cfg->database) < 0) {
		h->key_file = NULL;
		return config_oom(L);
	}
	return 0;
}

/* The top level's own keys, and what they need from the system: a
 * socket path that fits, the shared holidays sorted for the people. */
static int
config_top_check(struct config_loader *L, const config_setting_t *root,
    const char *where, void *base)
{
	const struct config *cfg = base;
	config_setting_t *s;
	char sock[256], *err = NULL;

	if (wake_socket_path(cfg->runtime_dir, sock, sizeof(sock), &err) != 0)
		return config_bad_err(L, config_setting_get_member(root,
		    "runtime_dir"), where, err);
	if ((s = config_setting_get_member(root, "holidays")) != NULL &&
	    config_dates(L, s, where, &L->shared, &L->nshared) != 0)
		return -1;
	config_sort_days(L->shared, &L->nshared);
	return 0;
}

/*
 * A group that is one per file (key NULL: the top level itself): its
 * rows fill the struct at offset in struct config, then check does what
 * is about several keys.
 */
struct config_group {
	const char *key;
	const struct config_key *table;
	size_t offset;
	config_check_fn *check;
};

enum { GROUP_TOP, GROUP_HTTP, GROUP_PROMISES, GROUP_DELIVERY, GROUP_N };

static const struct config_group config_groups[GROUP_N] = {
	[GROUP_TOP] = { NULL, config_keys_top, 0, config_top_check },
	[GROUP_HTTP] = { "http", config_keys_http, TOP(http),
	    config_http_check },
	[GROUP_PROMISES] = { "promises", config_keys_promises, TOP(promises),
	    config_promises_check },
	[GROUP_DELIVERY] = { "delivery", config_keys_delivery, TOP(delivery),
	    config_delivery_check },
};

/*
 * A list of groups, each an element of an array in struct config (at
 * offset arr, its count at n), named by its key `id`, unique in the list.
 * Each element's rows apply to the type flag its `type` sets (NULL: all
 * rows), then check does what is about several keys and other groups.
 */
struct config_list {
	const char *key;
	const char *kind;               /* what messages call one: "person" */
	const char *id;
	const struct config_key *table;
	size_t arr, n;
	size_t size, line;              /* an element's size, its int line */
	config_type_fn *type;
	config_check_fn *check;
};

static const struct config_list config_lists[LIST_N] = {
	[LIST_CHANNELS] = { "channels", "channel", "name",
	    config_keys_channel, TOP(channels), TOP(nchannels),
	    sizeof(struct config_channel), CHANNEL(line),
	    config_channel_type, config_channel_check },
	[LIST_PEOPLE] = { "people", "person", "handle", config_keys_person,
	    TOP(people), TOP(npeople), sizeof(struct config_person),
	    PERSON(line), NULL, config_person_check },
	[LIST_RULES] = { "rules", "rule", "name", config_keys_rule,
	    TOP(rules), TOP(nrules), sizeof(struct config_rule), RULE(line),
	    NULL, config_rule_check },
	[LIST_CADENCES] = { "cadences", "cadence", "name",
	    config_keys_cadence, TOP(cadences), TOP(ncadences),
	    sizeof(struct config_cadence), CADENCE(line), NULL,
	    config_cadence_check },
};

/* The defaults of the groups that are one per file, before the file is
 * read; the lists' elements get theirs as each is loaded. */
int
config_defaults(struct config_loader *L)
{
	const struct config_group *grp;

	for (grp = config_groups; grp < config_groups + GROUP_N; grp++)
		if (config_default_rows(L, grp->table, 0, (char *)L->cfg +
		    grp->offset) != 0)
			return -1;
	return 0;
}

static int
config_load_group(struct config_loader *L, const config_setting_t *root,
    const struct config_group *grp)
{
	const config_setting_t *g = grp->key != NULL ?
	    config_setting_get_member(root, grp->key) : root;
	void *base = (char *)L->cfg + grp->offset;

	if (g == NULL)
		return 0;
	if (config_check_group(L, g, grp->table, grp->key) != 0 ||
	    config_load_rows(L, g, grp->table, 0, grp->key, base) != 0)
		return -1;
	return grp->check(L, g, grp->key, base);
}

/* The array of list l in cfg (NULL when the file has none), and its
 * count. */
static char *
config_list_array(const struct config *cfg, const struct config_list *l)
{
	char *arr;

	/* memcpy(): the field is a struct's pointer, not a char *. */
	memcpy(&arr, (const char *)cfg + l->arr, sizeof(arr));
	return arr;
}

static size_t *
config_list_count(struct config *cfg, const struct config_list *l)
{
	return (size_t *)(void *)((char *)cfg + l->n);
}

/* The names (strings at name_off) of the n elements of arr, size bytes
 * each, as "a, b, c"; NULL when none has one or out of memory. */
static char *
config_names(const char *arr, size_t n, size_t size, size_t name_off)
{
	const char **names;
	char *out;
	size_t i, k = 0;

	if (n == 0 || (names = calloc(n + 1, sizeof(*names))) == NULL)
		return NULL;
	for (i = 0; i < n; i++, arr += size)
		if ((names[k] = *(const char *const *)(const void *)(arr +
		    name_off)) != NULL)
			k++;
	out = k > 0 ? names_join(names, ", ") : NULL;
	free(names);
	return out;
}

/* name is no element of the list: say which there are ("unknown channel
 * 'x' (channels: log, email)"). */
static int
config_unknown(struct config_loader *L, const config_setting_t *s,
    const char *where, int list, const char *name)
{
	const struct config_list *l = &config_lists[list];
	char *known = config_names(config_list_array(L->cfg, l),
	    *config_list_count(L->cfg, l), l->size,
	    config_key_find(l->table, l->id)->offset);
	int rc;

	rc = config_bad(L, s, where, "unknown %s '%s' (%s: %s)", l->kind, name,
	    l->key, known != NULL ? known : "none");
	free(known);
	return rc;
}

/* The element of arr (n of size bytes) whose string at name_off is name;
 * NULL when none.  Elements not loaded yet have no name. */
static const void *
config_find(const void *arr, size_t n, size_t size, size_t name_off,
    const char *name)
{
	const char *e = arr, *v;
	size_t i;

	if (name == NULL)
		return NULL;
	for (i = 0; i < n; i++, e += size) {
		v = *(const char *const *)(const void *)(e + name_off);
		if (v != NULL && strcmp(v, name) == 0)
			return e;
	}
	return NULL;
}

/* The element's name, at key k: there, and not the name of one before
 * it. */
static int
config_list_name(struct config_loader *L, const config_setting_t *g,
    const struct config_list *l, const struct config_key *k,
    const char *where, const char *base)
{
	const char *name = *(const char *const *)(const void *)(base +
	    k->offset), *dup;

	if (name == NULL)
		return config_fail(L, g, "%s needs a %s", where, l->id);
	dup = config_find(config_list_array(L->cfg, l),
	    *config_list_count(L->cfg, l), l->size, k->offset, name);
	if (dup == base)
		return 0;
	return config_fail(L, g, "%s '%s' is defined twice (first on line %d)",
	    l->kind, name, *(const int *)(const void *)(dup + l->line));
}

/*
 * One element of list l: how messages name it, its keys checked against
 * its table, its name, its rows (defaults first), then its own checks.
 */
static int
config_list_elem(struct config_loader *L, const config_setting_t *g,
    const struct config_list *l, int index, char *base)
{
	const struct config_key *k = config_key_find(l->table, l->id);
	char where[CONFIG_NAME_MAX + 32];
	unsigned flag = 0;

	*(int *)(void *)(base + l->line) = config_setting_line(L, g);
	config_where(g, l->id, l->kind, index, where, sizeof(where));
	if (config_check_group(L, g, l->table, where) != 0 ||
	    config_load_key(L, g, k, where, base) != 0 ||
	    config_list_name(L, g, l, k, where, base) != 0 ||
	    (l->type != NULL && l->type(L, g, where, base, &flag) != 0) ||
	    config_default_rows(L, l->table, flag, base) != 0 ||
	    config_load_rows(L, g, l->table, flag, where, base) != 0)
		return -1;
	return l->check(L, g, where, base);
}

/*
 * The groups of list l in a new array.  The count grows only as each
 * element is loaded, so config_free() after a failure frees exactly what
 * was filled in.
 */
static int
config_load_list(struct config_loader *L, const config_setting_t *root,
    const struct config_list *l)
{
	config_setting_t *list = config_setting_get_member(root, l->key);
	size_t len = list != NULL ? (size_t)config_setting_length(list) : 0, i;
	char *v;

	if (len == 0)
		return 0;
	if ((v = calloc(len, l->size)) == NULL)
		return config_oom(L);
	/* In place at once: each element is checked against those before
	 * it (config_list_name() finds a name defined twice). */
	memcpy((char *)L->cfg + l->arr, &v, sizeof(v));
	for (i = 0; i < len; i++) {
		(*config_list_count(L->cfg, l))++;
		if (config_list_elem(L, config_setting_get_elem(list,
		    (unsigned)i), l, (int)i, v + i * l->size) != 0)
			return -1;
	}
	return 0;
}

/*
 * The top level, then the groups in dependency order: channels (people,
 * rules and ops name them), people (rules name them), rules, policies.
 */
int
config_load_root(struct config_loader *L, const config_setting_t *root)
{
	struct config *cfg = L->cfg;

	if (config_load_group(L, root, &config_groups[GROUP_TOP]) != 0 ||
	    config_load_list(L, root, &config_lists[LIST_CHANNELS]) != 0)
		return -1;
	if (cfg->ops != NULL && config_channel(cfg, cfg->ops) == NULL)
		return config_unknown(L, config_setting_get_member(root,
		    "ops"), NULL, LIST_CHANNELS, cfg->ops);
	if (config_load_group(L, root, &config_groups[GROUP_HTTP]) != 0 ||
	    config_load_list(L, root, &config_lists[LIST_PEOPLE]) != 0 ||
	    config_load_list(L, root, &config_lists[LIST_RULES]) != 0 ||
	    config_load_list(L, root, &config_lists[LIST_CADENCES]) != 0 ||
	    config_load_group(L, root, &config_groups[GROUP_PROMISES]) != 0 ||
	    config_load_group(L, root, &config_groups[GROUP_DELIVERY]) != 0)
		return -1;
	return 0;
}

/* What the rows of every group and list element own, by their tables. */
void
config_free(struct config *cfg)
{
	const struct config_list *l;
	const struct config_group *grp;
	char *arr;
	size_t i;

	if (cfg == NULL)
		return;
	for (l = config_lists; l < config_lists + LIST_N; l++) {
		arr = config_list_array(cfg, l);
		for (i = 0; i < *config_list_count(cfg, l); i++)
			config_free_rows(l->table, arr + i * l->size);
		free(arr);
	}
	for (grp = config_groups; grp < config_groups + GROUP_N; grp++)
		config_free_rows(grp->table, (char *)cfg + grp->offset);
	free(cfg->path);
	free(cfg);
}

const struct config_person *
config_person(const struct config *cfg, const char *handle)
{
	return cfg == NULL ? NULL : config_find(cfg->people, cfg->npeople,
	    sizeof(*cfg->people), PERSON(handle), handle);
}

const struct config_channel *
config_channel(const struct config *cfg, const char *name)
{
	return cfg == NULL ? NULL : config_find(cfg->channels,
	    cfg->nchannels, sizeof(*cfg->channels), CHANNEL(name), name);
}

const struct config_cadence *
config_cadence_for(const struct config *cfg, const char *account)
{
	const struct config_cadence *all = NULL;
	size_t i, k;

	if (cfg == NULL || account == NULL)
		return NULL;
	for (i = 0; i < cfg->ncadences; i++) {
		if (cfg->cadences[i].accounts == NULL)
			all = &cfg->cadences[i];
		for (k = 0; k < cfg->cadences[i].naccounts; k++)
			if (strcasecmp(cfg->cadences[i].accounts[k],
			    account) == 0)
				return &cfg->cadences[i];
	}
	return all;
}

/* NULL when there is nobody (callers print "none") or out of memory. */
char *
config_people_list(const struct config *cfg)
{
	if (cfg == NULL)
		return NULL;
	return config_names((const char *)cfg->people, cfg->npeople,
	    sizeof(*cfg->people), PERSON(handle));
}
