#include "jsonout.h"

#include <string.h>

#include "timeutil.h"

/* Keys are string literals of the model: valid UTF-8, so jansson's check
 * is skipped (a reminder's body sets some thirty keys). */

/*
 * A value that key already holds, and holds alone, is updated in place: a
 * body filled again for the next reminder (reminder_json_fill) then keeps
 * its keys and their allocations.  Whatever fails leaves the key missing,
 * never holding what it held before.
 */
static json_t *
jsonout_own(json_t *o, const char *key, json_type type)
{
	json_t *v = json_object_get(o, key);

	return v != NULL && json_typeof(v) == type && v->refcount == 1 ?
	    v : NULL;
}

static int
jsonout_put(json_t *o, const char *key, json_t *v)
{
	if (json_object_set_new_nocheck(o, key, v) == 0)
		return 0;
	json_object_del(o, key);
	return -1;
}

static int
jsonout_put_string(json_t *o, const char *key, const char *s, size_t len,
    int ascii)
{
	json_t *v = jsonout_own(o, key, JSON_STRING);

	if (v == NULL)
		return jsonout_put(o, key, ascii ? json_stringn_nocheck(s, len) :
		    json_stringn(s, len));
	if ((ascii ? json_string_setn_nocheck(v, s, len) :
	    json_string_setn(v, s, len)) == 0)
		return 0;
	json_object_del(o, key);
	return -1;
}

static int
jsonout_put_integer(json_t *o, const char *key, int64_t n)
{
	json_t *v = jsonout_own(o, key, JSON_INTEGER);

	if (v == NULL)
		return jsonout_put(o, key, json_integer(n));
	return json_integer_set(v, n);
}

int
jsonout_set_time(json_t *o, const char *key, int64_t t, const char *zone)
{
	char buf[64];

	/* timeutil writes ASCII: no UTF-8 to check either. */
	if (t == 0 ||
	    timeutil_format_iso((time_t)t, zone, buf, sizeof(buf)) != 0)
		return jsonout_put(o, key, json_null());
	return jsonout_put_string(o, key, buf, strlen(buf), 1);
}

int
jsonout_set_str(json_t *o, const char *key, const char *s)
{
	if (s == NULL)
		return jsonout_put(o, key, json_null());
	return jsonout_put_string(o, key, s, strlen(s), 0);
}

int
jsonout_set_text(json_t *o, const char *key, const char *s)
{
	if (s == NULL) {
		json_object_del(o, key);
		return -1;
	}
	return jsonout_put_string(o, key, s, strlen(s), 0);
}

int
jsonout_set_int(json_t *o, const char *key, int64_t v)
{
	return jsonout_put_integer(o, key, v);
}

int
jsonout_set_bool(json_t *o, const char *key, int v)
{
	return jsonout_put(o, key, json_boolean(v));
}

int
jsonout_set_id(json_t *o, const char *key, int64_t id)
{
	if (id == 0)
		return jsonout_put(o, key, json_null());
	return jsonout_put_integer(o, key, id);
}

json_t *
jsonout_made(json_t *o, int failed)
{
	if (failed) {
		json_decref(o);
		return NULL;
	}
	return o;
}
