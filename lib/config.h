/*
 * The configuration: one libconfig file with people, channels, rules and
 * policies.  config_load() validates everything it can before anything
 * runs: every error names file and line.  The loaded struct owns copies of
 * all strings; relative paths in the file are made absolute against the
 * file's directory.
 */
#ifndef NUDGE_CONFIG_H
#define NUDGE_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "timeutil.h"

struct config_person {
	char *handle, *name, *email, *timezone;
	int hours_start, hours_end;     /* minutes of day */
	unsigned days;                  /* TIMEUTIL_* bits */
	char **notify;                  /* channel names */
	size_t nnotify;
	int capacity;                   /* open promises per week; 0 = no limit */
	int digest_min;                 /* local time of the digest; -1 none */
	int weekly_summary;
	int32_t *holidays;              /* own + shared, sorted, unique */
	size_t nholidays;
	int line;
};

enum config_channel_type {
	CONFIG_CHANNEL_LOG,
	CONFIG_CHANNEL_EMAIL,
	CONFIG_CHANNEL_WEBHOOK,
};

enum config_webhook_format {
	CONFIG_WEBHOOK_JSON,
	CONFIG_WEBHOOK_SLACK,
};

struct config_channel {
	char *name;
	enum config_channel_type type;
	char *url, *from, *username, *password_file, *secret_file;
	int tls_required;               /* email: STARTTLS or smtps:// */
	int tls_verify;                 /* verify peer and host (default 1) */
	enum config_webhook_format format;
	int line;
};

struct config_rule {
	char *name, *on, *message;
	struct timeutil_duration offset;
	int before;                     /* offset counts back from the event */
	int at_min;                     /* local time of day; -1 none */
	char **notify;
	size_t nnotify;
	struct timeutil_duration repeat;
	int has_repeat;
	char *escalate_to;
	int escalate_after;
	int second_chocolate;
	char **gestures;
	size_t ngestures;
	int line;
};

struct config_promises {
	int slack_percent;
	struct timeutil_duration min_slack, max_slack;
	char **phrases;
	size_t nphrases;
	int strict;
};

struct config_delivery {
	int attempts;
	/* seconds: days are folded in, business days are refused */
	struct timeutil_duration backoff, max_backoff, timeout, late_after;
};

struct config {
	char *path, *database, *timezone, *runtime_dir, *ops;
	struct config_person *people;
	size_t npeople;
	struct config_channel *channels;
	size_t nchannels;
	struct config_rule *rules;
	size_t nrules;
	struct config_promises promises;
	struct config_delivery delivery;
};

/* The events a rule can be on (NULL-terminated). */
extern const char *const config_rule_events[];

int config_load(const char *path, struct config **out, char **errp);
void config_free(struct config *cfg);
/* $NUDGE_CONFIG if set and non-empty, else SYSCONFDIR/nudge/nudge.conf. */
const char *config_default_path(void);
const struct config_person *config_person(const struct config *cfg,
    const char *handle);
const struct config_channel *config_channel(const struct config *cfg,
    const char *name);
/* "anna, bo, carl" for messages; caller frees. */
char *config_people_list(const struct config *cfg);

#endif
