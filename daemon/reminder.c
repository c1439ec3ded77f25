#include "reminder.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "err.h"
#include "jsonout.h"
#include "store.h"

int
reminder_load(struct store *st, const struct config *cfg,
    int64_t followup_id, struct reminder *r, char **errp)
{
	memset(r, 0, sizeof(*r));
	if (followup_get(st, followup_id, &r->followup, errp) != 0)
		return -1;
	r->owner = config_person(cfg, r->followup.owner);
	r->zone = r->owner != NULL ? r->owner->timezone : cfg->timezone;
	if (r->followup.deal_id != 0 &&
	    deal_get(st, r->followup.deal_id, &r->deal, errp) != 0)
		goto fail;
	if (r->followup.promise_id != 0 &&
	    promise_get(st, r->followup.promise_id, &r->promise, errp) != 0)
		goto fail;
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

json_t *
reminder_json(const struct reminder *r, const char *delivery_id, time_t now)
{
	json_t *o, *owner;
	int rc;

	/* Key by key, required fields checked: see followup_json(). */
	if ((o = json_object()) == NULL)
		return NULL;
	owner = json_object();
	rc = owner == NULL ? -1 :
	    jsonout_set_text(owner, "handle", r->followup.owner);
	if (rc == 0 && r->owner != NULL) {
		jsonout_set_str(owner, "name", r->owner->name);
		jsonout_set_str(owner, "email", r->owner->email);
	}
	rc |= jsonout_set_text(o, "type", "nudge.reminder");
	rc |= jsonout_set_text(o, "delivery_id", delivery_id);
	rc |= jsonout_set_text(o, "text", r->followup.text);
	/* Both take the value, set or not. */
	rc |= json_object_set_new_nocheck(o, "owner", owner);
	rc |= json_object_set_new_nocheck(o, "followup",
	    followup_json(&r->followup, r->zone));
	jsonout_set_time(o, "timestamp", now, r->zone);
	jsonout_set_str(o, "account", r->followup.account);
	json_object_set_new_nocheck(o, "deal", r->deal.id != 0 ?
	    deal_json(&r->deal, r->zone) : json_null());
	json_object_set_new_nocheck(o, "promise", r->promise.id != 0 ?
	    promise_json(&r->promise, r->zone) : json_null());
	if (rc != 0) {
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
