/*
 * A reminder as a chat's incoming webhook takes it: the body's bytes for
 * Slack (Block Kit and a text fallback), Mattermost (Markdown text),
 * Microsoft Teams (an Adaptive Card for a Workflows "when a webhook
 * request is received" flow) and Google Chat ({"text"}).  No I/O and no
 * database: webhook.c gives the fields and sends what comes back.
 *
 * Every field a person or the database supplies is escaped for its
 * format (docs/FORMATS.md says how, format by format), so a name or an
 * account such as "<!here>" or "<https://evil.example|Acme>" is shown,
 * never obeyed; each format's length limits hold, a cut text ending in
 * "…" on a character boundary.  A link goes in only when link_url_safe()
 * says it needs no escaping in any of them.
 */
#ifndef NUDGED_CHAT_FORMAT_H
#define NUDGED_CHAT_FORMAT_H

#include <stddef.h>
#include <time.h>

#include "config.h"
#include "words.h"

/* What a chat message says; every string borrowed. */
struct chat_message {
	const char *who;        /* the person's display name, else handle */
	const char *text;       /* the reminder */
	const char *account;    /* NULL: none */
	time_t due_at;          /* shown in zone */
	const char *zone;
	/* The action link (lib/link.h), NULL: none.  Its buttons open the
	 * page at a form: Done and Snooze, and Promise kept with promise
	 * set.  Never a POST from the chat: only the page's form acts. */
	const char *link;
	int promise;
	enum lang lang;         /* of nudge's own words: labels, buttons */
};

/* How a field is escaped. */
enum chat_style {
	CHAT_PLAIN,             /* no markup: only cut and made valid UTF-8 */
	CHAT_SLACK,             /* & < > as entities */
	CHAT_MATTERMOST,        /* entities, Markdown escaped, @ inert */
	CHAT_GOOGLECHAT,        /* markup and < made inert */
};

/* The limits, in UTF-16 code units (what the services count, and never
 * fewer than code points). */
#define CHAT_SLACK_HEADER_MAX   150     /* a header block's text */
#define CHAT_SLACK_SECTION_MAX  3000    /* a section's text */
#define CHAT_SLACK_TEXT_MAX     4000    /* the top-level fallback */
#define CHAT_MATTERMOST_MAX     4000    /* a post's text (older servers) */
#define CHAT_TEAMS_TEXT_MAX     4000    /* keeps a card under Teams' 28 KB */
#define CHAT_GOOGLECHAT_MAX     4096    /* a text message */

/*
 * s escaped in style, at most max UTF-16 units of output: when it does
 * not fit, it is cut before the first character (with its escape) that
 * would not, and ends in "…".  Bytes that are not UTF-8 become U+FFFD.
 * *units (may be NULL) gets the units written.  Caller frees; NULL when
 * out of memory.
 */
char *chat_escape(const char *s, enum chat_style style, size_t max,
    size_t *units);

/* The body of m for a chat format (not CONFIG_WEBHOOK_JSON), compact
 * JSON; caller frees; NULL when out of memory. */
char *chat_format_body(enum config_webhook_format format,
    const struct chat_message *m);

#endif
