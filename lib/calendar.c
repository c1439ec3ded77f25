#include "calendar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libical/ical.h>

#include "calendar_token.h"
#include "config.h"
#include "deal.h"
#include "err.h"
#include "followup.h"
#include "link_key.h"
#include "person.h"
#include "promise.h"
#include "store.h"

/* How often a subscribed calendar app should fetch the feed again. */
#define CALENDAR_REFRESH (15 * 60)

/* What a feed is built in. */
struct cal {
	struct store *st;
	const struct config *cfg;
	const struct config_person *p;
	const char *tzid;       /* the person's zone's name */
	icaltimezone *zone;     /* ... from zoneinfo; NULL: UTC */
	icalcomponent *vcal;
	char *dbid;             /* the database's part of each UID */
	time_t now;
	int oom;                /* libical could not allocate on the way */
};

/* One event of the feed. */
struct cal_event {
	const char *kind;       /* in the UID: followup, promise-target, ... */
	int64_t id;
	time_t at, created, updated;
	int sequence;           /* how often it moved: snoozes, renegotiations */
	const char *summary, *description, *category;
	int alarm;              /* seconds before `at` */
};

/* libical returns NULL when it cannot allocate: the feed is then out of
 * memory as a whole, checked once at its end. */
static void
cal_add(struct cal *c, icalcomponent *comp, icalproperty *prop)
{
	if (prop == NULL)
		c->oom = 1;
	else
		icalcomponent_add_property(comp, prop);
}

static struct icaltimetype
cal_utc(time_t t)
{
	return icaltime_from_timet_with_zone(t, 0,
	    icaltimezone_get_utc_timezone());
}

/* A moment as the person's wall time with TZID (their VTIMEZONE is in the
 * feed), or in UTC for a person in UTC. */
static icalproperty *
cal_time_prop(struct cal *c, icalproperty *(*make)(struct icaltimetype),
    time_t t)
{
	struct icaltimetype v = cal_utc(t);
	icalparameter *tz;
	icalproperty *prop;

	if (c->zone == NULL)
		return make(v);
	v = icaltime_convert_to_zone(v, c->zone);
	/* Written as the wall time beside a TZID naming the zone by its own
	 * name, not libical's prefixed one. */
	v.zone = NULL;
	if ((prop = make(v)) == NULL)
		return NULL;
	if ((tz = icalparameter_new_tzid(c->tzid)) == NULL) {
		icalproperty_free(prop);
		return NULL;
	}
	icalproperty_add_parameter(prop, tz);
	return prop;
}

/* "Fri 2026-11-06 17:00" in the person's zone, for descriptions. */
static void
cal_local(const struct cal *c, time_t t, char *buf, size_t len)
{
	static const char *const wd[] = { "Sun", "Mon", "Tue", "Wed", "Thu",
		"Fri", "Sat" };
	struct icaltimetype v = cal_utc(t);
	int d;

	if (c->zone != NULL)
		v = icaltime_convert_to_zone(v, c->zone);
	d = icaltime_day_of_week(v);
	snprintf(buf, len, "%s %04d-%02d-%02d %02d:%02d",
	    d >= 1 && d <= 7 ? wd[d - 1] : "?", v.year, v.month, v.day,
	    v.hour, v.minute);
}

static icalcomponent *
cal_alarm(struct cal *c, const struct cal_event *e)
{
	icalcomponent *al = icalcomponent_new_valarm();

	if (al == NULL)
		return NULL;
	cal_add(c, al, icalproperty_new_action(ICAL_ACTION_DISPLAY));
	cal_add(c, al, icalproperty_new_description(e->summary));
	cal_add(c, al, icalproperty_new_trigger(
	    icaltriggertype_from_int(-e->alarm)));
	return al;
}

