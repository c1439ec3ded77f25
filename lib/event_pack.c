#include "event_pack.h"

#include <stdarg.h>

#include <jansson.h>

#include "err.h"
#include "event.h"

int
event_append_packed(struct store *st, time_t at, const char *kind,
    const char *subject_type, int64_t subject_id, char **errp,
    const char *fmt, ...)
{
	va_list ap;
	json_t *data;
	int rc;

	va_start(ap, fmt);
	data = json_vpack_ex(NULL, 0, fmt, ap);
	va_end(ap);
	if (data == NULL)
		return err_set(errp, "out of memory");
	rc = event_append(st, at, kind, subject_type, subject_id, data, errp);
	json_decref(data);
	return rc;
}
