/*
 * Message templates: a rule's message from the configuration, checked at
 * load and rendered for every follow-up.  Beyond crashes and leaks, check
 * and render must agree (a message that passed the config check can always
 * be rendered; one render refuses, check refuses too), values are inserted
 * as they are, and the error contract holds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "template.h"

/* A value that would expand if rendering ever went over its own output. */
#define FUZZ_TRAP "{{owner}} }} {{"

/* Every variable has a value: the trap, so its length is known. */
static const char *
fuzz_lookup(const char *name, void *ctx)
{
	size_t *calls = ctx;

	(*calls)++;
	return name[0] != '\0' ? FUZZ_TRAP : NULL;
}

static const char *const fuzz_none[] = { NULL };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *tmpl = fuzz_cstr(data, size), *out, *plain, *err = NULL;
	size_t calls = 0, len = strlen(tmpl);
	int checked, rc;

	checked = template_check(tmpl, template_rule_variables, &err);
	fuzz_check_err("template_check", checked, err);
	err = NULL;
	/* No variable allowed: still reports, names none as known. */
	rc = template_check(tmpl, fuzz_none, &err);
	fuzz_check_err("template_check (none allowed)", rc, err);
	err = NULL;

	out = template_render(tmpl, fuzz_lookup, &calls, &err);
	fuzz_check_err("template_render", out != NULL ? 0 : -1, err);
	err = NULL;
	plain = template_render(tmpl, NULL, NULL, &err);
	fuzz_check_err("template_render (no lookup)", plain != NULL ? 0 : -1,
	    err);
	if ((out == NULL) != (plain == NULL))
		fuzz_fail("render with and without values disagree");
	if (checked == 0 && out == NULL)
		fuzz_fail("a template that passed the check does not render");
	if (out != NULL) {
		/* Each placeholder is at least "{{x}}" and became the trap;
		 * text outside placeholders is copied as it is. */
		if (strlen(plain) > len || len - strlen(plain) < calls * 5 ||
		    strlen(out) != strlen(plain) + calls * strlen(FUZZ_TRAP))
			fuzz_fail("rendered %zu bytes (%zu without values) "
			    "from %zu with %zu placeholders", strlen(out),
			    strlen(plain), len, calls);
		if (calls == 0 && strcmp(out, tmpl) != 0)
			fuzz_fail("a template without placeholders changed");
	}
	free(out);
	free(plain);
	free(tmpl);
	return 0;
}
