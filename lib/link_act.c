/* An action link's subject and actions: see link_act.h. */
#include "link_act.h"

#include <stdlib.h>
#include <string.h>

#include "err.h"

int
link_subject_load(struct store *st, const struct link *l,
    struct link_subject *s, char **errp)
{
	int64_t promise_id = l->kind == 'p' ? l->id : 0;
	int64_t deal_id = 0;

	memset(s, 0, sizeof(*s));
	if (l->kind == 'f') {
		if (followup_get(st, l->id, &s->followup, errp) != 0)
			return -1;
		promise_id = s->followup.promise_id;
		deal_id = s->followup.deal_id;
	}
	if (promise_id != 0) {
		if (promise_get(st, promise_id, &s->promise, errp) != 0)
			goto fail;
		if (deal_id == 0)
			deal_id = s->promise.deal_id;
	}
	if (deal_id != 0 && deal_get(st, deal_id, &s->deal, errp) != 0)
		goto fail;
	if (event_list_subject(st, l->kind == 'f' ? "followup" : "promise",
	    l->id, &s->events, &s->nevents, errp) != 0)
		goto fail;
	return 0;
fail:
	link_subject_clear(s);
	return -1;
}

void
link_subject_clear(struct link_subject *s)
{
	followup_clear(&s->followup);
	promise_clear(&s->promise);
	deal_clear(&s->deal);
	event_list_free(s->events, s->nevents);
	memset(s, 0, sizeof(*s));
}

/* A date as <input type=date> sends it: YYYY-MM-DD, nothing else. */
static int
link_is_date(const char *s)
{
	size_t i;

	if (strlen(s) != 10)
		return 0;
	for (i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-' : s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* The snooze choices of the page, as the CLI's --for / --until. */
static enum uc_status
link_snooze(struct uc_ctx *ctx, int64_t id, const struct link_form *form,
    enum lang lang, struct followup *out, char **errp)
{
	if (strcmp(form->snooze, "1h") == 0)
		return uc_followup_snooze(ctx, id, "1h", NULL, out, errp);
	if (strcmp(form->snooze, "tomorrow") == 0 || form->snooze[0] == '\0')
		return uc_followup_snooze(ctx, id, NULL, "tomorrow", out, errp);
	if (strcmp(form->snooze, "week") == 0)
		return uc_followup_snooze(ctx, id, NULL, "monday", out, errp);
	if (strcmp(form->snooze, "date") == 0 && link_is_date(form->date))
		return uc_followup_snooze(ctx, id, NULL, form->date, out,
		    errp);
	return err_set(errp, "%s", word(lang, W_SNOOZE_WHEN)),
	    UC_REFUSED;
}

/* The promise's actions: kept now, or a new due date with the note. */
static enum uc_status
link_promise(struct uc_ctx *ctx, unsigned bit, int64_t id,
    const struct link_form *form, enum lang lang, const char **said,
    char **errp)
{
	struct promise p;
	enum uc_status rc;

	memset(&p, 0, sizeof(p));
	if (bit == LINK_KEPT) {
		rc = uc_promise_finish(ctx, id, "kept", NULL, &p, errp);
		*said = word(lang, W_SAID_KEPT);
	} else if (!link_is_date(form->date)) {
		return err_set(errp, "%s", word(lang, W_GIVE_DUE_DATE)),
		    UC_REFUSED;
	} else {
		rc = uc_promise_renegotiate(ctx, id, form->date,
		    form->note[0] != '\0' ? form->note : NULL, &p, errp);
		*said = word(lang, W_SAID_RENEGOTIATED);
	}
	promise_clear(&p);
	return rc;
}

/* A touch with the follow-up's account, by its owner, now. */
static enum uc_status
link_contact(struct uc_ctx *ctx, const struct followup *fu,
    const struct link_form *form, enum lang lang, const char **said,
    char **errp)
{
	struct uc_contact_add req;
	struct uc_contact_added out;
	enum uc_status rc;

	if (fu->account == NULL)
		return err_set(errp, "%s", word(lang, W_NO_ACCOUNT)),
		    UC_REFUSED;
	memset(&req, 0, sizeof(req));
	req.account = fu->account;
	req.owner = fu->owner;
	req.note = form->note[0] != '\0' ? form->note : NULL;
	if ((rc = uc_contact_add(ctx, &req, &out, errp)) == UC_OK)
		*said = word(lang, W_SAID_CONTACT);
	return rc;
}

enum uc_status
link_act(struct uc_ctx *ctx, const struct link *l,
    const struct link_subject *s, const struct link_form *form,
    enum lang lang, const char **said, char **errp)
{
	unsigned bit = link_action_bit(form->action);
	struct followup f;
	enum uc_status rc;

	*said = NULL;
	memset(&f, 0, sizeof(f));
	if (bit == 0 || !(l->actions & bit))
		return err_set(errp, "%s", word(lang, W_CANNOT_DO)),
		    UC_REFUSED;
	if (bit == LINK_KEPT || bit == LINK_RENEGOTIATE) {
		if (s->promise.id == 0)
			return err_set(errp, "%s", word(lang, W_NO_PROMISE)),
			    UC_REFUSED;
		return link_promise(ctx, bit, s->promise.id, form, lang, said,
		    errp);
	}
	if (s->followup.id == 0)
		return err_set(errp, "%s", word(lang, W_NO_FOLLOWUP)),
		    UC_REFUSED;
	if (bit == LINK_CONTACT)
		return link_contact(ctx, &s->followup, form, lang, said,
		    errp);
	if (bit == LINK_DONE) {
		rc = uc_followup_finish(ctx, s->followup.id, "done",
		    form->note[0] != '\0' ? form->note : NULL, &f, errp);
		*said = word(lang, W_SAID_DONE);
	} else {
		rc = link_snooze(ctx, s->followup.id, form, lang, &f, errp);
		*said = word(lang, W_SAID_SNOOZED);
	}
	followup_clear(&f);
	return rc;
}
