#include "rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "deal.h"
#include "err.h"
#include "event.h"
#include "followup.h"
#include "link.h"
#include "person.h"
#include "promise.h"
#include "store.h"
#include "template.h"

/* What a rule's message can refer to, for one subject. */
struct rules_vars {
	const struct config *cfg;
	const struct config_person *owner;
	const struct config_rule *rule;
	const struct deal *deal;
	const struct promise *promise;
	time_t now;
	int64_t gesture;        /* index into the rule's gestures */
	int64_t followup;       /* the follow-up's id, once it is made */
	char buf[128];
};

static const char *
rules_lookup(const char *name, void *ctx)
{
	struct rules_vars *v = ctx;
	const char *zone = v->owner->timezone;

	if (strcmp(name, "owner") == 0)
		return v->owner->handle;
	if (strcmp(name, "owner_name") == 0)
		return v->owner->name != NULL ? v->owner->name :
		    v->owner->handle;
	if (strcmp(name, "rule") == 0)
		return v->rule->name;
	if (strcmp(name, "followup") == 0 && v->followup != 0) {
		snprintf(v->buf, sizeof(v->buf), "%lld", (long long)v->followup);
		return v->buf;
	}
	if (strcmp(name, "gesture") == 0 && v->rule->ngestures > 0)
		return v->rule->gestures[(size_t)v->gesture %
		    v->rule->ngestures];
	/* Signed when it is sent, not now: the link's life counts from
	 * its delivery, with the key of that day (daemon/links.c). */
	if (strcmp(name, "link") == 0)
		return LINK_MARKER;
	if (strcmp(name, "account") == 0)
		return v->deal != NULL ? v->deal->account :
		    v->promise != NULL ? v->promise->account : NULL;
	if (strcmp(name, "deal") == 0)
		return v->deal != NULL ? v->deal->title : NULL;
	if (strcmp(name, "deal_value") == 0 && v->deal != NULL &&
	    v->deal->has_value) {
		snprintf(v->buf, sizeof(v->buf), "%lld.%02lld%s%s",
		    (long long)(v->deal->value_minor / 100),
		    (long long)(v->deal->value_minor % 100),
		    v->deal->currency != NULL ? " " : "",
		    v->deal->currency != NULL ? v->deal->currency : "");
		return v->buf;
	}
	if (v->promise == NULL)
		return NULL;
	if (strcmp(name, "promise") == 0)
		return v->promise->text;
	if (strcmp(name, "promise_id") == 0) {
		snprintf(v->buf, sizeof(v->buf), "%lld",
		    (long long)v->promise->id);
		return v->buf;
	}
	if (strcmp(name, "promised_to") == 0)
		return v->promise->promised_to;
	if (strcmp(name, "due") == 0 || strcmp(name, "target") == 0) {
		timeutil_format_iso(strcmp(name, "due") == 0 ?
		    v->promise->due_at : v->promise->target_at, zone, v->buf,
		    sizeof(v->buf));
		/* "2026-12-02T10:00:00+01:00" -> "2026-12-02 10:00" */
		v->buf[10] = ' ';
		v->buf[16] = '\0';
		return v->buf;
	}
	if (strcmp(name, "days_overdue") == 0) {
		snprintf(v->buf, sizeof(v->buf), "%lld",
		    v->now > v->promise->due_at ?
		    (long long)((v->now - v->promise->due_at) / 86400) : 0LL);
		return v->buf;
	}
	return NULL;
}

/*
 * The subject part of an occurrence key.  A renegotiated promise is a new
 * round with its own keys, so its new dates get reminders of their own.
 */
static void
rules_subject(const char *type, const struct promise *p, char *buf,
    size_t len)
{
	if (p != NULL && p->renegotiated > 0)
		snprintf(buf, len, "%s.r%d", type, p->renegotiated);
	else
		snprintf(buf, len, "%s", type);
}

time_t
rules_moment(const struct config_rule *r, const struct timeutil_hours *h,
    time_t base)
{
	time_t t;
	int minute;

	t = timeutil_apply(h, base, &r->offset, r->before ? -1 : +1);
	if (r->at_min >= 0) {
		/* Same local day, at the rule's time of day. */
		minute = timeutil_local_minute(h->zone, t);
		t += (time_t)(r->at_min - minute) * 60;
	}
	return timeutil_next_working(h, t);
}

/* The rule's message for v; with `to` (an escalation), saying whose it
 * is.  Malloc'd, or NULL with *errp. */
