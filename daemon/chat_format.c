#include "chat_format.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "link.h"
#include "time_format.h"
#include "webhook.h"
#include "words.h"

#define CHAT_ZWSP "\xe2\x80\x8b"        /* U+200B ZERO WIDTH SPACE */
#define CHAT_CUT "\xe2\x80\xa6"         /* U+2026 HORIZONTAL ELLIPSIS */

/* The most a name, an account or a due time may take of a message: the
 * configuration allows 200 bytes of each, which escaping can double. */
#define CHAT_FIELD_MAX 400
/* Room for "Reminder for" in any language with its markup around. */
#define CHAT_LABEL_MAX 128

/* The code point at s (its length in *len); a byte that does not begin
 * a well-formed UTF-8 sequence reads as U+FFFD, one byte long. */
static unsigned long
chat_decode(const unsigned char *s, size_t *len)
{
	unsigned long c;
	size_t n, i;

	*len = 1;
	if (s[0] < 0x80)
		return s[0];
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, c = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, c = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, c = s[0] & 0x07;
	else
		return 0xfffd;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0xfffd;
		c = c << 6 | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates, beyond U+10FFFF. */
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0xfffd;
	*len = n;
	return c;
}

/* What code point c (its UTF-8 bytes at s, n long) becomes in style:
 * into buf, returning its UTF-16 units. */
static size_t
chat_piece(enum chat_style style, unsigned long c, const unsigned char *s,
    size_t n, char *buf)
{
	const char *e = NULL;

	switch (style) {
	case CHAT_SLACK:
	case CHAT_MATTERMOST:
		/* Slack's three control characters; in Mattermost they also
		 * keep its Slack translations (<!channel> -> @channel,
		 * <url|text>) from finding anything. */
		e = c == '&' ? "&amp;" : c == '<' ? "&lt;" : c == '>' ? "&gt;" :
		    NULL;
		if (e != NULL || style == CHAT_SLACK)
			break;
		/* A mention is @ and a word: a zero-width space after @ ends
		 * the word before it starts.  Markdown's own characters
		 * take a backslash (CommonMark escapes). */
		if (c == '@')
			e = "@" CHAT_ZWSP;
		else if (c != '\0' && strchr("\\`*_~[]#|", (int)c) != NULL) {
			buf[0] = '\\';
			buf[1] = (char)c;
			buf[2] = '\0';
			return 2;
		}
		break;
	case CHAT_GOOGLECHAT:
		/* No escape exists: a zero-width space on each side keeps a
		 * markup character from opening or closing a format, and one
		 * after < keeps <users/all> or <url|text> from being read. */
		if (c == '<')
			e = "<" CHAT_ZWSP;
		else if (c == '*' || c == '_' || c == '~' || c == '`') {
			snprintf(buf, 16, CHAT_ZWSP "%c" CHAT_ZWSP, (int)c);
			return 3;
		}
		break;
	case CHAT_PLAIN:
		break;
	}
	if (e != NULL) {
		strcpy(buf, e);
		return strstr(e, CHAT_ZWSP) != NULL ? 2 : strlen(e);
	}
	if (c == 0xfffd && (n != 3 || memcmp(s, "\xef\xbf\xbd", 3) != 0))
		memcpy(buf, "\xef\xbf\xbd", n = 3);
	else
		memcpy(buf, s, n);
	buf[n] = '\0';
	return c >= 0x10000 ? 2 : 1;
}

/* Units of s escaped whole. */
static size_t
chat_measure(const char *s, enum chat_style style)
{
	const unsigned char *p = (const unsigned char *)s;
	char piece[16];
	size_t total = 0, n;
	unsigned long c;

	while (*p != '\0') {
		c = chat_decode(p, &n);
		total += chat_piece(style, c, p, n, piece);
		p += n;
	}
	return total;
}

char *
chat_escape(const char *s, enum chat_style style, size_t max, size_t *units)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t size = 0, used = 0, room, n, u;
	char *out = NULL, piece[16];
	unsigned long c;
	FILE *f;
	int cut;

	if ((f = open_memstream(&out, &size)) == NULL)
		return NULL;
	cut = chat_measure(s, style) > max;
	room = cut ? (max > 0 ? max - 1 : 0) : max;
	while (*p != '\0') {
		c = chat_decode(p, &n);
		u = chat_piece(style, c, p, n, piece);
		if (used + u > room)
			break;
		fputs(piece, f);
		used += u;
		p += n;
	}
	if (cut && max > 0) {
		fputs(CHAT_CUT, f);
		used++;
	}
	if (fclose(f) != 0) {
		free(out);
		return NULL;
	}
	if (units != NULL)
		*units = used;
	return out;
}

/* The fields of a message escaped for one style, the text taking what
 * the rest and `fixed` units of labels leave of max. */
