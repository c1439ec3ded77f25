#include "notice.h"

#include <stdarg.h>
#include <stdio.h>

static notice_fn *notice_handler;

void
notice_set_handler(notice_fn *fn)
{
	notice_handler = fn;
}

void
notice(enum notice_level level, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (notice_handler == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	notice_handler(level, msg);
}