static void
cal_event(struct cal *c, const struct cal_event *e)
{
	icalcomponent *ev, *al;
	char uid[256];

	if ((ev = icalcomponent_new_vevent()) == NULL) {
		c->oom = 1;
		return;
	}
	snprintf(uid, sizeof(uid), "%s-%lld.%s@nudge", e->kind,
	    (long long)e->id, c->dbid);
	cal_add(c, ev, icalproperty_new_uid(uid));
	/* When the record last changed, not when the feed was made: the
	 * same records give the same feed, and an app sees what changed. */
	cal_add(c, ev, icalproperty_new_dtstamp(cal_utc(e->updated != 0 ?
	    e->updated : c->now)));
	cal_add(c, ev, icalproperty_new_created(cal_utc(e->created)));
	cal_add(c, ev, icalproperty_new_lastmodified(cal_utc(e->updated)));
	cal_add(c, ev, icalproperty_new_sequence(e->sequence));
	cal_add(c, ev, cal_time_prop(c, icalproperty_new_dtstart, e->at));
	cal_add(c, ev, icalproperty_new_duration(
	    icaldurationtype_from_int(CALENDAR_EVENT_LENGTH)));
	cal_add(c, ev, icalproperty_new_summary(e->summary));
	cal_add(c, ev, icalproperty_new_description(e->description));
	cal_add(c, ev, icalproperty_new_categories(e->category));
	cal_add(c, ev, icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT));
	if ((al = cal_alarm(c, e)) == NULL)
		c->oom = 1;
	else
		icalcomponent_add_component(ev, al);
	icalcomponent_add_component(c->vcal, ev);
}

/* The text of a description, written with fprintf into a memory stream:
 * NULL when out of memory. */
struct cal_text {
	FILE *f;
	char *buf;
	size_t len;
};

static int
cal_text_open(struct cal_text *t, char **errp)
{
	t->buf = NULL;
	if ((t->f = open_memstream(&t->buf, &t->len)) == NULL)
		return err_set(errp, "out of memory");
	return 0;
}

/* The text written, or NULL (out of memory); caller frees. */
static char *
cal_text_close(struct cal_text *t, char **errp)
{
	int bad = ferror(t->f);

	if (fclose(t->f) != 0 || bad) {
		free(t->buf);
		t->buf = NULL;
		err_set(errp, "out of memory");
	} else if (t->len > 0 && t->buf[t->len - 1] == '\n')
		t->buf[--t->len] = '\0';  /* lines, not a paragraph */
	return t->buf;
}

/* The promise's events: its internal target (while before the date
 * promised) and the date promised. */
static int
cal_promise(struct cal *c, const struct promise *p, char **errp)
{
	struct cal_event e = { "promise-target", p->id, (time_t)p->target_at,
		(time_t)p->created_at, (time_t)p->updated_at, p->renegotiated,
		NULL, NULL, "nudge,promise", CALENDAR_ALARM_TARGET };
	char due[64], *summary = NULL, *desc;
	struct cal_text t;

	cal_local(c, (time_t)p->due_at, due, sizeof(due));
	if (cal_text_open(&t, errp) != 0)
		return -1;
	fprintf(t.f, "Promise %lld to %s: %s\nPromised for %s\n",
	    (long long)p->id, p->account, p->text, due);
	if (p->promised_to != NULL)
		fprintf(t.f, "Promised to %s\n", p->promised_to);
	if (p->deal_id != 0)
		fprintf(t.f, "Deal %lld\n", (long long)p->deal_id);
	fprintf(t.f, "Kept: nudge promise kept %lld\n", (long long)p->id);
	if ((desc = cal_text_close(&t, errp)) == NULL)
		return -1;
	e.description = desc;
	if (p->target_at < p->due_at) {
		if (asprintf(&summary, "Target: %s (%s)", p->text,
		    p->account) < 0)
			goto oom;
		e.summary = summary;
		cal_event(c, &e);
		free(summary);
	}
	if (asprintf(&summary, "Promised: %s (%s)", p->text, p->account) < 0)
		goto oom;
	e.kind = "promise-due";
	e.at = (time_t)p->due_at;
	e.summary = summary;
	e.alarm = CALENDAR_ALARM_DUE;
	cal_event(c, &e);
	free(summary);
	free(desc);
	return 0;
oom:
	free(desc);
	return err_set(errp, "out of memory");
}

/* The rule of a rule-made follow-up, NULL for one made by hand or by a
 * rule since taken out of the configuration. */
static const struct config_rule *
cal_rule(const struct cal *c, const struct followup *f)
{
	size_t i;

	for (i = 0; f->rule != NULL && i < c->cfg->nrules; i++)
		if (strcmp(c->cfg->rules[i].name, f->rule) == 0)
			return &c->cfg->rules[i];
	return NULL;
}

