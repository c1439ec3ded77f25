/*
 * Message templates: text with {{ variable }} placeholders (spaces inside
 * the braces optional).  Checked when the configuration loads, so an unknown
 * variable or an unclosed "{{" is a config error with its column; rendered
 * when a follow-up is made.  Rendering produces plain text and never
 * expands placeholders inside values; each channel escapes the text for
 * where it lands (jansson for JSON).
 */
#ifndef NUDGE_TEMPLATE_H
#define NUDGE_TEMPLATE_H

/* Longest variable name accepted, in bytes. */
#define TEMPLATE_NAME_MAX 63

/* Returns the value of a variable, or NULL for "empty". */
typedef const char *(*template_lookup_fn)(const char *name, void *ctx);

/* The variables a rule's message may use (NULL-terminated). */
extern const char *const template_rule_variables[];

/*
 * Check syntax and that every variable is in `allowed` (NULL-terminated).
 * Errors give the position: "column 12: unknown variable 'acount' (known:
 * owner, ...)"; in a template of several lines "line 2, column 5: ...".
 * Columns count characters (UTF-8 code points) from 1.
 */
int template_check(const char *tmpl, const char *const *allowed,
    char **errp);
/* 1 when tmpl has the variable name (a malformed tmpl: up to the
 * mistake). */
int template_uses(const char *tmpl, const char *name);
/*
 * Render; lookup (may be NULL: every variable empty) gives each value.
 * Returns a malloc'd string (caller frees), or NULL with *errp on a syntax
 * error or out of memory.
 */
char *template_render(const char *tmpl, template_lookup_fn lookup, void *ctx,
    char **errp);

#endif
