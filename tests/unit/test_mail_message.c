/* A reminder as an email, without a server: senders as people write them,
 * subjects cut on a character boundary, and the message's header lines
 * and parts as RFC 5322, 2045 and 2047 have them (Python's strict parser
 * reads what nudged sends in tests/integration/test_email.sh). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "config.h"
#include "mail_body.h"
#include "mail_message.h"
#include "reminder.h"
#include "unit_text.h"

static void
split_ok(const char *spec, const char *name, const char *addr)
{
	char *n = NULL, *a = NULL;

	assert_int_equal(mail_split(spec, &n, &a), 0);
	if (name == NULL)
		assert_null(n);
	else
		assert_string_equal(n, name);
	assert_string_equal(a, addr);
	free(n);
	free(a);
}

static void
test_split(void **state)
{
	char *n, *a;

	(void)state;
	split_ok("nudge <nudge@example.com>", "nudge", "nudge@example.com");
	split_ok("  nudge@example.com ", NULL, "nudge@example.com");
	split_ok("<nudge@example.com>", NULL, "nudge@example.com");
	split_ok("Lind, Anna <a@example.com>", "Lind, Anna", "a@example.com");
	split_ok("\"Lind, Anna\" <a@example.com>", "Lind, Anna",
	    "a@example.com");
	split_ok("\"Bo \\\"x\\\"\" <b@example.com>", "Bo \"x\"",
	    "b@example.com");
	split_ok("Åsa Öberg <asa@example.se>", "Åsa Öberg", "asa@example.se");
	assert_int_equal(mail_split("nobody", &n, &a), -1);
	assert_null(n);
	assert_null(a);
	assert_int_equal(mail_split("Name <>", &n, &a), -1);
}

static void
subject_is(const char *text, const char *want)
{
	char *s = mail_subject(text);

	assert_non_null(s);
	assert_string_equal(s, want);
	free(s);
}

static void
test_subject(void **state)
{
	char text[1024], want[1024];
	char *s;
	int i;

	(void)state;
	subject_is("Call Anna", "Call Anna");
	subject_is("Line one\nline two", "Line one…");
	subject_is("Line one  \n  ", "Line one");
	/* 300 × "å": 99 of them and the mark. */
	text[0] = '\0';
	for (i = 0; i < 300; i++)
		strcat(text, "å");
	assert_non_null(s = mail_subject(text));
	/* Characters, not bytes: counted by GLib, not by us. */
	assert_int_equal(g_utf8_strlen(s, -1), MAIL_SUBJECT_MAX);
	assert_string_equal(s + strlen(s) - 3, "…");
	assert_int_equal(strncmp(s, text, strlen(s) - 3), 0);
	free(s);
	/* Exactly MAIL_SUBJECT_MAX characters fit whole. */
	memset(text, 'a', MAIL_SUBJECT_MAX);
	text[MAIL_SUBJECT_MAX] = '\0';
	subject_is(text, text);
	/* A cut before a combining mark takes its letter too (e + U+0301),
	 * and no space is left before the mark. */
	memset(text, 'a', MAIL_SUBJECT_MAX - 3);
	strcpy(text + MAIL_SUBJECT_MAX - 3, " e\xcc\x81 and more");
	memset(want, 'a', MAIL_SUBJECT_MAX - 3);
	strcpy(want + MAIL_SUBJECT_MAX - 3, "…");
	subject_is(text, want);
}

/* The header block of msg (up to the first empty line). */
static void
header_lines_ok(const char *msg)
{
	const char *end = strstr(msg, "\r\n\r\n"), *p, *nl;

	assert_non_null(end);
	for (p = msg; p < end; p = nl + 2) {
		nl = strstr(p, "\r\n");
		assert_true(nl - p <= 78);
		for (; p < nl; p++)
			assert_true((unsigned char)*p < 0x80);
	}
}