/* The lines of a follow-up's description about its deal and promise. */
static int
cal_followup_context(struct cal *c, const struct followup *f, FILE *out,
    char **errp)
{
	struct promise p;
	struct deal d;
	char due[64];

	if (f->deal_id != 0) {
		if (deal_get(c->st, f->deal_id, &d, errp) != 0)
			return -1;
		fprintf(out, "Deal %lld: %s (%s)\n", (long long)d.id, d.title,
		    d.stage);
		deal_clear(&d);
	}
	if (f->promise_id != 0) {
		if (promise_get(c->st, f->promise_id, &p, errp) != 0)
			return -1;
		cal_local(c, (time_t)p.due_at, due, sizeof(due));
		fprintf(out, "Promise %lld: %s, promised for %s (%s)\n",
		    (long long)p.id, p.text, due, p.state);
		promise_clear(&p);
	}
	return 0;
}

static int
cal_followup(struct cal *c, const struct followup *f, char **errp)
{
	const struct config_rule *r = cal_rule(c, f);
	int choc = r != NULL && r->second_chocolate;
	struct cal_event e = { "followup", f->id, (time_t)f->remind_at,
		(time_t)f->created_at, (time_t)f->updated_at, f->snoozes,
		f->text, NULL, choc ? "nudge,follow-up,second chocolate" :
		"nudge,follow-up", CALENDAR_ALARM_FOLLOWUP };
	char *summary = NULL, *desc;
	struct cal_text t;

	if (cal_text_open(&t, errp) != 0)
		return -1;
	fprintf(t.f, "%s\n", f->text);
	if (f->account != NULL)
		fprintf(t.f, "Account: %s\n", f->account);
	if (cal_followup_context(c, f, t.f, errp) != 0) {
		fclose(t.f);
		free(t.buf);
		return -1;
	}
	if (f->rule != NULL)
		fprintf(t.f, "From the rule %s%s\n", f->rule, choc ?
		    " (the second chocolate)" : "");
	fprintf(t.f, "Done: nudge followup done %lld\nSnooze: nudge followup "
	    "snooze %lld 1d\n", (long long)f->id, (long long)f->id);
	if ((desc = cal_text_close(&t, errp)) == NULL)
		return -1;
	if (choc && asprintf(&summary, "Second chocolate: %s", f->text) < 0) {
		free(desc);
		return err_set(errp, "out of memory");
	}
	e.description = desc;
	if (summary != NULL)
		e.summary = summary;
	cal_event(c, &e);
	free(summary);
	free(desc);
	return 0;
}

/* The person's events: their open promises' and their follow-ups'. */
static int
cal_events(struct cal *c, char **errp)
{
	struct promise_filter pf = { .owner = c->p->handle, .state = "open" };
	struct followup_filter ff = { .owner = c->p->handle };
	struct promise *pv = NULL;
	struct followup *fv = NULL;
	size_t np = 0, nf = 0, i;
	int rc = -1;

	if (promise_list(c->st, &pf, &pv, &np, errp) == 0 &&
	    followup_list(c->st, &ff, &fv, &nf, errp) == 0) {
		rc = 0;
		for (i = 0; i < np && rc == 0; i++)
			rc = cal_promise(c, &pv[i], errp);
		/* Messages nudge writes itself (a digest, the weekly
		 * summary, a test) are about no account, deal or promise:
		 * not events. */
		for (i = 0; i < nf && rc == 0; i++)
			if (fv[i].account_id != 0 || fv[i].deal_id != 0 ||
			    fv[i].promise_id != 0)
				rc = cal_followup(c, &fv[i], errp);
	}
	promise_list_free(pv, np);
	followup_list_free(fv, nf);
	return rc;
}

/* The person's zone from the system's zoneinfo; UTC has no VTIMEZONE. */
static int
cal_zone(struct cal *c, char **errp)
{
	c->tzid = person_zone(c->cfg, c->p->handle);
	c->zone = icaltimezone_get_builtin_timezone(c->tzid);
	if (c->zone == NULL)
		return err_set(errp, "calendar of %s: time zone '%s' is not in "
		    "the system's zoneinfo", c->p->handle, c->tzid);
	if (c->zone == icaltimezone_get_utc_timezone())
		c->zone = NULL;
	return 0;
}

