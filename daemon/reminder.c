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

/* A folded message lists reminders that each have their own page: one
 * link per item, so each can be marked done from the digest, and in
 * each item's text its own link for its {{link}} (none without a
 * listener). */
static int
reminder_item_links(struct reminder *r, time_t now)
{
	size_t i;

	if (r->nitems == 0)
		return 0;
	if (r->cfg->http.enabled &&
	    (r->item_links = calloc(r->nitems, sizeof(char *))) == NULL)
		return -1;
	for (i = 0; i < r->nitems; i++)
		if ((r->item_links != NULL && links_followup(r->cfg,
		    &r->items[i], now, &r->item_links[i]) != 0) ||
		    links_expand(r->item_links != NULL ? r->item_links[i] :
		    NULL, &r->items[i].text) != 0)
			return -1;
	return 0;
}

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
	r->cfg = cfg;
	/* Only messages nudge folds have items: no query for the others. */
	if (r->followup.rule != NULL && (strcmp(r->followup.rule,
	    "digest") == 0 || strcmp(r->followup.rule, "missed") == 0) &&
	    followup_list_folded(st, r->followup.id, REMINDER_ITEMS_MAX,
	    &r->items, &r->nitems, errp) != 0)
		goto fail;
	/* Signed here, at the delivery: its life counts from now.  Every
	 * channel says the text, with the link for its {{link}}. */
	if (links_followup(cfg, &r->followup, time(NULL), &r->link) != 0 ||
	    links_expand(r->link, &r->followup.text) != 0 ||
	    reminder_item_links(r, time(NULL)) != 0) {
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
	size_t i;

	followup_clear(&r->followup);
	free(r->link);
	r->link = NULL;
	for (i = 0; r->item_links != NULL && i < r->nitems; i++)
		free(r->item_links[i]);
	free(r->item_links);
	r->item_links = NULL;
	followup_list_free(r->items, r->nitems);
	r->items = NULL;
	r->nitems = 0;
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

/* The event of the rule that made a follow-up (NULL: made by hand, or
 * a message nudge writes itself, or a rule gone from the playbook). */
static const char *
reminder_event(const struct config *cfg, const char *rule)
{
	size_t i;

	for (i = 0; cfg != NULL && rule != NULL && i < cfg->nrules; i++)
		if (strcmp(cfg->rules[i].name, rule) == 0)
			return cfg->rules[i].on;
	return NULL;
}

/* {id, name} of a follow-up's account, or null. */
static json_t *
reminder_account(const struct followup *f)
{
	if (f->account_id == 0 || f->account == NULL)
		return json_null();
	return json_pack("{s:I, s:s}", "id", (json_int_t)f->account_id,
	    "name", f->account);
}

/* One item of a folded message with the ids that link it to records. */
static json_t *
reminder_item(const struct config *cfg, const struct followup *f,
    const char *link)
{
	json_t *o = json_object();
	int rc;

	if (o == NULL)
		return NULL;
	rc = jsonout_set_int(o, "id", f->id);
	rc |= jsonout_set_text(o, "text", f->text);
	rc |= jsonout_set_time(o, "due_at", f->due_at, "UTC");
	rc |= json_object_set_new_nocheck(o, "account", reminder_account(f));
	rc |= jsonout_set_id(o, "deal", f->deal_id);
	rc |= jsonout_set_id(o, "promise", f->promise_id);
	rc |= jsonout_set_str(o, "rule", f->rule);
	rc |= jsonout_set_str(o, "event", reminder_event(cfg, f->rule));
	rc |= jsonout_set_str(o, "link", link);
	if (rc != 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *
reminder_items(const struct reminder *r)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a != NULL && i < r->nitems; i++)
		if (json_array_append_new(a, reminder_item(r->cfg,
		    &r->items[i], r->item_links != NULL ?
		    r->item_links[i] : NULL)) != 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

/* o[key] = v, made anew (v NULL: out of memory, the key left out). */
static int
reminder_put(json_t *o, const char *key, json_t *v)
{
	if (v != NULL && json_object_set_new_nocheck(o, key, v) == 0)
		return 0;
	json_object_del(o, key);
	return -1;
}

/* "data": what the reminder says, every time in UTC. */
static int
reminder_data_fill(json_t *data, const struct reminder *r,
    const char *delivery_id, json_t **owner, json_t **followup)
{
	int rc;

	rc = jsonout_set_text(data, "delivery_id", delivery_id);
	rc |= jsonout_set_text(data, "text", r->followup.text);
	/* The action page's signed link (null without a listener), so a
	 * receiver can offer the same one-click actions as a chat. */
	rc |= jsonout_set_str(data, "link", r->link);
	if ((*owner = reminder_sub(data, "owner")) == NULL ||
	    (*followup = reminder_sub(data, "followup")) == NULL)
		return -1;
	rc |= jsonout_set_text(*owner, "handle", r->followup.owner);
	if (r->owner != NULL) {
		jsonout_set_str(*owner, "name", r->owner->name);
		jsonout_set_str(*owner, "email", r->owner->email);
	} else {
		/* Someone gone from the configuration has no name here,
		 * not the last person's. */
		json_object_del(*owner, "name");
		json_object_del(*owner, "email");
	}
	jsonout_set_str(*owner, "timezone", r->zone);
	rc |= followup_json_fill(*followup, &r->followup, "UTC");
	jsonout_set_str(data, "rule", r->followup.rule);
	jsonout_set_str(data, "event", reminder_event(r->cfg,
	    r->followup.rule));
	/* Made anew: deal_json() has a key only some deals have.  One
	 * that cannot be made is left out, not left as the last one. */
	reminder_put(data, "account", reminder_account(&r->followup));
	reminder_put(data, "deal", r->deal.id != 0 ?
	    deal_json(&r->deal, "UTC") : json_null());
	reminder_put(data, "promise", r->promise.id != 0 ?
	    promise_json(&r->promise, "UTC") : json_null());
	if (reminder_put(data, "items", reminder_items(r)) != 0)
		rc = -1;
	return rc;
}

int
reminder_json_fill(json_t *o, const struct reminder *r,
    const char *delivery_id, time_t now)
{
	json_t *data, *owner = NULL, *followup = NULL;
	int rc;

	/* Key by key, required fields checked: see followup_json().  The
	 * same keys every time, in the same order.  The timestamp is when
	 * the delivery was made, so a retry's body is the same. */
	rc = jsonout_set_text(o, "type", "reminder.due");
	rc |= jsonout_set_time(o, "timestamp", r->created_at != 0 ?
	    r->created_at : now, "UTC");
	if ((data = reminder_sub(o, "data")) == NULL ||
	    reminder_data_fill(data, r, delivery_id, &owner, &followup) != 0)
		return -1;
	if (rc != 0)
		return -1;
	/* A key left out would come back last in the next fill. */
	return json_object_size(o) == REMINDER_JSON_KEYS &&
	    json_object_size(data) == REMINDER_JSON_DATA_KEYS &&
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

enum lang
reminder_lang(const struct reminder *r)
{
	return r->owner != NULL ? (enum lang)r->owner->language : LANG_EN;
}
