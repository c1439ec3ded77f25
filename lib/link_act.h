/*
 * What an action link's page shows and what its form does: the subject
 * read for the page, and the form's action turned into the use-case the
 * CLI calls for it (lib/usecase.h), so a click obeys exactly the rules a
 * command does.  The caller sets the store's actor (store_set_actor()) so
 * the history says the change came through a link.
 */
#ifndef NUDGE_LINK_ACT_H
#define NUDGE_LINK_ACT_H

#include "deal.h"
#include "event.h"
#include "followup.h"
#include "link.h"
#include "promise.h"
#include "usecase.h"
#include "words.h"

struct store;

/* A link's subject: the follow-up (id 0 for a promise's link), its
 * promise and deal (id 0: none), and the history of the one named. */
struct link_subject {
	struct followup followup;
	struct promise promise;
	struct deal deal;
	struct event *events;
	size_t nevents;
};

/* Read l's subject: 0, or -1 (gone, or the database failed: *errp). */
int link_subject_load(struct store *st, const struct link *l,
    struct link_subject *s, char **errp);
void link_subject_clear(struct link_subject *s);

/*
 * Do the form's action for l, whose subject s was read just before:
 * UC_OK with *said (static text, in lang) what was done; UC_REFUSED
 * with *errp the use-case's reason, or that the link may not do that
 * action (in lang).
 */
enum uc_status link_act(struct uc_ctx *ctx, const struct link *l,
    const struct link_subject *s, const struct link_form *form,
    enum lang lang, const char **said, char **errp);

#endif
