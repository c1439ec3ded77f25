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

struct config;
struct config_person;
struct store;

struct reminder {
	struct followup followup;
	const struct config_person *owner;      /* NULL: left the config */
	struct deal deal;                       /* id 0: none */
	struct promise promise;                 /* id 0: none */
	const char *zone;                       /* the owner's, else default */
};

int reminder_load(struct store *st, const struct config *cfg,
    int64_t followup_id, struct reminder *r, char **errp);
void reminder_clear(struct reminder *r);
/* The generic JSON payload (Standard Webhooks "data"); new reference. */
json_t *reminder_json(const struct reminder *r, const char *delivery_id,
    time_t now);
/* One line for people: "text [account]". Caller frees. */
char *reminder_line(const struct reminder *r);

#endif