/* A property X-NAME with a text value. */
static void
cal_x(struct cal *c, const char *name, const char *value)
{
	icalproperty *prop = icalproperty_new_x(value);

	if (prop != NULL)
		icalproperty_set_x_name(prop, name);
	cal_add(c, c->vcal, prop);
}

/* The VCALENDAR with its properties and the person's VTIMEZONE. */
static int
cal_head(struct cal *c, char **errp)
{
	icalcomponent *tz;
	icalproperty *prop;
	char name[256];

	if ((c->vcal = icalcomponent_new_vcalendar()) == NULL)
		return err_set(errp, "out of memory");
	cal_add(c, c->vcal, icalproperty_new_prodid("-//nudge//nudge "
	    NUDGE_VERSION "//EN"));
	cal_add(c, c->vcal, icalproperty_new_version("2.0"));
	cal_add(c, c->vcal, icalproperty_new_calscale("GREGORIAN"));
	snprintf(name, sizeof(name), "nudge: %s", c->p->name != NULL ?
	    c->p->name : c->p->handle);
	cal_add(c, c->vcal, icalproperty_new_name(name));
	cal_x(c, "X-WR-CALNAME", name);
	cal_x(c, "X-WR-TIMEZONE", c->tzid);
	cal_add(c, c->vcal, icalproperty_new_refreshinterval(
	    icaldurationtype_from_int(CALENDAR_REFRESH)));
	cal_x(c, "X-PUBLISHED-TTL", "PT15M");
	if (c->zone == NULL)
		return 0;
	tz = icalcomponent_new_clone(icaltimezone_get_component(c->zone));
	if (tz == NULL)
		return err_set(errp, "out of memory");
	/* libical names the zones it loads "/freeassociation.sourceforge.net/
	 * Europe/Stockholm"; the events say "Europe/Stockholm", which apps
	 * also know without the VTIMEZONE. */
	if ((prop = icalcomponent_get_first_property(tz,
	    ICAL_TZID_PROPERTY)) != NULL)
		icalproperty_set_tzid(prop, c->tzid);
	icalcomponent_add_component(c->vcal, tz);
	return 0;
}

int
calendar_feed(struct store *st, const struct config *cfg,
    const struct config_person *p, time_t now, char **ics, char **errp)
{
	struct cal c;
	int rc = -1;

	*ics = NULL;
	memset(&c, 0, sizeof(c));
	c.st = st;
	c.cfg = cfg;
	c.p = p;
	c.now = now;
	/* The database's identity (migration 0010) names its feeds' UIDs,
	 * so two installs never make the same UID. */
	if (cal_zone(&c, errp) != 0 ||
	    (c.dbid = link_db_identity(st, errp)) == NULL)
		return -1;
	if (cal_head(&c, errp) == 0 && cal_events(&c, errp) == 0) {
		if (!c.oom)
			*ics = icalcomponent_as_ical_string_r(c.vcal);
		rc = *ics != NULL ? 0 : err_set(errp, "out of memory");
	}
	if (c.vcal != NULL)
		icalcomponent_free(c.vcal);
	free(c.dbid);
	return rc;
}

int
calendar_feed_for_token(struct store *st, const struct config *cfg,
    const char *token, time_t now, char **ics, char **errp)
{
	const struct config_person *p;
	char hash[CALENDAR_TOKEN_LEN + 1], *owner = NULL;
	int rc;

	*ics = NULL;
	/* Only a well-formed token is looked up: a guess costs no query. */
	if (token == NULL || !calendar_token_shape(token))
		return 1;
	if (calendar_token_hash(token, hash, errp) != 0)
		return -1;
	if ((rc = calendar_token_owner(st, hash, &owner, errp)) <= 0)
		return rc < 0 ? -1 : 1;
	p = config_person(cfg, owner);
	free(owner);
	if (p == NULL)
		return 1;
	return calendar_feed(st, cfg, p, now, ics, errp) == 0 ? 0 : -1;
}

int
calendar_url(const struct config *cfg, const char *token, char **url,
    char **errp)
{
	/* The base people reach nudged's listener by (http.public_url);
	 * without the http group, the path for a proxy of one's own. */
	const char *base = cfg->http.enabled && cfg->http.public_url != NULL ?
	    cfg->http.public_url : "";

	if (asprintf(url, "%s/cal/%s.ics", base, token) < 0) {
		*url = NULL;
		return err_set(errp, "out of memory");
	}
	return 0;
}
