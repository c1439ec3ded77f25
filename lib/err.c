#include "err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
err_setv(char **errp, const char *fmt, va_list ap)
{
	char *msg = NULL;

	if (errp == NULL)
		return -1;
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	free(*errp);
	/* Out of memory while reporting: a static fallback would need a
	 * different free rule, so report the failure as a strdup'd text. */
	*errp = msg != NULL ? msg : strdup("out of memory");
	return -1;
}

int
err_set(char **errp, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_setv(errp, fmt, ap);
	va_end(ap);
	return -1;
}

int
err_prefix(char **errp, const char *fmt, ...)
{
	va_list ap;
	char *prefix = NULL, *old;

	if (errp == NULL)
		return -1;
	old = *errp;
	va_start(ap, fmt);
	if (vasprintf(&prefix, fmt, ap) < 0)
		prefix = NULL;
	va_end(ap);
	*errp = NULL;
	err_set(errp, "%s: %s", prefix != NULL ? prefix : "",
	    old != NULL ? old : "unknown error");
	free(prefix);
	free(old);
	return -1;
}
