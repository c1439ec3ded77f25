#include "reminder.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "err.h"
#include "jsonout.h"
#include "links.h"
#include "store.h"

int
reminder_take(struct store *st, const struct config *cfg,
    struct followup *f, struct reminder *r, char **errp)
{
	memset(r, 0, sizeof(*r));
	r->followup = *f;
	memset(f, 0, sizeof(*f));
	r->owner = config_person(cfg, r->followup.owner);
	r->zone = r->owner != NULL ? r->owner->timezone : cfg->timezone;
	if (r->followup.deal_id != 0 &&
	    deal_get(st, r->followup.deal_id, &r->deal, errp) != 0)
		goto fail;
	if (r->followup.promise_id != 0 &&
	    promise_get(st, r->followup.promise_id, &r->promise, errp) != 0)
		goto fail;
	/* Every channel says the text: its {{link}} is signed here. */
	if (links_expand(cfg, &r->followup, time(NULL),
	    &r->followup.text) != 0) {
		err_set(errp, "out of memory");
		goto fail;
	}
	return 0;
fail:
	reminder_clear(r);
	return -1;
}

void
reminder_clear(struct reminder *r)
{
	followup_clear(&r->followup);
	deal_clear(&r->deal);
	promise_clear(&r->promise);
}

/* o[key] as an object of its own: the one there, or a new one. */
static json_t *
reminder_sub(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (json_is_object(v) && v->refcount == 1)
		return v;
	if ((v = json_object()) == NULL ||
	    json_object_set_new_nocheck(o, key, v) != 0)
		return NULL;
	return v;
}

int
reminder_json_fill(json_t *o, const struct reminder *r,
    const char *delivery_id, time_t now)
{
	json_t *owner, *followup;
	int rc;

	/* Key by key, required fields checked: see followup_json().  The
	 * same keys every time, in the same order. */
	rc = jsonout_set_text(o, "type", "nudge.reminder");
	rc |= jsonout_set_text(o, "delivery_id", delivery_id);
	rc |= jsonout_set_text(o, "text", r->followup.text);
	if ((owner = reminder_sub(o, "owner")) == NULL ||
	    (followup = reminder_sub(o, "followup")) == NULL)
		return -1;
	rc |= jsonout_set_text(owner, "handle", r->followup.owner);
	if (r->owner != NULL) {
		jsonout_set_str(owner, "name", r->owner->name);
		jsonout_set_str(owner, "email", r->owner->email);
	} else {
		/* Someone gone from the configuration has no name here,
		 * not the last person's. */
		json_object_del(owner, "name");
		json_object_del(owner, "email");
	}
	rc |= followup_json_fill(followup, &r->followup, r->zone);
	jsonout_set_time(o, "timestamp", now, r->zone);
	jsonout_set_str(o, "account", r->followup.account);
	/* Made anew: deal_json() has a key only some deals have.  One
	 * that cannot be made is left out, not left as the last one. */
	if (json_object_set_new_nocheck(o, "deal", r->deal.id != 0 ?
	    deal_json(&r->deal, r->zone) : json_null()) != 0)
		json_object_del(o, "deal");
	if (json_object_set_new_nocheck(o, "promise", r->promise.id != 0 ?
	    promise_json(&r->promise, r->zone) : json_null()) != 0)
		json_object_del(o, "promise");
	if (rc != 0)
		return -1;
	/* A key left out would come back last in the next fill. */
	return json_object_size(o) == REMINDER_JSON_KEYS &&
	    json_object_size(owner) == REMINDER_JSON_OWNER_KEYS &&
	    json_object_size(followup) == FOLLOWUP_JSON_KEYS ? 0 : 1;
}

json_t *
reminder_json(const struct reminder *r, const char *delivery_id, time_t now)
{
	json_t *o;

	if ((o = json_object()) == NULL)
		return NULL;
	if (reminder_json_fill(o, r, delivery_id, now) < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

char *
reminder_line(const struct reminder *r)
{
	char *line = NULL;

	if (asprintf(&line, "%s%s%s%s", r->followup.text,
	    r->followup.account != NULL ? " [" : "",
	    r->followup.account != NULL ? r->followup.account : "",
	    r->followup.account != NULL ? "]" : "") < 0)
		return NULL;
	return line;
}