static char *
rules_text(struct rules_vars *v, const struct config_person *to, int n,
    char **errp)
{
	char *text, *esc = NULL;

	if ((text = template_render(v->rule->message, rules_lookup, v,
	    errp)) == NULL) {
		err_prefix(errp, "rule '%s'", v->rule->name);
		return NULL;
	}
	if (to == NULL)
		return text;
	if (asprintf(&esc, "Escalated (%s's, reminder %d): %s",
	    v->owner->handle, n + 1, text) < 0) {
		esc = NULL;
		err_set(errp, "out of memory");
	}
	free(text);
	return esc;
}

/*
 * Insert one rule-made follow-up for occurrence n.  With `to` (an
 * escalation) it goes to that person instead of the owner, says whose it
 * is, and has its own occurrence key.
 */
static int
rules_make(struct store *st, struct rules_vars *v, const char *subject,
    int64_t subject_id, int n, time_t base, time_t now,
    const struct config_person *to, int *made, char **errp)
{
	const struct config_person *who = to != NULL ? to : v->owner;
	struct timeutil_hours h;
	struct followup_new f;
	char occurrence[256];
	char *text;
	int64_t id;
	int rc;

	person_hours(who, &h);
	snprintf(occurrence, sizeof(occurrence), "%s:%s:%lld:%d%s",
	    v->rule->name, subject, (long long)subject_id, n,
	    to != NULL ? ":escalated" : "");
	memset(&f, 0, sizeof(f));
	f.due_at = timeutil_apply(&h, base, &v->rule->offset,
	    v->rule->before ? -1 : +1);
	f.remind_at = person_remind_at(who, rules_moment(v->rule, &h, base),
	    now);
	if (v->deal != NULL && v->rule->second_chocolate) {
		int64_t had;

		/* At most one per account per period: a second surprise
		 * soon after the first is no surprise. */
		if (v->rule->has_once_per) {
			if (followup_count_rule_account(st, v->rule->name,
			    v->deal->account_id, timeutil_apply(&h,
			    f.remind_at, &v->rule->once_per, -1), &had,
			    errp) != 0)
				return -1;
			if (had > 0)
				return 0;
		}
		/* Rotate per account: each time something new. */
		if (followup_count_rule_account(st, v->rule->name,
		    v->deal->account_id, 0, &had, errp) != 0)
			return -1;
		v->gesture = had;
	}
	/* The text is written for the moment it is read: "overdue by N
	 * days" counts to the reminder's own moment. */
	v->now = f.remind_at;
	v->followup = 0;
	if ((text = rules_text(v, to, n, errp)) == NULL)
		return -1;
	f.owner = who->handle;
	f.text = text;
	f.rule = v->rule->name;
	f.occurrence = occurrence;
	if (v->deal != NULL) {
		f.deal_id = v->deal->id;
		f.account_id = v->deal->account_id;
	}
	if (v->promise != NULL) {
		f.promise_id = v->promise->id;
		f.account_id = v->promise->account_id;
		f.deal_id = v->promise->deal_id;
	}
	rc = followup_create(st, &f, now, &id, errp);
	free(text);
	/* {{followup}} is the id, known only now: the text again with it. */
	if (rc == 0 && id != 0 && template_uses(v->rule->message,
	    "followup")) {
		v->followup = id;
		if ((text = rules_text(v, to, n, errp)) == NULL)
			return -1;
		rc = followup_set_text(st, id, text, errp);
		free(text);
	}
	if (rc == 0 && id != 0)
		(*made)++;
	return rc;
}

