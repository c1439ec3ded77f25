/* Small jansson helpers shared by the model's *_json() functions.  Keys
 * are string literals: jansson does not check them. */
#ifndef NUDGE_JSONOUT_H
#define NUDGE_JSONOUT_H

#include <jansson.h>
#include <stdint.h>

/* o[key] = ISO 8601 time in zone, or null when t == 0. */
void jsonout_set_time(json_t *o, const char *key, int64_t t, const char *zone);
/* o[key] = s, or null when s == NULL. */
void jsonout_set_str(json_t *o, const char *key, const char *s);
/* o[key] = id, or null when id == 0 (none). */
void jsonout_set_id(json_t *o, const char *key, int64_t id);

#endif
