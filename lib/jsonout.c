#include "jsonout.h"

#include <string.h>

#include "timeutil.h"

/* Keys are string literals of the model: valid UTF-8, so jansson's check
 * is skipped (a reminder's body sets some thirty keys). */

int
jsonout_set_time(json_t *o, const char *key, int64_t t, const char *zone)
{
	char buf[64];

	/* timeutil writes ASCII: no UTF-8 to check either. */
	if (t == 0 ||
	    timeutil_format_iso((time_t)t, zone, buf, sizeof(buf)) != 0)
		return json_object_set_new_nocheck(o, key, json_null());
	return json_object_set_new_nocheck(o, key,
	    json_stringn_nocheck(buf, strlen(buf)));
}

int
jsonout_set_str(json_t *o, const char *key, const char *s)
{
	return json_object_set_new_nocheck(o, key, s != NULL ?
	    json_string(s) : json_null());
}

int
jsonout_set_text(json_t *o, const char *key, const char *s)
{
	if (s == NULL)
		return -1;
	return json_object_set_new_nocheck(o, key, json_string(s));
}

int
jsonout_set_int(json_t *o, const char *key, int64_t v)
{
	return json_object_set_new_nocheck(o, key, json_integer(v));
}

int
jsonout_set_id(json_t *o, const char *key, int64_t id)
{
	return json_object_set_new_nocheck(o, key, id != 0 ?
	    json_integer(id) : json_null());
}
