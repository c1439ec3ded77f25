#include "template.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "names_join.h"

const char *const template_rule_variables[] = {
	"owner", "owner_name", "account", "deal", "deal_value", "promise",
	"promise_id", "promised_to", "due", "target", "days_overdue", "followup", "rule",
	"gesture", "link", NULL,
};

/* One placeholder found by template_next(). */
struct template_var {
	const char *start;              /* the "{{" */
	const char *end;                /* just past the "}}" */
	char name[TEMPLATE_NAME_MAX + 1];
};

/*
 * Where `at` is in tmpl, as people count: the line (from 1) and the column
 * in characters, so a message with "å" before the mistake still points at
 * the right place.  "line 2, column 5" only when the template has several
 * lines: rule messages are nearly always one.
 */
static int
template_error(char **errp, const char *tmpl, const char *at,
    const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int
template_error(char **errp, const char *tmpl, const char *at,
    const char *fmt, ...)
{
	const char *p;
	char *msg = NULL;
	va_list ap;
	long line = 1, col = 1;
	int rc;

	for (p = tmpl; p < at; p++) {
		if (*p == '\n') {
			line++;
			col = 1;
		} else if (((unsigned char)*p & 0xc0) != 0x80)
			col++;
	}
	va_start(ap, fmt);
	rc = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (rc < 0)
		return err_set(errp, "out of memory");
	if (line > 1 || strchr(tmpl, '\n') != NULL)
		err_set(errp, "line %ld, column %ld: %s", line, col, msg);
	else
		err_set(errp, "column %ld: %s", col, msg);
	free(msg);
	return -1;
}

static int
template_name_char(char c, int first)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	    (!first && c >= '0' && c <= '9');
}

/*
 * Find the next placeholder at or after p.  Both check and render go
 * through here, so they can never disagree about what is a placeholder.
 * A "}}" before any "{{" and a "{{" not closed before the next "{{" are
 * mistakes (typically "{account}}" or "{{account"), not text: there is no
 * escaping, and reminders have no use for literal double braces.
 * Returns 1 found, 0 none left, -1 malformed (message in errp).
 */
static int
template_next(const char *tmpl, const char *p, struct template_var *v,
    char **errp)
{
	const char *open, *close, *stray, *again, *a, *b;
	size_t len;

	open = strstr(p, "{{");
	stray = strstr(p, "}}");
	if (stray != NULL && (open == NULL || stray < open))
		return template_error(errp, tmpl, stray,
		    "'}}' without '{{' before it");
	if (open == NULL)
		return 0;
	close = strstr(open + 2, "}}");
	again = strstr(open + 2, "{{");
	if (close == NULL || (again != NULL && again < close))
		return template_error(errp, tmpl, open,
		    "'{{' is never closed with '}}'");
	for (a = open + 2; a < close && (*a == ' ' || *a == '\t'); a++)
		;
	for (b = close; b > a && (b[-1] == ' ' || b[-1] == '\t'); b--)
		;
	len = (size_t)(b - a);
	if (len == 0)
		return template_error(errp, tmpl, open,
		    "empty '{{ }}': put a variable name inside");
	if (len > TEMPLATE_NAME_MAX)
		return template_error(errp, tmpl, open,
		    "variable name longer than %d bytes", TEMPLATE_NAME_MAX);
	memcpy(v->name, a, len);
	v->name[len] = '\0';
	for (a = v->name; *a != '\0'; a++)
		if (!template_name_char(*a, a == v->name))
			return template_error(errp, tmpl, open,
			    "'%s' is not a variable name (a letter or _, then "
			    "letters, digits and _)", v->name);
	v->start = open;
	v->end = close + 2;
	return 1;
}

int
template_check(const char *tmpl, const char *const *allowed, char **errp)
{
	struct template_var v;
	const char *p = tmpl;
	const char *const *a;
	char *known = NULL;
	int rc;

	while ((rc = template_next(tmpl, p, &v, errp)) == 1) {
		for (a = allowed; *a != NULL; a++)
			if (strcmp(*a, v.name) == 0)
				break;
		if (*a == NULL) {
			known = names_join(allowed, ", ");
			rc = template_error(errp, tmpl, v.start,
			    "unknown variable '%s' (known: %s)", v.name,
			    known != NULL && *known != '\0' ? known : "none");
			free(known);
			break;
		}
		p = v.end;
	}
	return rc < 0 ? -1 : 0;
}

int
template_uses(const char *tmpl, const char *name)
{
	struct template_var v;
	const char *p = tmpl;

	while (template_next(tmpl, p, &v, NULL) == 1) {
		if (strcmp(v.name, name) == 0)
			return 1;
		p = v.end;
	}
	return 0;
}

char *
template_render(const char *tmpl, template_lookup_fn lookup, void *ctx,
    char **errp)
{
	struct template_var v;
	const char *p = tmpl, *val;
	char *out = NULL;
	size_t size = 0;
	FILE *f = NULL;
	int rc;

	if ((f = open_memstream(&out, &size)) == NULL) {
		err_set(errp, "out of memory");
		return NULL;
	}
	while ((rc = template_next(tmpl, p, &v, errp)) == 1) {
		fwrite(p, 1, (size_t)(v.start - p), f);
		val = lookup != NULL ? lookup(v.name, ctx) : NULL;
		if (val != NULL)
			fputs(val, f);
		p = v.end;
	}
	if (rc == 0)
		fputs(p, f);
	if (fclose(f) != 0) {
		if (rc == 0)
			err_set(errp, "out of memory");
		rc = -1;
	}
	if (rc < 0) {
		free(out);
		return NULL;
	}
	return out;
}
