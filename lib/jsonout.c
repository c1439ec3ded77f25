#include "jsonout.h"

#include "timeutil.h"

void
jsonout_set_time(json_t *o, const char *key, int64_t t, const char *zone)
{
	char buf[64];

	if (t == 0 || timeutil_format_iso((time_t)t, zone, buf, sizeof(buf)) != 0)
		json_object_set_new(o, key, json_null());
	else
		json_object_set_new(o, key, json_string(buf));
}

void
jsonout_set_str(json_t *o, const char *key, const char *s)
{
	json_object_set_new(o, key, s != NULL ? json_string(s) : json_null());
}
