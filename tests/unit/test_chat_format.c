/* Chat bodies: every field escaped for its format, limits kept with a
 * visible cut on a character boundary (daemon/chat_format.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chat_format.h"
#include "link.h"
#include "text.h"
#include "words.h"

#define ZW "\xe2\x80\x8b"
#define CUT "\xe2\x80\xa6"

/* What hostile people type into names, accounts and reminders. */
static const char *const hostile[] = {
	"<!channel>", "<!here>", "<@U123>", "<!subteam^S1>",
	"<https://evil.example|Acme invoice>", "<users/all>", "@channel",
	"@here", "@all", "&amp; & <script>alert(1)</script>",
	"*bold* _it_ ~gone~ `code` [x](https://evil.example) # h | t",
};

/* UTF-16 units of valid UTF-8 s. */
static size_t
units(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n += ((unsigned char)*s >= 0xf0) ? 2 : 1;
	return n;
}

static void
test_escape_each_style(void **state)
{
	static const struct {
		enum chat_style style;
		const char *in, *out;
	} cases[] = {
		{ CHAT_SLACK, "<!here> & <@U1>", "&lt;!here&gt; &amp; &lt;@U1&gt;" },
		{ CHAT_SLACK, "*b* _i_", "*b* _i_" },   /* plain_text: shown */
		{ CHAT_MATTERMOST, "<!channel> @all", "&lt;!channel&gt; @" ZW "all" },
		{ CHAT_MATTERMOST, "*b* _i_ ~s~ `c` [l](u) #|\\",
		    "\\*b\\* \\_i\\_ \\~s\\~ \\`c\\` \\[l\\](u) \\#\\|\\\\" },
		{ CHAT_GOOGLECHAT, "<users/all> *b*",
		    "<" ZW "users/all> " ZW "*" ZW "b" ZW "*" ZW },
		{ CHAT_GOOGLECHAT, "_~`", ZW "_" ZW ZW "~" ZW ZW "`" ZW },
		{ CHAT_PLAIN, "<!here> *b* & @all", "<!here> *b* & @all" },
		/* Not UTF-8: shown as U+FFFD, never passed on. */
		{ CHAT_PLAIN, "a\xff" "b\xc3", "a\xef\xbf\xbd" "b\xef\xbf\xbd" },
	};
	size_t i, n;
	char *s;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_non_null(s = chat_escape(cases[i].in, cases[i].style,
		    1000, &n));
		assert_string_equal(s, cases[i].out);
		assert_int_equal(n, units(s));
		free(s);
	}
}

/* A cut is visible, within the limit, and never inside a character or
 * an escape. */
static void
test_escape_cut(void **state)
{
	char long_text[4000], *s;
	size_t i, n, max;

	(void)state;
	/* 2-byte å, 4-byte emoji (2 units), & (5 units in Slack). */
	for (i = 0; i + 8 < sizeof(long_text); i += 7)
		memcpy(long_text + i, "\xc3\xa5\xf0\x9f\x8d\xab&", 7);
	long_text[i] = '\0';
	for (max = 1; max < 40; max++) {
		enum chat_style st;

		for (st = CHAT_PLAIN; st <= CHAT_GOOGLECHAT; st++) {
			assert_non_null(s = chat_escape(long_text, st, max,
			    &n));
			assert_true(text_valid_utf8(s, strlen(s)));
			assert_int_equal(n, units(s));
			assert_true(n <= max);
			assert_true(n + 6 > max);       /* no more room lost */
			assert_true(strlen(s) >= 3 && strcmp(s + strlen(s) -
			    3, CUT) == 0);
			/* Never half an entity. */
			if ((st == CHAT_SLACK || st == CHAT_MATTERMOST) &&
			    strrchr(s, '&') != NULL)
				assert_true(strncmp(strrchr(s, '&'), "&amp;",
				    5) == 0);
			free(s);
		}
	}
	/* What fits is not cut. */
	assert_non_null(s = chat_escape("a&b", CHAT_SLACK, 7, &n));
	assert_string_equal(s, "a&amp;b");
	free(s);
	assert_non_null(s = chat_escape("a&b", CHAT_SLACK, 6, &n));
	assert_string_equal(s, "a" CUT);
	free(s);
}

/* Every string of a JSON value, appended to out (one per line). */
static void
strings(const json_t *v, FILE *out)
{
	const char *key;
	json_t *x;
	size_t i;

	if (json_is_string(v))
		fprintf(out, "%s\n", json_string_value(v));
	json_object_foreach((json_t *)v, key, x)
		strings(x, out);
	json_array_foreach(v, i, x)
		strings(x, out);
}