int
rules_expand(struct store *st, const struct config *cfg,
    const struct event *ev, time_t now, int *made, char **errp)
{
	struct deal d;
	struct promise p;
	struct rules_vars v;
	const char *on[3] = { NULL, NULL, NULL };
	time_t base[3] = { 0, 0, 0 };
	char subject[64];
	size_t i, k;
	int rc = 0, is_deal;

	*made = 0;
	memset(&d, 0, sizeof(d));
	memset(&p, 0, sizeof(p));
	is_deal = strcmp(ev->subject_type, "deal") == 0;
	if (!is_deal && strcmp(ev->subject_type, "promise") != 0)
		return 0;
	if (is_deal && deal_get(st, ev->subject_id, &d, errp) != 0)
		return -1;
	if (!is_deal && promise_get(st, ev->subject_id, &p, errp) != 0)
		return -1;

	/* Which rule triggers this event feeds, and from which moment. */
	if (strcmp(ev->kind, "deal.won") == 0 ||
	    strcmp(ev->kind, "deal.lost") == 0) {
		on[0] = ev->kind;
		base[0] = d.closed_at != 0 ? d.closed_at : ev->at;
		/* Closed: the moment just before the transaction is gone. */
		for (i = 0; i < cfg->nrules && rc == 0; i++)
			if (strcmp(cfg->rules[i].on, "deal.closing") == 0)
				rc = followup_cancel_deal_rule(st, d.id,
				    cfg->rules[i].name, now, errp);
		if (rc != 0)
			goto out;
	} else if (strcmp(ev->kind, "deal.created") == 0 && d.closes_at != 0 &&
	    strcmp(d.stage, "open") == 0) {
		on[0] = "deal.closing";
		base[0] = d.closes_at;
	} else if ((strcmp(ev->kind, "promise.created") == 0 ||
	    strcmp(ev->kind, "promise.renegotiated") == 0) &&
	    strcmp(p.state, "open") == 0) {
		on[0] = "promise.target";
		base[0] = p.target_at;
		on[1] = "promise.due";
		base[1] = p.due_at;
		on[2] = "promise.overdue";
		base[2] = p.due_at;
	} else if (strcmp(ev->kind, "promise.kept") == 0) {
		on[0] = "promise.kept";
		base[0] = p.kept_at != 0 ? p.kept_at : ev->at;
	}

	memset(&v, 0, sizeof(v));
	v.cfg = cfg;
	v.deal = is_deal ? &d : NULL;
	v.promise = is_deal ? NULL : &p;
	v.now = now;
	v.owner = config_person(cfg, is_deal ? d.owner : p.owner);
	if (v.owner == NULL)
		goto out;       /* owner left the config: nobody to remind */
	rules_subject(ev->subject_type, v.promise, subject, sizeof(subject));
	for (k = 0; k < 3 && on[k] != NULL && rc == 0; k++) {
		for (i = 0; i < cfg->nrules && rc == 0; i++) {
			if (strcmp(cfg->rules[i].on, on[k]) != 0)
				continue;
			v.rule = &cfg->rules[i];
			rc = rules_make(st, &v, subject, ev->subject_id, 0,
			    base[k], now, NULL, made, errp);
		}
	}
out:
	deal_clear(&d);
	promise_clear(&p);
	return rc;
}

int
rules_repeat(struct store *st, const struct config *cfg,
    const struct followup *f, time_t now, int *made, char **errp)
{
	const struct config_rule *rule = NULL;
	struct promise p;
	struct rules_vars v;
	const char *colon;
	char subject[64], prefix[320];
	size_t i;
	int n, rc = 0;

	*made = 0;
	memset(&p, 0, sizeof(p));
	if (f->rule == NULL || f->promise_id == 0 || f->occurrence == NULL)
		return 0;
	for (i = 0; i < cfg->nrules; i++)
		if (strcmp(cfg->rules[i].name, f->rule) == 0)
			rule = &cfg->rules[i];
	if (rule == NULL || !rule->has_repeat ||
	    strcmp(rule->on, "promise.overdue") != 0)
		goto out;
	/* Only the owner's own reminders repeat; escalations follow them. */
	if ((colon = strrchr(f->occurrence, ':')) == NULL ||
	    strstr(f->occurrence, ":escalated") != NULL)
		goto out;
	n = atoi(colon + 1) + 1;
	if ((rc = promise_get(st, f->promise_id, &p, errp)) != 0)
		goto out;
	if (strcmp(p.state, "open") != 0)
		goto out;
	/* A reminder of an earlier round (before a renegotiation) does not
	 * repeat: the new dates have their own. */
	rules_subject("promise", &p, subject, sizeof(subject));
	snprintf(prefix, sizeof(prefix), "%s:%s:%lld:", rule->name, subject,
	    (long long)p.id);
	if (strncmp(f->occurrence, prefix, strlen(prefix)) != 0)
		goto out;
	memset(&v, 0, sizeof(v));
	v.cfg = cfg;
	v.rule = rule;
	v.promise = &p;
	v.now = now;
	if ((v.owner = config_person(cfg, p.owner)) == NULL)
		goto out;
	{
		/* Occurrence n lands n repeats after the first one. */
		struct timeutil_hours h;
		time_t base = p.due_at;
		int k;

		person_hours(v.owner, &h);
		for (k = 0; k < n; k++)
			base = timeutil_apply(&h, base, &rule->repeat, +1);
		rc = rules_make(st, &v, subject, p.id, n, base, now, NULL,
		    made, errp);
		/* After escalate_after repeats, the named person hears of it
		 * too, at the same moment. */
		if (rc == 0 && rule->escalate_to != NULL &&
		    n >= rule->escalate_after &&
		    config_person(cfg, rule->escalate_to) != NULL)
			rc = rules_make(st, &v, subject, p.id, n, base, now,
			    config_person(cfg, rule->escalate_to), made, errp);
	}
out:
	promise_clear(&p);
	return rc;
}
