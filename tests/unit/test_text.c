/* Typed-text checks and the over-promise phrase matcher. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "check.h"
#include "currency.h"
#include "text.h"

/* Debian's iso-codes (scripts/deps.sh --test): an independent list. */
#define ISO_4217_JSON "/usr/share/iso-codes/json/iso_4217.json"

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
	assert_int_equal(text_check("a\x7f" "b", 100, "text", &err), -1);
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

static void
test_parse_id(void **state)
{
	static const struct { const char *s; int64_t id; } cases[] = {
		{ "1", 1 }, { "42", 42 }, { "007", 7 },
		{ "9223372036854775807", INT64_MAX },
		{ "0", -1 }, { "", -1 }, { " 1", -1 }, { "1 ", -1 },
		{ "+1", -1 }, { "-1", -1 }, { "1abc", -1 }, { "0x1", -1 },
		{ "9223372036854775808", -1 }, { "\t1", -1 },
	};
	size_t i;
	int64_t id;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		id = -1;
		assert_int_equal(text_parse_id(cases[i].s, &id),
		    cases[i].id > 0 ? 0 : -1);
		if (cases[i].id > 0)
			assert_int_equal(id, cases[i].id);
	}
}

static void
test_currency(void **state)
{
	static const struct { const char *in, *code; } cases[] = {
		{ "SEK", "SEK" }, { "sek", "SEK" }, { "Eur", "EUR" },
		{ "SEKK", NULL }, { "S\xe2\x82\xac" "K", NULL }, { "12", NULL },
		{ "ZZZ", NULL }, { "EU R", NULL }, { "", NULL }, { "SE", NULL },
		{ " SEK", NULL },
	};
	char code[CURRENCY_LEN + 1], *err = NULL;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(currency_parse(cases[i].in, "--currency", code,
		    &err), cases[i].code != NULL ? 0 : -1);
		if (cases[i].code != NULL) {
			assert_string_equal(code, cases[i].code);
			continue;
		}
		assert_non_null(strstr(err, "not an ISO 4217 currency code"));
		free(err);
		err = NULL;
	}
}

/* The table is ISO 4217 as iso-codes has it: the same codes, sorted
 * (currency_parse() searches it). */
static void
test_currency_table(void **state)
{
	json_error_t jerr;
	json_t *root, *list, *e;
	size_t i, n = 0;
	int found;

	(void)state;
	for (i = 1; i < currency_ncodes; i++)
		assert_true(strcmp(currency_codes[i - 1], currency_codes[i]) <
		    0);
	root = json_load_file(ISO_4217_JSON, 0, &jerr);
	if (root == NULL)
		fail_msg("%s: %s (scripts/deps.sh --test installs iso-codes)",
		    ISO_4217_JSON, jerr.text);
	list = json_object_get(root, "4217");
	assert_true(json_is_array(list));
	json_array_foreach(list, i, e) {
		const char *code = json_string_value(json_object_get(e,
		    "alpha_3"));
		size_t k;

		assert_non_null(code);
		found = 0;
		for (k = 0; k < currency_ncodes && !found; k++)
			found = strcmp(currency_codes[k], code) == 0;
		if (!found)
			fail_msg("%s is in iso-codes, not in lib/currency.c",
			    code);
		n++;
	}
	assert_int_equal(n, currency_ncodes);
	json_decref(root);
}

/* The near miss behind every "did you mean": config keys, commands,
 * sub-commands, options and owner handles. */
static void
test_nearer(void **state)
{
	size_t best = TEXT_NEAR_START;

	(void)state;
	assert_true(text_nearer("promis", "promise", &best));
	assert_int_equal(best, 1);
	/* Not nearer than what was found already. */
	assert_false(text_nearer("promis", "promised", &best));
	best = TEXT_NEAR_START;
	assert_true(text_nearer("Anna", "anna", &best));
	best = TEXT_NEAR_START;
	assert_false(text_nearer("frobnicate", "deal", &best));
	/* "ab" is no near miss of "xy", nor of a one-letter name. */
	assert_false(text_nearer("xy", "ab", &best));
	assert_false(text_nearer("x", "a", &best));
	assert_false(text_nearer("promis", "a-name-well-over-thirty-two-bytes"
	    "-long", &best));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_text_check),
		cmocka_unit_test(test_phrase_match),
		cmocka_unit_test(test_parse_id),
		cmocka_unit_test(test_currency),
		cmocka_unit_test(test_currency_table),
		cmocka_unit_test(test_nearer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