static void
test_message(void **state)
{
	struct config_person owner = { .handle = (char *)"anna",
	    .name = (char *)"Lind, Anna", .email = (char *)"anna@example.com",
	    .timezone = (char *)"Europe/Stockholm" };
	struct reminder r = { .owner = &owner, .zone = "Europe/Stockholm" };
	struct mail_head h = { "Säljteamet <nudge@example.com>",
	    "nudge-7-0-6d61696c", NULL, 1796900000 };
	static const char *const in[] = {
		"\r\nTo: \"Lind, Anna\" <anna@example.com>\r\n",
		"\r\nMessage-Id: <nudge-7-0-6d61696c@example.com>\r\n",
		"Auto-Submitted: auto-generated\r\n",
		"Content-Type: multipart/alternative",
		"Content-Type: text/plain; charset=utf-8",
		"Content-Type: text/html; charset=utf-8",
		/* The text escaped in the HTML part, as in the plain one. */
		"&lt;b&gt;",
		"Acme &amp; Co",
		NULL
	};
	static const char *const out[] = { "multipart/mixed", NULL };
	char text[512] = "", *m, *err = NULL;
	size_t len;
	int i;

	(void)state;
	for (i = 0; i < 40; i++)
		strcat(text, "åäö <b>");
	r.followup.id = 7;
	r.followup.owner = (char *)"anna";
	r.followup.text = text;
	r.followup.account = (char *)"Acme & Co";
	r.followup.due_at = 1796900000;
	assert_non_null(m = mail_message(&r, &h, &len, &err));
	assert_null(err);
	assert_int_equal(strlen(m), len);
	header_lines_ok(m);
	ut_expect_text("message", m, in, out);
	for (i = 0; m[i] != '\0'; i++)
		if (m[i] == '\n')
			assert_true(i > 0 && m[i - 1] == '\r');
	free(m);

	/* The channel's message_id_domain, when it has one. */
	h.id_domain = "mail.example.net";
	assert_non_null(m = mail_message(&r, &h, &len, &err));
	assert_non_null(strstr(m, "<nudge-7-0-6d61696c@mail.example.net>"));
	free(m);

	/* Someone without an address. */
	owner.email = NULL;
	assert_null(mail_message(&r, &h, &len, &err));
	assert_non_null(strstr(err, "'anna' has no email address"));
	free(err);
}

/* The action link in both parts: a line of its own in the text, a
 * button in the HTML (its href escaped all the same); a link that is not
 * safe as it is goes in neither, and none goes in without a link. */
static void
test_body_link(void **state)
{
	static const char link[] = "https://nudge.example.com/l/"
	    "f7.3.1767225600.Zm9v_-x";
	static const struct {
		const char *link;
		const char *text_in[2], *text_out[2];
		const char *html_in[3], *html_out[3];
	} rows[] = {
		{ link, { "\nOpen / mark done (or snooze) in your browser:\n"
		    "    https://nudge.example.com/l/f7.3.1767225600.Zm9v_-x\n" },
		    { NULL }, { "<a href=\"https://nudge.example.com/"
		    "l/f7.3.1767225600.Zm9v_-x\" style=",
		    ">Open / mark done</a>" }, { NULL } },
		{ "https://x.example/l/a\"><script>", { NULL },
		    { "Open / mark done" }, { NULL },
		    { "<a href", "<script" } },
		{ NULL, { "nudge followup done 7" }, { "Open / mark done" },
		    { NULL }, { "Open / mark done" } },
	};
	struct config_person owner = { .handle = (char *)"anna" };
	struct reminder r = { .owner = &owner, .zone = "UTC" };
	struct mail_body b;
	size_t i;

	(void)state;
	r.followup.id = 7;
	r.followup.owner = (char *)"anna";
	r.followup.text = (char *)"Call Bo";
	r.followup.due_at = 1796900000;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		r.link = (char *)rows[i].link;
		assert_int_equal(mail_body_make(&b, &r, "nudge-x-7-0-6d",
		    "Call Bo"), 0);
		ut_expect_text("text", b.text, rows[i].text_in,
		    rows[i].text_out);
		ut_expect_text("html", b.html, rows[i].html_in,
		    rows[i].html_out);
		mail_body_clear(&b);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_subject),
		cmocka_unit_test(test_message),
		cmocka_unit_test(test_body_link),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
