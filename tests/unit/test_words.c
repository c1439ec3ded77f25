/* The words nudge writes itself, per language (lib/words.c), and the
 * action page in a person's language (lib/link_page.c).  Run with
 * NUDGE_LOCALEDIR at the catalogs built (`make unit` sets it). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "link_page.h"
#include "words.h"

static int
load(void **state)
{
	char *err = NULL;

	(void)state;
	if (getenv("NUDGE_LOCALEDIR") == NULL)
		fail_msg("NUDGE_LOCALEDIR is not set: run `make unit`");
	if (words_load(&err) != 0)
		fail_msg("words_load: %s", err);
	return 0;
}

static void
test_swedish(void **state)
{
	(void)state;
	assert_true(words_have(LANG_SV));
	assert_string_equal(word(LANG_SV, W_MARK_DONE), "Markera som klar");
	assert_string_equal(word(LANG_SV, W_MON), "mån");
	assert_string_equal(word(LANG_EN, W_MARK_DONE), "Mark done");
	assert_string_equal(words_state(LANG_SV, "done"), "klar");
	assert_string_equal(words_state(LANG_SV, "queued"), "queued");
}

/* A language nudge has no table for, or a word past the end, is never a
 * NULL or someone else's word. */
static void
test_unknown_falls_back(void **state)
{
	(void)state;
	assert_string_equal(word((enum lang)LANG_COUNT, W_MARK_DONE),
	    "Mark done");
	assert_string_equal(word((enum lang)-1, W_SNOOZE), "Snooze");
	assert_string_equal(word(LANG_SV, (enum word)W_COUNT), "");
	assert_false(words_have((enum lang)LANG_COUNT));
	assert_null(words_langs[LANG_COUNT]);
}

/* Every word has its Swedish (the build's msgfmt check says so of the
 * catalog; this, of the table read from it).  No Swedish word here is
 * spelt as its English. */
static void
test_every_word_translated(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < W_COUNT; i++)
		if (strcmp(word(LANG_SV, (enum word)i), word(LANG_EN,
		    (enum word)i)) == 0 || word(LANG_SV, (enum word)i)[0] ==
		    '\0')
			fail_msg("word %d (\"%s\") has no Swedish", i,
			    word(LANG_EN, (enum word)i));
}

/* Without catalogs (a directory with none), everything is English. */
static void
test_no_catalog(void **state)
{
	char *dir = getenv("NUDGE_LOCALEDIR"), *keep, *err = NULL;

	(void)state;
	assert_non_null(keep = strdup(dir));
	setenv("NUDGE_LOCALEDIR", "/nonexistent", 1);
	assert_false(words_have(LANG_SV));
	assert_int_equal(words_load(&err), 0);
	assert_string_equal(word(LANG_SV, W_MARK_DONE), "Mark done");
	setenv("NUDGE_LOCALEDIR", keep, 1);
	free(keep);
	assert_int_equal(words_load(&err), 0);
	assert_string_equal(word(LANG_SV, W_MARK_DONE), "Markera som klar");
}

static void
test_accept_language(void **state)
{
	(void)state;
	assert_int_equal(words_accept(NULL), LANG_EN);
	assert_int_equal(words_accept(""), LANG_EN);
	assert_int_equal(words_accept("*"), LANG_EN);
	assert_int_equal(words_accept("sv-SE,sv;q=0.9,en;q=0.8"), LANG_SV);
	assert_int_equal(words_accept("en-US,en;q=0.9,sv;q=0.8"), LANG_EN);
	assert_int_equal(words_accept("de-DE, SV;q=0.5"), LANG_SV);
	assert_int_equal(words_accept("en;q=0.2, sv;q=0.7"), LANG_SV);
	assert_int_equal(words_accept("svx, fr"), LANG_EN);
}

/* The page of a follow-up's link, in Swedish and in English. */
static void
test_page_language(void **state)
{
	struct link l = { 'f', 7, LINK_DONE | LINK_SNOOZE, 2000000000 };
	struct followup fu;
	struct promise p;
	struct deal d;
	struct link_view v;
	char *page;
	int status;

	(void)state;
	memset(&fu, 0, sizeof(fu));
	memset(&p, 0, sizeof(p));
	memset(&d, 0, sizeof(d));
	fu.id = 7;
	fu.text = (char *)"Call Bo";
	fu.owner = (char *)"anna";
	fu.state = (char *)"notified";
	fu.due_at = 1777888800;
	memset(&v, 0, sizeof(v));
	v.link = &l;
	v.followup = &fu;
	v.promise = &p;
	v.deal = &d;
	v.zone = "Europe/Stockholm";
	v.lang = LANG_SV;
	assert_non_null(page = link_page(&v));
	assert_non_null(strstr(page, "<html lang=\"sv\">"));
	assert_non_null(strstr(page, ">Markera som klar</button>"));
	assert_non_null(strstr(page, "I morgon bitti"));
	assert_non_null(strstr(page, "<dd>påmind</dd>"));
	assert_null(strstr(page, "Mark done"));
	free(page);
	v.lang = LANG_EN;
	assert_non_null(page = link_page(&v));
	assert_non_null(strstr(page, "<html lang=\"en\">"));
	assert_non_null(strstr(page, ">Mark done</button>"));
	free(page);
	assert_non_null(page = link_page_refused(LANG_SV, LINK_EXPIRED,
	    &status));
	assert_int_equal(status, 410);
	assert_non_null(strstr(page, "Länken har gått ut"));
	free(page);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_swedish),
		cmocka_unit_test(test_unknown_falls_back),
		cmocka_unit_test(test_every_word_translated),
		cmocka_unit_test(test_no_catalog),
		cmocka_unit_test(test_accept_language),
		cmocka_unit_test(test_page_language),
	};

	return cmocka_run_group_tests(tests, load, NULL);
}