struct chat_parts {
	char *who, *text, *account, *due;
};

static void
chat_parts_clear(struct chat_parts *p)
{
	free(p->who);
	free(p->text);
	free(p->account);
	free(p->due);
}

static int
chat_parts(const struct chat_message *m, enum chat_style style, size_t max,
    size_t who_max, size_t fixed, struct chat_parts *p)
{
	char iso[TIMEUTIL_ISO_MAX], due[TIMEUTIL_ISO_MAX + 80];
	size_t uw = 0, ua = 0, ud = 0, used;

	memset(p, 0, sizeof(*p));
	/* "due 2026-05-04 10:00 (Europe/Stockholm)": the person's zone,
	 * named, for people; the JSON format has the exact moment. */
	if (timeutil_format_iso(m->due_at, m->zone, iso, sizeof(iso)) == 0)
		snprintf(due, sizeof(due), "%s %.10s %.5s (%s)",
		    word(m->lang, W_DUE_LOWER), iso, iso + 11, m->zone);
	else
		snprintf(due, sizeof(due), "%s %lld", word(m->lang,
		    W_DUE_LOWER), (long long)m->due_at);
	if ((p->who = chat_escape(m->who, style, who_max, &uw)) == NULL ||
	    (p->account = chat_escape(m->account != NULL ? m->account : "",
	    style, CHAT_FIELD_MAX, &ua)) == NULL ||
	    (p->due = chat_escape(due, style, CHAT_FIELD_MAX, &ud)) == NULL)
		goto fail;
	used = fixed + uw + ua + ud;
	if ((p->text = chat_escape(m->text, style, used < max ? max - used :
	    0, NULL)) == NULL)
		goto fail;
	return 0;
fail:
	chat_parts_clear(p);
	memset(p, 0, sizeof(*p));
	return -1;
}

/* UTF-16 units of a label: a translated word, any letters. */
static size_t
chat_units(const char *s)
{
	return chat_measure(s, CHAT_PLAIN);
}

/* "Reminder for" in m's language between before and after. */
static void
chat_label(const struct chat_message *m, const char *before,
    const char *after, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s", before, word(m->lang, W_REMINDER_FOR),
	    after);
}

/* The buttons of an action link: each opens the page at one form. */
static const struct chat_action {
	enum word label;
	const char *anchor;
	int promise;            /* only on a promise's follow-up */
} chat_actions[] = {
	{ W_MARK_DONE, LINK_ANCHOR_DONE, 0 },
	{ W_SNOOZE, LINK_ANCHOR_SNOOZE, 0 },
	{ W_PROMISE_KEPT, LINK_ANCHOR_KEPT, 1 },
};
#define CHAT_ACTIONS (sizeof(chat_actions) / sizeof(chat_actions[0]))

/* Whether m has a button for action i: a link that is safe as it is in
 * every format (a link that is not goes nowhere, never escaped into
 * something else). */
static int
chat_has_action(const struct chat_message *m, size_t i)
{
	return link_url_safe(m->link) && (!chat_actions[i].promise ||
	    m->promise);
}

/* The buttons of m, each made by button(label, url, i), as an array
 * (empty without a link); NULL when out of memory. */
static json_t *
chat_buttons(const struct chat_message *m,
    json_t *(*button)(const char *label, const char *url, size_t i))
{
	json_t *a = json_array();
	char *url;
	size_t i;

	for (i = 0; a != NULL && i < CHAT_ACTIONS; i++) {
		if (!chat_has_action(m, i))
			continue;
		if (asprintf(&url, "%s#%s", m->link,
		    chat_actions[i].anchor) < 0)
			url = NULL;
		if (url == NULL || json_array_append_new(a, button(word(m->lang,
		    chat_actions[i].label), url, i)) != 0) {
			json_decref(a);
			a = NULL;
		}
		free(url);
	}
	return a;
}

/* The buttons as a line of links in a text format: Markdown's
 * [label](url) for Mattermost, <url|label> for Google Chat; "" without
 * a link.  Caller frees; NULL when out of memory. */
static char *
chat_link_line(const struct chat_message *m, enum chat_style style)
{
	char *out = NULL;
	size_t size = 0, i;
	const char *sep = "";
	FILE *f;

	if ((f = open_memstream(&out, &size)) == NULL)
		return NULL;
	for (i = 0; i < CHAT_ACTIONS; i++) {
		if (!chat_has_action(m, i))
			continue;
		if (style == CHAT_MATTERMOST)
			fprintf(f, "%s[%s](%s#%s)", sep, word(m->lang,
			    chat_actions[i].label), m->link,
			    chat_actions[i].anchor);
		else
			fprintf(f, "%s<%s#%s|%s>", sep, m->link,
			    chat_actions[i].anchor, word(m->lang,
			    chat_actions[i].label));
		sep = " · ";
	}
	if (fclose(f) != 0) {
		free(out);
		return NULL;
	}
	return out;
}

