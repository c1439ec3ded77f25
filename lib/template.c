#include "template.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"

#define TEMPLATE_NAME_MAX 64

const char *const template_rule_variables[] = {
	"owner", "owner_name", "account", "deal", "deal_value", "promise",
	"promised_to", "due", "target", "days_overdue", "followup", "rule",
	"gesture", "link", NULL,
};

/*
 * Find the next placeholder at or after p.  On success *start points at
 * "{{", *end just past "}}" and name holds the trimmed variable name.
 * Returns 1 found, 0 none, -1 malformed (message in errp).
 */
static int
template_next(const char *tmpl, const char *p, const char **start,
    const char **end, char *name, char **errp)
{
	const char *open, *close, *a, *b;
	size_t len;

	if ((open = strstr(p, "{{")) == NULL) {
		if ((close = strstr(p, "}}")) != NULL)
			return err_set(errp, "column %ld: '}}' without '{{'",
			    (long)(close - tmpl) + 1);
		return 0;
	}
	if ((close = strstr(open + 2, "}}")) == NULL)
		return err_set(errp, "column %ld: '{{' is never closed with "
		    "'}}'", (long)(open - tmpl) + 1);
	for (a = open + 2; a < close && isspace((unsigned char)*a); a++)
		;
	for (b = close; b > a && isspace((unsigned char)b[-1]); b--)
		;
	len = (size_t)(b - a);
	if (len == 0)
		return err_set(errp, "column %ld: empty '{{ }}'",
		    (long)(open - tmpl) + 1);
	if (len >= TEMPLATE_NAME_MAX)
		return err_set(errp, "column %ld: variable name too long",
		    (long)(open - tmpl) + 1);
	memcpy(name, a, len);
	name[len] = '\0';
	for (a = name; *a != '\0'; a++)
		if (!isalnum((unsigned char)*a) && *a != '_')
			return err_set(errp, "column %ld: '%s' is not a "
			    "variable name (letters, digits and _)",
			    (long)(open - tmpl) + 1, name);
	*start = open;
	*end = close + 2;
	return 1;
}

int
template_check(const char *tmpl, const char *const *allowed, char **errp)
{
	const char *p = tmpl, *start, *end;
	const char *const *v;
	char name[TEMPLATE_NAME_MAX];
	int rc;

	while ((rc = template_next(tmpl, p, &start, &end, name, errp)) == 1) {
		for (v = allowed; *v != NULL; v++)
			if (strcmp(*v, name) == 0)
				break;
		if (*v == NULL)
			return err_set(errp, "column %ld: unknown variable "
			    "'%s'", (long)(start - tmpl) + 1, name);
		p = end;
	}
	return rc;
}

char *
template_render(const char *tmpl, template_lookup_fn lookup, void *ctx,
    char **errp)
{
	const char *p = tmpl, *start, *end, *val;
	char name[TEMPLATE_NAME_MAX], *out = NULL;
	size_t size = 0;
	FILE *f;
	int rc;

	if ((f = open_memstream(&out, &size)) == NULL) {
		err_set(errp, "out of memory");
		return NULL;
	}
	while ((rc = template_next(tmpl, p, &start, &end, name, errp)) == 1) {
		fwrite(p, 1, (size_t)(start - p), f);
		if ((val = lookup(name, ctx)) != NULL)
			fputs(val, f);
		p = end;
	}
	if (rc == 0)
		fputs(p, f);
	if (fclose(f) != 0 || rc < 0) {
		if (rc == 0)
			err_set(errp, "out of memory");
		free(out);
		return NULL;
	}
	return out;
}