static json_t *
body(enum config_webhook_format f, const struct chat_message *m)
{
	json_error_t jerr;
	json_t *o;
	char *b;

	assert_non_null(b = chat_format_body(f, m));
	assert_true(text_valid_utf8(b, strlen(b)));
	o = json_loads(b, 0, &jerr);
	assert_non_null(o);
	free(b);
	return o;
}

/* A hostile word in each field of each format: nothing of it is left
 * for the chat to obey (a Slack or Google Chat control sequence, a
 * Mattermost mention or Markdown), and it is still there to read. */
static void
test_hostile_fields(void **state)
{
	static const enum config_webhook_format formats[] = {
		CONFIG_WEBHOOK_SLACK, CONFIG_WEBHOOK_MATTERMOST,
		CONFIG_WEBHOOK_TEAMS, CONFIG_WEBHOOK_GOOGLECHAT,
	};
	struct chat_message m;
	char *all = NULL;
	size_t h, f, field, size;
	json_t *o;
	FILE *out;

	(void)state;
	for (h = 0; h < sizeof(hostile) / sizeof(hostile[0]); h++)
	for (f = 0; f < 4; f++)
	for (field = 0; field < 3; field++) {
		m = (struct chat_message){ "Anna", "Call Bo", "Acme",
			1777888800, "Europe/Stockholm", NULL, 0, LANG_EN };
		if (field == 0)
			m.who = hostile[h];
		else if (field == 1)
			m.text = hostile[h];
		else
			m.account = hostile[h];
		o = body(formats[f], &m);
		assert_non_null(out = open_memstream(&all, &size));
		strings(o, out);
		fclose(out);
		/* No control sequence survives anywhere but Teams, where
		 * text runs show them as they are. */
		if (formats[f] != CONFIG_WEBHOOK_TEAMS) {
			assert_null(strstr(all, "<!"));
			assert_null(strstr(all, "<@"));
			assert_null(strstr(all, "<https"));
			assert_null(strstr(all, "<users"));
			assert_null(strstr(all, "<script"));
		} else {
			assert_non_null(strstr(all, hostile[h]));
			/* TextRuns only: a TextBlock reads Markdown. */
			assert_null(strstr(all, "\nTextBlock\n"));
		}
		if (formats[f] == CONFIG_WEBHOOK_MATTERMOST) {
			assert_null(strstr(all, "@channel"));
			assert_null(strstr(all, "@here"));
			assert_null(strstr(all, "@all"));
			assert_null(strstr(all, " *bold*"));
			assert_null(strstr(all, "[x]("));
		}
		if (formats[f] == CONFIG_WEBHOOK_GOOGLECHAT)
			assert_null(strstr(all, " *bold*"));
		if (formats[f] == CONFIG_WEBHOOK_SLACK) {
			/* The words are in plain_text, mrkdwn is off. */
			assert_true(json_is_false(json_object_get(o,
			    "mrkdwn")));
			assert_null(strstr(all, "mrkdwn\n"));
		}
		free(all);
		all = NULL;
		json_decref(o);
	}
}

static void
test_slack_blocks(void **state)
{
	struct chat_message m = { "Anna Lind", "Call Bo", "Acme", 1777888800,
		"Europe/Stockholm", NULL, 0, LANG_EN };
	json_t *o, *blocks;

	(void)state;
	o = body(CONFIG_WEBHOOK_SLACK, &m);
	assert_string_equal(json_string_value(json_object_get(o, "text")),
	    "Reminder for Anna Lind: Call Bo — Acme · due 2026-05-04 12:00 "
	    "(Europe/Stockholm)");
	blocks = json_object_get(o, "blocks");
	assert_int_equal(json_array_size(blocks), 3);
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(blocks, 1), "type")), "section");
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    json_array_get(blocks, 1), "text"), "text")), "Call Bo");
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(blocks, 2), "type")), "context");
	assert_int_equal(json_array_size(json_object_get(json_array_get(
	    blocks, 2), "elements")), 2);
	json_decref(o);
	/* No account: the context has the due time alone. */
	m.account = NULL;
	o = body(CONFIG_WEBHOOK_SLACK, &m);
	assert_int_equal(json_array_size(json_object_get(json_array_get(
	    json_object_get(o, "blocks"), 2), "elements")), 1);
	json_decref(o);
}

#define LINK "https://nudge.example.com/l/f7.3.1767225600.Zm9v_-x"

/* The kth button of a body in format f, as "label url". */
static void
button(json_t *o, enum config_webhook_format f, size_t k, char *buf,
    size_t len)
{
	json_t *b, *card;

	buf[0] = '\0';
	if (f == CONFIG_WEBHOOK_SLACK) {
		b = json_object_get(json_array_get(json_object_get(o,
		    "blocks"), 3), "elements");
		b = json_array_get(b, k);
		if (b != NULL)
			snprintf(buf, len, "%s %s %s", json_string_value(
			    json_object_get(b, "type")), json_string_value(
			    json_object_get(json_object_get(b, "text"),
			    "text")), json_string_value(json_object_get(b,
			    "url")));
		return;
	}
	card = json_object_get(json_array_get(json_object_get(o,
	    "attachments"), 0), "content");
	b = json_array_get(json_object_get(card, "actions"), k);
	if (b != NULL)
		snprintf(buf, len, "%s %s %s", json_string_value(
		    json_object_get(b, "type")), json_string_value(
		    json_object_get(b, "title")), json_string_value(
		    json_object_get(b, "url")));
}