static json_t *
chat_slack_plain(const char *text)
{
	return json_pack("{s:s, s:s}", "type", "plain_text", "text", text);
}

/* Slack's context: the account when there is one, and the due time. */
static json_t *
chat_slack_context(const struct chat_message *m, const struct chat_parts *p)
{
	json_t *a = json_array();

	if (a == NULL || (m->account != NULL && json_array_append_new(a,
	    chat_slack_plain(p->account)) != 0) ||
	    json_array_append_new(a, chat_slack_plain(p->due)) != 0) {
		json_decref(a);
		return NULL;
	}
	return a;
}

/* A Slack URL button: Slack opens the url in the browser (and, for an
 * app with interactivity, also tells it: an incoming webhook has none);
 * action_id is unique in its block. */
static json_t *
chat_slack_button(const char *label, const char *url, size_t i)
{
	char id[32];

	snprintf(id, sizeof(id), "nudge-%s", chat_actions[i].anchor);
	return json_pack("{s:s, s:o, s:s, s:s}", "type", "button", "text",
	    chat_slack_plain(label), "url", url, "action_id", id);
}

/* The actions block after the context, when m has a link; 0 or -1. */
static int
chat_slack_actions(const struct chat_message *m, json_t *o)
{
	json_t *b;

	if (!link_url_safe(m->link))
		return 0;
	b = chat_buttons(m, chat_slack_button);
	return json_array_append_new(json_object_get(o, "blocks"),
	    json_pack("{s:s, s:o}", "type", "actions", "elements", b));
}

/*
 * Slack: Block Kit, with every person's or record's words in plain_text
 * objects (no mrkdwn, no mentions, no links: nothing in them is obeyed)
 * and escaped all the same, as Slack reads &, < and > in any text; the
 * top-level text is the fallback for notifications, with mrkdwn off.
 */
static json_t *
chat_slack(const struct chat_message *m)
{
	struct chat_parts head, body, fb;
	char *header = NULL, *fallback = NULL, label[CHAT_LABEL_MAX];
	json_t *o = NULL;
	size_t fixed;
	int ok;

	chat_label(m, "", " ", label, sizeof(label));
	fixed = chat_units(label) + chat_units(": ") + chat_units(" — ") +
	    chat_units(" · ");
	ok = chat_parts(m, CHAT_SLACK, CHAT_SLACK_HEADER_MAX,
	    CHAT_SLACK_HEADER_MAX - chat_units(label), 0, &head) == 0;
	ok = chat_parts(m, CHAT_SLACK, CHAT_SLACK_SECTION_MAX, CHAT_FIELD_MAX,
	    0, &body) == 0 && ok;
	ok = chat_parts(m, CHAT_SLACK, CHAT_SLACK_TEXT_MAX, CHAT_FIELD_MAX,
	    fixed, &fb) == 0 && ok;
	if (ok && asprintf(&header, "%s%s", label, head.who) < 0)
		header = NULL;
	if (ok && asprintf(&fallback, "%s%s: %s%s%s · %s", label, fb.who,
	    fb.text, m->account != NULL ? " — " : "", fb.account,
	    fb.due) < 0)
		fallback = NULL;
	if (header != NULL && fallback != NULL)
		o = json_pack("{s:s, s:b, s:[{s:s, s:o}, {s:s, s:o}, "
		    "{s:s, s:o}]}", "text", fallback, "mrkdwn", 0, "blocks",
		    "type", "header", "text", chat_slack_plain(header),
		    "type", "section", "text", chat_slack_plain(body.text),
		    "type", "context", "elements",
		    chat_slack_context(m, &body));
	if (o != NULL && chat_slack_actions(m, o) != 0) {
		json_decref(o);
		o = NULL;
	}
	free(header);
	free(fallback);
	chat_parts_clear(&head);
	chat_parts_clear(&body);
	chat_parts_clear(&fb);
	return o;
}

/* One text of a label, the fields and the text, in the order:
 * open WHO close TEXT "\n" [ACCOUNT " · "] DUE, within max units. */
static json_t *
chat_text_body(const struct chat_message *m, enum chat_style style,
    size_t max, const char *open, const char *close)
{
	struct chat_parts p;
	char *text = NULL, *links;
	json_t *o = NULL;
	size_t fixed;

	if ((links = chat_link_line(m, style)) == NULL)
		return NULL;
	fixed = chat_units(open) + chat_units(close) + chat_units("\n") +
	    chat_units(" · ") + (links[0] != '\0' ? chat_units("\n") +
	    chat_units(links) : 0);
	if (chat_parts(m, style, max, CHAT_FIELD_MAX, fixed, &p) != 0) {
		free(links);
		return NULL;
	}
	if (asprintf(&text, "%s%s%s%s\n%s%s%s%s%s", open, p.who, close,
	    p.text, p.account, m->account != NULL ? " · " : "", p.due,
	    links[0] != '\0' ? "\n" : "", links) < 0)
		text = NULL;
	if (text != NULL)
		o = json_pack("{s:s}", "text", text);
	free(text);
	free(links);
	chat_parts_clear(&p);
	return o;
}

