/*
 * Stay-in-touch cadences: an account's clock starts at its last touch
 * (lib/contact.h), or at its creation when it has none; after the
 * cadence's `every` in the owner's calendar, the owner is reminded by an
 * ordinary follow-up (rule "cadence:NAME", occurrence
 * "cadence:account:ID:DUE"), which goes out as every reminder does.  A
 * touch, a pause or a new configuration plans the account again: a
 * reminder still pending for another moment is withdrawn (cancelled, its
 * note saying why) and the one for the new moment is made.
 */
#ifndef NUDGE_CADENCE_H
#define NUDGE_CADENCE_H

#include <stdint.h>
#include <time.h>

struct config;
struct config_cadence;
struct config_person;
struct store;

/* The prefix of a stay-in-touch reminder's rule. */
#define CADENCE_RULE_PREFIX "cadence:"
/* The start of the note of a reminder a plan withdrew and of its
 * deliveries' last_error: what `nudge delivery retry` refuses and what
 * the end of a pause restores go by it. */
#define CADENCE_WITHDRAWN "withdrawn"

/* An account and its last touch. */
struct cadence_account {
	int64_t id;
	char *name;
	int64_t created_at;
	int64_t paused_at, paused_until;        /* 0: not paused, no end */
	int64_t last_at;                        /* 0: never touched */
	char *last_by, *last_with;              /* NULL when not known */
};

/* An account judged at a moment. */
struct cadence_state {
	const struct config_cadence *cadence;   /* NULL: none applies */
	const struct config_person *owner;      /* NULL: nobody to remind */
	int64_t clock;          /* the last touch, or the account's creation */
	int64_t due;            /* when it has been quiet too long; 0: never
				   (no cadence, no owner, paused) */
	int paused;             /* paused at that moment */
	int overdue;            /* due and due <= the moment */
};

void cadence_judge(const struct config *cfg, const struct cadence_account *a,
    time_t now, struct cadence_state *s);
/* The account with id: 0, or -1 with "no account with id N". */
int cadence_account_get(struct store *st, int64_t id,
    struct cadence_account *a, char **errp);
/* Every account, by name (caller frees with cadence_account_list_free). */
int cadence_account_list(struct store *st, struct cadence_account **v,
    size_t *n, char **errp);
void cadence_account_clear(struct cadence_account *a);
void cadence_account_list_free(struct cadence_account *v, size_t n);

/* Make the account's reminder match its state: withdraw what is pending
 * for another moment, make (or restore) the one for its moment.  Caller
 * holds the transaction. */
int cadence_plan(struct store *st, const struct config *cfg,
    int64_t account_id, time_t now, char **errp);
struct contact_new;
/* Log the touch *c (contact_insert()) and plan its account again: a
 * touch restarts the stay-in-touch clock.  Caller holds the transaction. */
int cadence_touch(struct store *st, const struct config *cfg,
    const struct contact_new *c, time_t now, int64_t *id, char **errp);
/* cadence_plan() of every account, in transactions of its own (nudged:
 * at start and after a reload, when the cadences may have changed). */
int cadence_sweep(struct store *st, const struct config *cfg, time_t now,
    char **errp);

#endif
