/* Small jansson helpers shared by the model's *_json() functions.  Keys
 * are string literals: jansson does not check them. */
#ifndef NUDGE_JSONOUT_H
#define NUDGE_JSONOUT_H

#include <jansson.h>
#include <stdint.h>

/* Each returns 0, or -1 when the value could not be made or set (out of
 * memory, text that is not UTF-8): the key is then missing.  A value the
 * key already holds (and holds alone) is updated in place, so an object
 * can be filled again, key by key, for the next record. */

/* o[key] = ISO 8601 time in zone, or null when t == 0. */
int jsonout_set_time(json_t *o, const char *key, int64_t t, const char *zone);
/* o[key] = s, or null when s == NULL. */
int jsonout_set_str(json_t *o, const char *key, const char *s);
/* o[key] = s, which is required: -1 when s == NULL. */
int jsonout_set_text(json_t *o, const char *key, const char *s);
/* o[key] = v. */
int jsonout_set_int(json_t *o, const char *key, int64_t v);
/* o[key] = true when v != 0, else false. */
int jsonout_set_bool(json_t *o, const char *key, int v);
/* o[key] = id, or null when id == 0 (none). */
int jsonout_set_id(json_t *o, const char *key, int64_t id);

/* The end of an object made key by key: o when nothing failed, else
 * NULL with o released (o may be NULL: json_object() failed). */
json_t *jsonout_made(json_t *o, int failed);

/*
 * A model's *_json() from its lib/<model>.def rows (lib/store.h), whose
 * two columns after the SQL one say how each field is written and under
 * which key: def(JSONOUT_DEF_, JSONOUT_DEF_) in a function that has the
 * object o, the record r, the zone and an int rc, set to 0.  A required
 * key (int, text, bool) that cannot be set makes rc nonzero, as
 * json_pack() failed the object; an optional one (id, str, time) is then
 * missing.  none: the field has no key.
 */
#define JSONOUT_DEF_int(key, v) rc |= jsonout_set_int(o, key, v);
#define JSONOUT_DEF_text(key, v) rc |= jsonout_set_text(o, key, v);
#define JSONOUT_DEF_bool(key, v) rc |= jsonout_set_bool(o, key, v);
#define JSONOUT_DEF_id(key, v) jsonout_set_id(o, key, v);
#define JSONOUT_DEF_str(key, v) jsonout_set_str(o, key, v);
#define JSONOUT_DEF_time(key, v) jsonout_set_time(o, key, v, zone);
#define JSONOUT_DEF_none(key, v)
#define JSONOUT_DEF_(kind, field, sql, how, key) \
	JSONOUT_DEF_##how(key, r->field)

#endif