/* A TextRun: Adaptive Cards read no Markdown in one, and a mention needs
 * an entity the card does not have, so nothing in it is obeyed. */
static json_t *
chat_teams_run(const char *text, int strong, int subtle)
{
	json_t *o = json_pack("{s:s, s:s}", "type", "TextRun", "text", text);

	if (o != NULL && ((strong && json_object_set_new(o, "weight",
	    json_string("Bolder")) != 0) || (subtle &&
	    json_object_set_new(o, "isSubtle", json_true()) != 0))) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* Action.OpenUrl: the card's button opens the page in the browser. */
static json_t *
chat_teams_button(const char *label, const char *url, size_t i)
{
	(void)i;
	return json_pack("{s:s, s:s, s:s}", "type", "Action.OpenUrl",
	    "title", label, "url", url);
}

static json_t *
chat_teams_card(const struct chat_message *m, const struct chat_parts *p)
{
	char *context = NULL, label[CHAT_LABEL_MAX];
	json_t *card = NULL;

	chat_label(m, "", " ", label, sizeof(label));
	if (asprintf(&context, "%s%s%s", p->account, m->account != NULL ?
	    " · " : "", p->due) < 0)
		return NULL;
	card = json_pack("{s:s, s:s, s:s, s:[{s:s, s:[o, o]}, "
	    "{s:s, s:[o]}, {s:s, s:[o]}], s:o}",
	    "$schema", "http://adaptivecards.io/schemas/adaptive-card.json",
	    "type", "AdaptiveCard", "version", "1.4", "body",
	    "type", "RichTextBlock", "inlines",
	    chat_teams_run(label, 1, 0),
	    chat_teams_run(p->who, 1, 0),
	    "type", "RichTextBlock", "inlines",
	    chat_teams_run(p->text, 0, 0),
	    "type", "RichTextBlock", "inlines",
	    chat_teams_run(context, 0, 1), "actions",
	    chat_buttons(m, chat_teams_button));
	free(context);
	return card;
}

/* Teams through a Workflows "when a webhook request is received" flow:
 * a message whose attachment is the Adaptive Card the flow posts. */
static json_t *
chat_teams(const struct chat_message *m)
{
	struct chat_parts p;
	json_t *card;

	if (chat_parts(m, CHAT_PLAIN, CHAT_TEAMS_TEXT_MAX, CHAT_FIELD_MAX,
	    0, &p) != 0)
		return NULL;
	card = chat_teams_card(m, &p);
	chat_parts_clear(&p);
	if (card == NULL)
		return NULL;
	return json_pack("{s:s, s:[{s:s, s:n, s:o}]}", "type", "message",
	    "attachments", "contentType",
	    "application/vnd.microsoft.card.adaptive", "contentUrl",
	    "content", card);
}

/* A chat that takes one text in its own markup (chat_text_body()): how
 * it bolds the label, what ends the label's line, its longest message. */
struct chat_markup {
	enum chat_style style;
	size_t max;
	const char *bold, *after, *close;
};
static const struct chat_markup chat_mattermost = {
	CHAT_MATTERMOST, CHAT_MATTERMOST_MAX, "**", " ", "**\n",
};
static const struct chat_markup chat_googlechat = {
	CHAT_GOOGLECHAT, CHAT_GOOGLECHAT_MAX, "*", "* ", "\n",
};

static json_t *
chat_markup_body(const struct chat_message *m, const struct chat_markup *k)
{
	char label[CHAT_LABEL_MAX];

	chat_label(m, k->bold, k->after, label, sizeof(label));
	return chat_text_body(m, k->style, k->max, label, k->close);
}

char *
chat_format_body(enum config_webhook_format format,
    const struct chat_message *m)
{
	json_t *o = NULL;
	char *body;

	switch (format) {
	case CONFIG_WEBHOOK_SLACK:
		o = chat_slack(m);
		break;
	case CONFIG_WEBHOOK_MATTERMOST:
		o = chat_markup_body(m, &chat_mattermost);
		break;
	case CONFIG_WEBHOOK_TEAMS:
		o = chat_teams(m);
		break;
	case CONFIG_WEBHOOK_GOOGLECHAT:
		o = chat_markup_body(m, &chat_googlechat);
		break;
	case CONFIG_WEBHOOK_JSON:
		break;
	}
	if (o == NULL)
		return NULL;
	body = webhook_dump(o);
	json_decref(o);
	return body;
}
