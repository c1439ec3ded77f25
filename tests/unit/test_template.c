/*
 * {{variable}} templates: rendering, checking, what is and is not a
 * placeholder, and where a mistake is reported.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "template.h"

static const char *
lookup(const char *name, void *ctx)
{
	int *calls = ctx;

	if (calls != NULL)
		(*calls)++;
	if (strcmp(name, "account") == 0)
		return "Acme AB";
	if (strcmp(name, "deal") == 0)
		return "Roof \"deluxe\" {{account}} }} {{";
	if (strcmp(name, "owner_name") == 0)
		return "Åsa Öberg";
	if (strcmp(name, "x9_") == 0)
		return "nine";
	return NULL;
}

static void
test_render(void **state)
{
	static const struct { const char *in, *out; } cases[] = {
		{ "Hello {{account}}!", "Hello Acme AB!" },
		{ "{{ account }}", "Acme AB" },
		{ "{{\taccount  }}", "Acme AB" },
		{ "{{account}}{{account}}", "Acme ABAcme AB" },
		{ "no variables", "no variables" },
		{ "", "" },
		{ "[{{promise}}]", "[]" },      /* NULL value: empty */
		/* values are inserted as they are, never expanded again */
		{ "{{deal}}", "Roof \"deluxe\" {{account}} }} {{" },
		{ "å {{owner_name}} ö", "å Åsa Öberg ö" },
		/* single braces are text */
		{ "{ {account} }", "{ {account} }" },
		{ "a { b } c", "a { b } c" },
		{ "{{account}}}", "Acme AB}" },
		{ "line one\n{{account}}\n", "line one\nAcme AB\n" },
		{ "{{x9_}}", "nine" },
		{ "100% {{account}} $1 %s %n", "100% Acme AB $1 %s %n" },
	};
	char *out, *err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err = NULL;
		out = template_render(cases[i].in, lookup, NULL, &err);
		if (out == NULL)
			fail_msg("case %zu: %s", i, err);
		if (strcmp(out, cases[i].out) != 0)
			fail_msg("case %zu: \"%s\" rendered \"%s\", wanted "
			    "\"%s\"", i, cases[i].in, out, cases[i].out);
		assert_null(err);
		free(out);
	}
}

static void
test_render_calls_and_null_lookup(void **state)
{
	char *out;
	int calls = 0;

	(void)state;
	out = template_render("{{account}} {{deal}} {{account}}", lookup,
	    &calls, NULL);
	assert_non_null(out);
	assert_int_equal(calls, 3);
	free(out);
	out = template_render("a{{account}}b", NULL, NULL, NULL);
	assert_string_equal(out, "ab");
	free(out);
}

static void
test_check(void **state)
{
	static const struct { const char *in, *err; } cases[] = {
		{ "Come back to {{account}} about {{deal}}", NULL },
		{ "{{ owner_name }} {{days_overdue}}", NULL },
		{ "", NULL },
		{ "plain { text }", NULL },
		{ "{{owner}}{{owner_name}}{{account}}{{deal}}{{deal_value}}"
		    "{{promise}}{{promise_id}}{{promised_to}}{{due}}{{target}}"
		    "{{days_overdue}}{{followup}}{{rule}}{{gesture}}{{link}}",
		    NULL },
		{ "Hi {{acount}}", "column 4: unknown variable 'acount' "
		    "(known: owner, owner_name, account, deal, deal_value, "
		    "promise, promise_id, promised_to, due, target, "
		    "days_overdue, followup, rule, gesture, link)" },
		{ "Hi {{Account}}", "column 4: unknown variable 'Account'" },
		{ "Hi {{account", "column 4: '{{' is never closed with '}}'" },
		{ "{{", "column 1: '{{' is never closed" },
		{ "{{account}} {{deal", "column 13: '{{' is never closed" },
		{ "{{a {{account}}", "column 1: '{{' is never closed" },
		{ "Hi account}}", "column 11: '}}' without '{{'" },
		{ "{account}} x", "column 9: '}}' without '{{'" },
		{ "x }} {{account}}", "column 3: '}}' without '{{'" },
		{ "{{}}", "column 1: empty '{{ }}'" },
		{ "{{   }}", "column 1: empty" },
		{ "{{ a b }}", "column 1: 'a b' is not a variable name" },
		{ "ok {{x-y}}", "column 4: 'x-y' is not a variable name" },
		{ "{{9lives}}", "'9lives' is not a variable name" },
		{ "{{account}} and {{x.y}}", "column 17" },
		/* columns count characters, not bytes */
		{ "åäö {{acount}}", "column 5: unknown variable" },
		/* several lines: line and column */
		{ "Hello,\nsee {{acount}}", "line 2, column 5: unknown "
		    "variable 'acount'" },
		{ "{{acount}}\nx", "line 1, column 1: unknown variable" },
		{ "{{aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		    "aaaaaaaaaa}}", "column 1: variable name longer than 63" },
	};
	char *err;
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err = NULL;
		rc = template_check(cases[i].in, template_rule_variables,
		    &err);
		if (cases[i].err == NULL) {
			if (rc != 0)
				fail_msg("case %zu: \"%s\": %s", i, cases[i].in,
				    err);
			assert_null(err);
			continue;
		}
		if (rc != -1 || err == NULL)
			fail_msg("case %zu: \"%s\" passed", i, cases[i].in);
		if (strstr(err, cases[i].err) == NULL)
			fail_msg("case %zu: \"%s\" lacks \"%s\"", i, err,
			    cases[i].err);
		free(err);
	}
}

/* Render refuses what check refuses, with the same message. */
static void
test_render_errors(void **state)
{
	static const char *const bad[] = {
		"{{account", "account}}", "{{}}", "{{a b}}", "{{a {{b}}",
	};
	char *err, *err2;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err = err2 = NULL;
		assert_null(template_render(bad[i], lookup, NULL, &err));
		assert_non_null(err);
		assert_int_equal(template_check(bad[i],
		    template_rule_variables, &err2), -1);
		assert_string_equal(err, err2);
		free(err);
		free(err2);
	}
	/* A NULL errp is allowed. */
	assert_null(template_render("{{", lookup, NULL, NULL));
	assert_int_equal(template_check("{{x}}", template_rule_variables,
	    NULL), -1);
}

static void
test_allowed_lists(void **state)
{
	static const char *const none[] = { NULL };
	static const char *const one[] = { "name", NULL };
	char *err = NULL;

	(void)state;
	assert_int_equal(template_check("{{name}}", one, &err), 0);
	assert_int_equal(template_check("no vars", none, &err), 0);
	assert_int_equal(template_check("{{name}}", none, &err), -1);
	assert_non_null(strstr(err, "(known: none)"));
	free(err);
}

/* template_uses finds a variable however it is spaced, not one that is
 * only part of a name or plain text; a malformed template is read up to
 * its mistake. */
static void
test_uses(void **state)
{
	(void)state;
	assert_true(template_uses("Done? nudge followup done {{followup}}",
	    "followup"));
	assert_true(template_uses("{{ link }}", "link"));
	assert_false(template_uses("{{linked}} link {link}", "link"));
	assert_false(template_uses("no variables", "link"));
	assert_true(template_uses("{{link}} then {{oops", "link"));
	assert_false(template_uses("{{oops {{link}}", "link"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_render_calls_and_null_lookup),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_render_errors),
		cmocka_unit_test(test_allowed_lists),
		cmocka_unit_test(test_uses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