/* The action link: Slack's actions block of URL buttons, Teams'
 * Action.OpenUrl, a line of links in Mattermost's Markdown and Google
 * Chat's <url|text>; each opens the page at its form; Promise kept only
 * on a promise's follow-up. */
static void
test_link_buttons(void **state)
{
	struct chat_message m = { "Anna", "Call Bo", "Acme", 1777888800,
		"UTC", LINK, 0, LANG_EN };
	char b[512];
	const char *t;
	json_t *o;

	(void)state;
	o = body(CONFIG_WEBHOOK_SLACK, &m);
	assert_int_equal(json_array_size(json_object_get(o, "blocks")), 4);
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    json_object_get(o, "blocks"), 3), "type")), "actions");
	button(o, CONFIG_WEBHOOK_SLACK, 0, b, sizeof(b));
	assert_string_equal(b, "button Mark done " LINK "#h-done");
	button(o, CONFIG_WEBHOOK_SLACK, 1, b, sizeof(b));
	assert_string_equal(b, "button Snooze " LINK "#h-snooze");
	button(o, CONFIG_WEBHOOK_SLACK, 2, b, sizeof(b));
	assert_string_equal(b, "");
	json_decref(o);
	m.promise = 1;
	o = body(CONFIG_WEBHOOK_SLACK, &m);
	button(o, CONFIG_WEBHOOK_SLACK, 2, b, sizeof(b));
	assert_string_equal(b, "button Promise kept " LINK "#h-kept");
	json_decref(o);
	o = body(CONFIG_WEBHOOK_TEAMS, &m);
	button(o, CONFIG_WEBHOOK_TEAMS, 0, b, sizeof(b));
	assert_string_equal(b, "Action.OpenUrl Mark done " LINK "#h-done");
	button(o, CONFIG_WEBHOOK_TEAMS, 2, b, sizeof(b));
	assert_string_equal(b, "Action.OpenUrl Promise kept " LINK "#h-kept");
	json_decref(o);
	m.promise = 0;
	o = body(CONFIG_WEBHOOK_MATTERMOST, &m);
	t = json_string_value(json_object_get(o, "text"));
	assert_non_null(strstr(t, "\n[Mark done](" LINK "#h-done) · "
	    "[Snooze](" LINK "#h-snooze)"));
	json_decref(o);
	o = body(CONFIG_WEBHOOK_GOOGLECHAT, &m);
	t = json_string_value(json_object_get(o, "text"));
	assert_non_null(strstr(t, "\n<" LINK "#h-done|Mark done> · <" LINK
	    "#h-snooze|Snooze>"));
	json_decref(o);
}

/* A person's language: the buttons, the heading and "due" in it
 * (NUDGE_LOCALEDIR at the built catalogs: `make unit`). */
static void
test_swedish(void **state)
{
	struct chat_message m = { "Anna", "Ring Bo", "Acme", 1777888800,
		"UTC", LINK, 1, LANG_SV };
	char b[512], *err = NULL;
	const char *t;
	json_t *o;

	(void)state;
	if (words_load(&err) != 0)
		fail_msg("words_load: %s", err);
	o = body(CONFIG_WEBHOOK_SLACK, &m);
	button(o, CONFIG_WEBHOOK_SLACK, 0, b, sizeof(b));
	assert_string_equal(b, "button Markera som klar " LINK "#h-done");
	button(o, CONFIG_WEBHOOK_SLACK, 2, b, sizeof(b));
	assert_string_equal(b, "button Löftet hållet " LINK "#h-kept");
	t = json_string_value(json_object_get(o, "text"));
	assert_non_null(strstr(t, "Påminnelse till Anna: Ring Bo"));
	assert_non_null(strstr(t, "senast 2026-05-04"));
	json_decref(o);
	o = body(CONFIG_WEBHOOK_MATTERMOST, &m);
	t = json_string_value(json_object_get(o, "text"));
	assert_non_null(strstr(t, "**Påminnelse till Anna**"));
	assert_non_null(strstr(t, "[Skjut upp](" LINK "#h-snooze)"));
	json_decref(o);
}

/* A link that would need escaping somewhere (markup, a quote, the end of
 * a Markdown or <url|text> link, a scheme that is not http) goes into
 * no format: the message goes without it. */
