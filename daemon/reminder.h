/*
 * Everything a channel needs to say about one follow-up: the follow-up, its
 * owner, and the deal or promise it concerns.  Loaded once per delivery.
 */
#ifndef NUDGED_REMINDER_H
#define NUDGED_REMINDER_H

#include <jansson.h>

#include "deal.h"
#include "followup.h"
#include "promise.h"
#include "words.h"

struct config;
struct config_person;
struct store;

/* The keys reminder_json_fill() sets: at the top (the Standard Webhooks
 * envelope), in "data" and in "data.owner". */
#define REMINDER_JSON_KEYS 3
#define REMINDER_JSON_DATA_KEYS 11
#define REMINDER_JSON_OWNER_KEYS 4
/* The most items of a folded message listed in its JSON body (the text
 * lists 40; a consumer gets each item's ids, up to this many). */
#define REMINDER_ITEMS_MAX 500

struct reminder {
	struct followup followup;
	const struct config_person *owner;      /* NULL: left the config */
	struct deal deal;                       /* id 0: none */
	struct promise promise;                 /* id 0: none */
	const char *zone;                       /* the owner's, else default */
	const struct config *cfg;               /* for a rule's event */
	/* When its delivery row was made: the body's timestamp, the same
	 * at every attempt (0: none, the attempt's time is used). */
	time_t created_at;
	/* The follow-up's action link (daemon/links.h); NULL: none. */
	char *link;
	/* A folded message's items (a digest, a missed list), by id, and
	 * each one's own action link (NULL: no listener; an entry NULL:
	 * none for that item). */
	struct followup *items;
	char **item_links;
	size_t nitems;
};

/* The reminder of follow-up *f (read with its outbox row): *f moves into
 * r (and reads as none after), its deal or promise is read. */
int reminder_take(struct store *st, const struct config *cfg,
    struct followup *f, struct reminder *r, char **errp);
void reminder_clear(struct reminder *r);
/* The generic JSON body, {type, timestamp, data} as Standard Webhooks
 * has it (docs/webhook.schema.json), times in UTC; new reference. */
json_t *reminder_json(const struct reminder *r, const char *delivery_id,
    time_t now);
/*
 * The same payload in o, an object empty or filled whole by an earlier
 * call for another reminder (it keeps nothing of that one, and its keys
 * keep their order).  0: o is whole, fit to be filled again; 1: o is
 * right, but an optional key is left out (an owner gone from the
 * configuration, text that is not UTF-8), so it is not fit to be filled
 * again (that key would come back last); -1: a required field cannot be
 * set, and o is only fit to be freed.
 */
int reminder_json_fill(json_t *o, const struct reminder *r,
    const char *delivery_id, time_t now);
/* The language of nudge's own words in r: its owner's (English for an
 * owner gone from the configuration). */
enum lang reminder_lang(const struct reminder *r);
/* One line for people: "text [account]". Caller frees. */
char *reminder_line(const struct reminder *r);

#endif
