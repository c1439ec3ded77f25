/* Typed-text checks and the over-promise phrase matcher. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "text.h"

static void
test_utf8(void **state)
{
	static const struct { const char *s; int ok; } cases[] = {
		{ "plain ascii", 1 },
		{ "bästa köp", 1 },
		{ "\xe2\x82\xac 100", 1 },              /* euro sign */
		{ "\xf0\x9f\x8d\xab chocolate", 1 },    /* U+1F36B */
		{ "bad \xff", 0 },
		{ "\xc3", 0 },                          /* truncated */
		{ "\xc0\xaf", 0 },                      /* overlong '/' */
		{ "\xed\xa0\x80", 0 },                  /* surrogate */
		{ "\xf4\x90\x80\x80", 0 },              /* > U+10FFFF */
		{ "\xe2\x82", 0 },                      /* truncated 3-byte */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(text_valid_utf8(cases[i].s,
		    strlen(cases[i].s)), cases[i].ok);
}

static void
test_text_check(void **state)
{
	char *err = NULL, big[TEXT_MAX_BYTES + 2];

	(void)state;
	assert_int_equal(text_check("Send the offer", TEXT_MAX_BYTES, "text",
	    &err), 0);
	assert_int_equal(text_check("", TEXT_MAX_BYTES, "promise text", &err),
	    -1);
	assert_string_equal(err, "promise text is empty");
	free(err);
	err = NULL;
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(text_check(big, TEXT_MAX_BYTES, "text", &err), -1);
	assert_non_null(strstr(err, "limit is 2000"));
	free(err);
	err = NULL;
	assert_int_equal(text_check("a\x01" "b", 100, "text", &err), -1);
	assert_non_null(strstr(err, "control character at byte 2"));
	free(err);
	err = NULL;
	assert_int_equal(text_check("ok\ttab", 100, "text", NULL), 0);
	assert_int_equal(text_check("x\xff", 100, "text", &err), -1);
	assert_non_null(strstr(err, "UTF-8"));
	free(err);
}

static void
test_phrase_match(void **state)
{
	static const struct { const char *text, *phrase; int hit; } cases[] = {
		{ "We fix it tomorrow", "tomorrow", 1 },
		{ "We fix it TOMORROW.", "tomorrow", 1 },
		{ "tomorrowland tickets", "tomorrow", 0 },
		{ "You will get a discount", "you will get", 1 },
		{ "you will getaway", "you will get", 0 },
		{ "Vi fixar det imorgon!", "imorgon", 1 },
		{ "Det blir ditt bästa köp", "bästa köp", 1 },
		{ "bästa köpet", "bästa köp", 0 },      /* ö then e: one word */
		{ "2-3 times better than theirs", "2-3 times better", 1 },
		{ "", "tomorrow", 0 },
		{ "tomorrow", "", 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(check_phrase_match(cases[i].text,
		    cases[i].phrase), cases[i].hit);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_text_check),
		cmocka_unit_test(test_phrase_match),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