static void
test_link_unsafe(void **state)
{
	static const char *const bad[] = {
		"javascript:alert(1)", "https://x.example/l/a)b",
		"https://x.example/l/a|b>", "https://x.example/l/a b",
		"https://x.example/l/\"onclick", "https://x.example/l/*b*",
		"https://x.example/l/[x]", "ftp://x.example/l/a",
		"https://x.example/l/\xc3\xa5",
	};
	static const enum config_webhook_format formats[] = {
		CONFIG_WEBHOOK_SLACK, CONFIG_WEBHOOK_MATTERMOST,
		CONFIG_WEBHOOK_TEAMS, CONFIG_WEBHOOK_GOOGLECHAT,
	};
	struct chat_message m = { "Anna", "Call Bo", "Acme", 1777888800,
		"UTC", NULL, 1, LANG_EN };
	char *all = NULL, b[512];
	size_t i, f, size;
	json_t *o;
	FILE *out;

	(void)state;
	assert_true(link_url_safe(LINK));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
	for (f = 0; f < 4; f++) {
		m.link = bad[i];
		assert_false(link_url_safe(bad[i]));
		o = body(formats[f], &m);
		assert_non_null(out = open_memstream(&all, &size));
		strings(o, out);
		fclose(out);
		assert_null(strstr(all, "Mark done"));
		button(o, formats[f], 0, b, sizeof(b));
		assert_string_equal(b, "");
		free(all);
		all = NULL;
		json_decref(o);
	}
}

/* Text far over every limit: each format's limits hold, with the cut. */
static void
test_limits(void **state)
{
	struct chat_message m = { NULL, NULL, NULL, 1777888800, "UTC", NULL, 0,
	    LANG_EN };
	char *text, *name;
	json_t *o, *b, *card;
	size_t i;

	(void)state;
	assert_non_null(text = malloc(30001));
	assert_non_null(name = malloc(601));
	for (i = 0; i < 30000; i += 3)
		memcpy(text + i, i % 2 ? "\xc3\xa5<" : "*\xc3\xa5", 3);
	text[30000] = '\0';
	memset(name, '&', 600);
	name[600] = '\0';
	m.who = name;
	m.text = text;
	m.account = name;

	o = body(CONFIG_WEBHOOK_SLACK, &m);
	assert_true(units(json_string_value(json_object_get(o, "text"))) <=
	    CHAT_SLACK_TEXT_MAX);
	b = json_object_get(o, "blocks");
	assert_true(units(json_string_value(json_object_get(json_object_get(
	    json_array_get(b, 0), "text"), "text"))) <= CHAT_SLACK_HEADER_MAX);
	assert_non_null(strstr(json_string_value(json_object_get(
	    json_object_get(json_array_get(b, 1), "text"), "text")), CUT));
	assert_true(units(json_string_value(json_object_get(json_object_get(
	    json_array_get(b, 1), "text"), "text"))) <= CHAT_SLACK_SECTION_MAX);
	json_decref(o);

	/* The link line is whole however long the text. */
	m.link = LINK;
	o = body(CONFIG_WEBHOOK_MATTERMOST, &m);
	assert_true(units(json_string_value(json_object_get(o, "text"))) <=
	    CHAT_MATTERMOST_MAX);
	assert_non_null(strstr(json_string_value(json_object_get(o, "text")),
	    "[Snooze](" LINK "#h-snooze)"));
	assert_non_null(strstr(json_string_value(json_object_get(o, "text")),
	    CUT));
	json_decref(o);

	o = body(CONFIG_WEBHOOK_GOOGLECHAT, &m);
	assert_true(units(json_string_value(json_object_get(o, "text"))) <=
	    CHAT_GOOGLECHAT_MAX);
	assert_non_null(strstr(json_string_value(json_object_get(o, "text")),
	    "|Snooze>"));
	json_decref(o);

	o = body(CONFIG_WEBHOOK_TEAMS, &m);
	card = json_object_get(json_array_get(json_object_get(o,
	    "attachments"), 0), "content");
	assert_string_equal(json_string_value(json_object_get(card, "type")),
	    "AdaptiveCard");
	b = json_array_get(json_object_get(json_array_get(json_object_get(
	    card, "body"), 1), "inlines"), 0);
	assert_true(units(json_string_value(json_object_get(b, "text"))) <=
	    CHAT_TEAMS_TEXT_MAX);
	assert_non_null(strstr(json_string_value(json_object_get(b, "text")),
	    CUT));
	json_decref(o);
	free(text);
	free(name);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_each_style),
		cmocka_unit_test(test_escape_cut),
		cmocka_unit_test(test_hostile_fields),
		cmocka_unit_test(test_slack_blocks),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_link_buttons),
		cmocka_unit_test(test_link_unsafe),
		cmocka_unit_test(test_swedish),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
