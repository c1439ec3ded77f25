/*
 * Contacts: touches of an account (a call, a visit, a follow-up done, a
 * promise kept, a deal won).  The last one starts the account's
 * stay-in-touch clock (lib/cadence.h).
 */
#ifndef NUDGE_CONTACT_H
#define NUDGE_CONTACT_H

#include <stdint.h>
#include <time.h>

struct store;

/* A touch to log.  Every field is borrowed. */
struct contact_new {
	int64_t account_id;
	int64_t at;             /* when it happened */
	const char *owner;      /* who made it */
	const char *with;       /* whom they spoke to; NULL: not said */
	const char *note;       /* NULL: none */
	const char *source;     /* "contact", "followup", "promise", "deal" */
	int64_t source_id;      /* the record that made it; 0: none */
};

/* c as the touch a record made (a follow-up done, a promise kept, a
 * deal won): on account_id at at by owner, of source's source_id, with
 * no one named and no note. */
void contact_of_record(struct contact_new *c, int64_t account_id,
    int64_t at, const char *owner, const char *source, int64_t source_id);

/* Insert the touch and its event (contact.logged on the account).  Caller
 * holds the transaction. */
int contact_insert(struct store *st, const struct contact_new *c, time_t now,
    int64_t *id, char **errp);

/* The moments of an account's touches in (from, to], oldest first, but
 * those of source `but` (NULL: none left out), in a new array *v (caller
 * frees). */
int contact_moments(struct store *st, int64_t account_id, int64_t from,
    int64_t to, const char *but, int64_t **v, size_t *n, char **errp);

#endif
