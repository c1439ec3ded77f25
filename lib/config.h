/*
 * The configuration: one libconfig file with people, channels, rules and
 * policies (etc/nudge.conf documents every key; nudge.conf(5) too).
 *
 * config_load() validates everything it can before anything runs: unknown
 * keys, wrong types, bad durations, times, hours, days, dates and zones,
 * names that refer to nothing, unreadable secret files, templates.  The
 * first mistake becomes *errp as "FILE:LINE: what is wrong".  The loaded
 * struct owns copies of all strings; relative paths in the file (database,
 * runtime_dir, password_file, secret_file) are made absolute against the
 * file's directory, and so is `path`.
 */
#ifndef NUDGE_CONFIG_H
#define NUDGE_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "timeutil.h"

struct config_person {
	char *handle, *name, *email, *timezone;  /* name, email may be NULL */
	int hours_start, hours_end;     /* minutes of day, end <= 1440 */
	unsigned days;                  /* TIMEUTIL_* bits */
	char **notify;                  /* channel names, NULL-terminated */
	size_t nnotify;
	int capacity;                   /* open promises due in a week; 0 = no
					   limit */
	int digest_min;                 /* local time of the digest; -1 none */
	int weekly_summary;
	int language;                   /* enum lang (words.h): pages, and
					   nudge's own words in messages */
	int32_t *holidays;              /* own + shared, sorted, unique */
	size_t nholidays;
	int line;
};

enum config_channel_type {
	CONFIG_CHANNEL_LOG,
	CONFIG_CHANNEL_EMAIL,
	CONFIG_CHANNEL_WEBHOOK,
};

/* What a webhook channel's body is (daemon/chat_format.h for the chats). */
enum config_webhook_format {
	CONFIG_WEBHOOK_JSON,            /* Standard Webhooks, signed */
	CONFIG_WEBHOOK_SLACK,           /* Block Kit and a text fallback */
	CONFIG_WEBHOOK_MATTERMOST,      /* Markdown text */
	CONFIG_WEBHOOK_TEAMS,           /* Workflows: an Adaptive Card */
	CONFIG_WEBHOOK_GOOGLECHAT,      /* {"text"} */
};

struct config_channel {
	char *name;
	enum config_channel_type type;
	char *url, *from, *username;    /* NULL when not set */
	char *password_file, *secret_file;  /* absolute, readable at load */
	char *ca_file;                  /* the same; NULL: the system's CAs */
	int tls_required;               /* email: STARTTLS or smtps:// */
	int tls_verify;                 /* verify peer and host (default 1) */
	enum config_webhook_format format;  /* webhook only (default JSON) */
	/* email: a connection idle longer is not reused (elapsed seconds) */
	struct timeutil_duration idle;
	char *message_id_domain;        /* email; NULL: the sender's domain */
	int line;
};

struct config_rule {
	char *name, *on, *message;
	struct timeutil_duration offset;
	int before;                     /* offset counts back from the event */
	int at_min;                     /* local time of day; -1 none */
	char **notify;                  /* NULL: the owner's channels */
	size_t nnotify;
	struct timeutil_duration repeat;  /* promise.overdue only */
	int has_repeat;
	char *escalate_to;              /* a handle in people, or NULL */
	int escalate_after;             /* repeats; 1 when escalate_to alone */
	int second_chocolate;
	char **gestures;                /* for {{gesture}}; NULL when none */
	size_t ngestures;
	struct timeutil_duration window;    /* second chocolate: done in time */
	struct timeutil_duration once_per;  /* one per account per period */
	int has_once_per;
	int line;
};

/* A stay-in-touch cadence: the accounts it names (none: every account no
 * other cadence names) are reminded of after `every` without a touch. */
struct config_cadence {
	char *name;
	struct timeutil_duration every;
	char **accounts;                /* NULL: the catch-all */
	size_t naccounts;
	char *owner;                    /* a handle; NULL: who touched last */
	int line;
};

struct config_promises {
	int slack_percent;
	struct timeutil_duration min_slack, max_slack;
	char **phrases;                 /* NULL-terminated */
	size_t nphrases;
	int strict;
};

struct config_delivery {
	int attempts;
	/* elapsed seconds: days are folded in, business days are refused */
	struct timeutil_duration backoff, max_backoff, timeout, late_after;
};

/* The HTTP listener of one-click actions (daemon/http.c); off unless
 * the file has an http group. */
struct config_http {
	int enabled;
	char *listen;                   /* "127.0.0.1:8470" */
	char *public_url;               /* no trailing '/'; default from listen */
	struct timeutil_duration link_ttl;  /* elapsed */
	char *key_file;                 /* default: the database's + ".linkkey" */
	int connections;                /* at once, no more */
	int api_rate;                   /* a second per token (docs/API.md) */
};

struct config {
	char *path, *database, *timezone, *runtime_dir;
	char *ops;                      /* channel name, or NULL */
	int weekly_day;                 /* weekly summary: 0 = Monday; -1 off */
	int weekly_min;                 /* ... at this local minute of day */
	/* `report --effect` and the summary: bought again within it
	 * (elapsed seconds) */
	struct timeutil_duration effect_horizon;
	struct config_person *people;
	size_t npeople;
	struct config_channel *channels;
	size_t nchannels;
	struct config_rule *rules;
	size_t nrules;
	struct config_promises promises;
	struct config_delivery delivery;
	struct config_cadence *cadences;
	size_t ncadences;
	struct config_http http;
};

/* The events a rule can be on (NULL-terminated). */
extern const char *const config_rule_events[];

/* 0 and *out set, or -1 with *out NULL and a message in *errp. */
int config_load(const char *path, struct config **out, char **errp);
/* config_free(NULL) does nothing. */
void config_free(struct config *cfg);
/* $NUDGE_CONFIG if set and non-empty, else NUDGE_SYSCONFDIR
 * "/nudge/nudge.conf". */
const char *config_default_path(void);
/* NULL when there is no such person or channel. */
const struct config_person *config_person(const struct config *cfg,
    const char *handle);
const struct config_channel *config_channel(const struct config *cfg,
    const char *name);
/* The cadence of the account called name: the one naming it (names
 * compare as the database does, ASCII case ignored), else the catch-all;
 * NULL when none applies. */
const struct config_cadence *config_cadence_for(const struct config *cfg,
    const char *account);
/* Split http.listen ("127.0.0.1:8470", "[::1]:8470") into its address
 * (host, hostlen bytes) and port: 0, or -1 when it is not one. */
int config_http_listen(const char *listen, char *host, size_t hostlen,
    int *port);
/* "anna, bo, carl" for messages listing known people; caller frees.  NULL
 * when there are none (print "none") or out of memory. */
char *config_people_list(const struct config *cfg);

#endif
