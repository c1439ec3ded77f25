/*
 * Message templates: text with {{ variable }} placeholders.  Checked when
 * the configuration loads (an unknown variable is a config error), rendered
 * when a follow-up is made.  Rendering produces plain text; each channel
 * escapes it for where it lands (jansson for JSON).
 */
#ifndef NUDGE_TEMPLATE_H
#define NUDGE_TEMPLATE_H

/* Returns the value of a variable, or NULL for "empty". */
typedef const char *(*template_lookup_fn)(const char *name, void *ctx);

/* The variables a rule's message may use (NULL-terminated). */
extern const char *const template_rule_variables[];

/* Check syntax and that every variable is in `allowed` (NULL-terminated).
 * Errors give the column: "column 12: unknown variable 'acount'". */
int template_check(const char *tmpl, const char *const *allowed,
    char **errp);
/* Render; returns a malloc'd string (caller frees) or NULL with *errp. */
char *template_render(const char *tmpl, template_lookup_fn lookup, void *ctx,
    char **errp);

#endif
