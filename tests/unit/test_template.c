/* {{variable}} templates: checking and rendering. */
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
	(void)ctx;
	if (strcmp(name, "account") == 0)
		return "Acme AB";
	if (strcmp(name, "deal") == 0)
		return "Roof \"deluxe\" {{not expanded}}";
	return NULL;
}

static void
test_render(void **state)
{
	static const struct { const char *in, *out; } cases[] = {
		{ "Hello {{account}}!", "Hello Acme AB!" },
		{ "{{ account }}", "Acme AB" },
		{ "{{account}}{{account}}", "Acme ABAcme AB" },
		{ "no variables", "no variables" },
		{ "", "" },
		{ "[{{promise}}]", "[]" },      /* unknown at render: empty */
		/* values are never re-expanded */
		{ "{{deal}}", "Roof \"deluxe\" {{not expanded}}" },
		{ "å {{account}} ö", "å Acme AB ö" },
	};
	char *out, *err = NULL;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		out = template_render(cases[i].in, lookup, NULL, &err);
		assert_non_null(out);
		assert_string_equal(out, cases[i].out);
		free(out);
	}
}

static void
test_check(void **state)
{
	static const struct { const char *in, *err; } cases[] = {
		{ "Come back to {{account}} about {{deal}}", NULL },
		{ "{{ owner_name }} {{days_overdue}}", NULL },
		{ "Hi {{acount}}", "column 4: unknown variable 'acount'" },
		{ "Hi {{account", "column 4: '{{' is never closed" },
		{ "Hi account}}", "'}}' without '{{'" },
		{ "{{}}", "empty" },
		{ "{{ a b }}", "not a variable name" },
		{ "{{account}} and {{x-y}}", "column 17" },
	};
	char *err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err = NULL;
		if (cases[i].err == NULL) {
			assert_int_equal(template_check(cases[i].in,
			    template_rule_variables, &err), 0);
			continue;
		}
		assert_int_equal(template_check(cases[i].in,
		    template_rule_variables, &err), -1);
		if (strstr(err, cases[i].err) == NULL)
			fail_msg("case %zu: \"%s\" lacks \"%s\"", i, err,
			    cases[i].err);
		free(err);
	}
	err = NULL;
	assert_null(template_render("{{account", lookup, NULL, &err));
	assert_non_null(err);
	free(err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
