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

#endif
