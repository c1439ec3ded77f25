/*
 * The calendar feeds (lib/calendar.c, lib/calendar_token.c, the
 * calendar use-cases): a fixture database with a promise, a follow-up
 * made by hand and one made by the second-chocolate rule, rendered and
 * parsed back with libical.  The events, their times in the person's
 * zone, their alarms, UIDs that stay the same from one render to the
 * next, text that survives its escaping; the secret address made, shown
 * once, replaced and revoked, and never stored as it is.
 *
 * 2026-11-02 is a Monday; anna works 08-17 in Stockholm (UTC+1 in
 * November), bo in New York, carl in UTC.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <libical/ical.h>

#include "unit_db.h"
#include "unit_uc.h"

#include "calendar.h"
#include "calendar_token.h"
#include "link_key.h"
#include "usecase.h"

#define S(y, mo, d, h, mi) udb_local(SE, y, mo, d, h, mi)

static const char cal_conf[] =
    "timezone = \"Europe/Stockholm\";\n"
    "channels = ( { name = \"log\"; type = \"log\"; } );\n"
    "people = (\n"
    "  { handle = \"anna\"; name = \"Anna Berg\";\n"
    "    timezone = \"Europe/Stockholm\"; hours = \"08:00-17:00\"; },\n"
    "  { handle = \"bo\"; timezone = \"America/New_York\";\n"
    "    hours = \"08:00-17:00\"; },\n"
    "  { handle = \"carl\"; timezone = \"UTC\"; hours = \"08:00-17:00\"; }\n"
    ");\n"
    "rules = (\n"
    "  { name = \"second-chocolate\"; on = \"deal.won\"; after = \"3bd\";\n"
    "    second_chocolate = true;\n"
    "    message = \"Come back to {{account}} with more\"; }\n"
    ");\n";

struct fx {
	struct udb *u;
	struct uc_ctx ctx;
	struct promise promise;
	int64_t followup, choc;
	char *dbid;             /* the database's identity, in each UID */
};

static void
fx_promise(struct fx *f, const char *owner)
{
	struct uc_promise_add req = { "Send the offer; prices, terms", owner,
		"Acme, Inc", 0, "2026-11-06 17:00", "Bo", 0, 0 };
	struct uc_promise_added out;
	char *err = NULL;

	if (uc_promise_add(&f->ctx, &req, &out, &err) != UC_OK)
		fail_msg("uc_promise_add: %s", err);
	f->promise = out.promise;
	memset(&out.promise, 0, sizeof(out.promise));
	uc_promise_added_clear(&out);
}

/* A won deal's second chocolate, as the rules make it, and a message
 * nudge writes itself (a test reminder), which is not an event. */
static void
fx_rule_followups(struct fx *f)
{
	struct uc_deal_add req = { "Roof", "Acme, Inc", "anna", NULL, NULL,
		NULL };
	const struct config_person *p;
	struct followup_new n;
	struct deal d;
	int64_t id;

	OK(uc_deal_add(&f->ctx, &req, &d, &err) != UC_OK);
	memset(&n, 0, sizeof(n));
	n.owner = "anna";
	n.text = "Come back to Acme, Inc with more";
	n.account_id = d.account_id;
	n.deal_id = d.id;
	n.due_at = n.remind_at = S(2026, 11, 5, 10, 0);
	n.rule = "second-chocolate";
	n.occurrence = "second-chocolate:deal:1:0";
	OK(store_begin(f->u->st, &err));
	OK(followup_create(f->u->st, &n, f->ctx.now, &f->choc, &err));
	OK(store_commit(f->u->st, &err));
	deal_clear(&d);
	OK(uc_notify_test(&f->ctx, "anna", &p, &id, &err) != UC_OK);
}

static int
setup(void **state)
{
	struct uc_followup_add fa = { "Call Bo, ask: \"which roof?\"; "
		"see C:\\offers", "anna", "Acme, Inc", 0, "2026-11-03 10:00",
		NULL, 0 };
	struct fx *f = calloc(1, sizeof(*f));
	struct followup fu;

	if (f == NULL || (f->u = udb_open("calendar", cal_conf)) == NULL) {
		free(f);
		return -1;
	}
	f->ctx = udb_ctx(f->u, S(2026, 11, 2, 9, 0));
	fx_promise(f, "anna");
	OK(uc_followup_add(&f->ctx, &fa, &fu, &err) != UC_OK);
	f->followup = fu.id;
	followup_clear(&fu);
	fx_rule_followups(f);
	OK((f->dbid = link_db_identity(f->u->st, &err)) == NULL);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	promise_clear(&f->promise);
	free(f->dbid);
	udb_close(f->u);
	free(f);
	return 0;
}

static char *
feed(struct fx *f, const char *who, time_t now)
{
	const struct config_person *p = config_person(f->u->cfg, who);
	char *ics = NULL;

	assert_non_null(p);
	OK(calendar_feed(f->u->st, f->u->cfg, p, now, &ics, &err));
	return ics;
}

/* The UID of a record's event: its kind and id, and the database's
 * identity (migration 0010). */
static void
uid_of(const struct fx *f, const char *kind, int64_t id, char *buf,
    size_t len)
{
	snprintf(buf, len, "%s-%lld.%s@nudge", kind, (long long)id, f->dbid);
}

/* The feed parsed back by libical; every line was understood. */
static icalcomponent *
parse(const char *ics)
{
	icalcomponent *c = icalparser_parse_string(ics);

	assert_non_null(c);
	assert_int_equal(icalcomponent_isa(c), ICAL_VCALENDAR_COMPONENT);
	assert_int_equal(icalcomponent_count_errors(c), 0);
	return c;
}

static icalcomponent *
event(icalcomponent *cal, const char *uid)
{
	icalcomponent *e;

	for (e = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	    e != NULL; e = icalcomponent_get_next_component(cal,
	    ICAL_VEVENT_COMPONENT))
		if (strcmp(icalcomponent_get_uid(e), uid) == 0)
			return e;
	fail_msg("no event %s", uid);
	return NULL;
}

/* The event's start as a moment, read through the feed's VTIMEZONE. */
static time_t
start(icalcomponent *cal, icalcomponent *ev)
{
	icalproperty *prop = icalcomponent_get_first_property(ev,
	    ICAL_DTSTART_PROPERTY);
	icalparameter *tzp = icalproperty_get_first_parameter(prop,
	    ICAL_TZID_PARAMETER);
	struct icaltimetype t = icalproperty_get_dtstart(prop);
	icaltimezone *z;

	if (tzp == NULL)
		return icaltime_as_timet_with_zone(t,
		    icaltimezone_get_utc_timezone());
	z = icalcomponent_get_timezone(cal, icalparameter_get_tzid(tzp));
	assert_non_null(z);
	return icaltime_as_timet_with_zone(t, z);
}

static int
alarm_before(icalcomponent *ev)
{
	icalcomponent *al = icalcomponent_get_first_component(ev,
	    ICAL_VALARM_COMPONENT);
	icalproperty *action, *trigger;

	assert_non_null(al);
	action = icalcomponent_get_first_property(al, ICAL_ACTION_PROPERTY);
	assert_int_equal(icalproperty_get_action(action), ICAL_ACTION_DISPLAY);
	assert_non_null(icalcomponent_get_first_property(al,
	    ICAL_DESCRIPTION_PROPERTY));
	trigger = icalcomponent_get_first_property(al, ICAL_TRIGGER_PROPERTY);
	return -icaldurationtype_as_int(icalproperty_get_trigger(
	    trigger).duration);
}

static void
test_events_at_their_moments(void **state)
{
	struct fx *f = *state;
	char *ics = feed(f, "anna", f->ctx.now), uid[96];
	icalcomponent *cal = parse(ics), *ev;
	const struct {
		const char *kind;
		int64_t id;
		time_t start;
		int alarm;
		const char *summary, *description;      /* NULL: not checked */
	} rows[] = {
		{ "promise-target", f->promise.id, f->promise.target_at,
		    CALENDAR_ALARM_TARGET, NULL, NULL },
		{ "promise-due", f->promise.id, S(2026, 11, 6, 17, 0),
		    CALENDAR_ALARM_DUE,
		    "Promised: Send the offer; prices, terms (Acme, Inc)",
		    "Promised to Bo" },
		/* Quotes, commas, semicolons and backslashes come back as
		 * typed. */
		{ "followup", f->followup, S(2026, 11, 3, 10, 0),
		    CALENDAR_ALARM_FOLLOWUP,
		    "Call Bo, ask: \"which roof?\"; see C:\\offers",
		    "Account: Acme, Inc" },
	};
	size_t i;

	assert_int_equal(icalcomponent_count_components(cal,
	    ICAL_VEVENT_COMPONENT), 4);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		uid_of(f, rows[i].kind, rows[i].id, uid, sizeof(uid));
		ev = event(cal, uid);
		assert_int_equal(start(cal, ev), rows[i].start);
		assert_int_equal(alarm_before(ev), rows[i].alarm);
		if (rows[i].summary == NULL)
			continue;
		assert_string_equal(icalcomponent_get_summary(ev),
		    rows[i].summary);
		assert_non_null(strstr(icalcomponent_get_description(ev),
		    rows[i].description));
	}
	/* The wall time in the person's zone, named as zoneinfo names it. */
	assert_non_null(strstr(ics,
	    "DTSTART;TZID=Europe/Stockholm:20261106T170000\r\n"));
	icalcomponent_free(cal);
	free(ics);
}

static void
test_second_chocolate_named(void **state)
{
	struct fx *f = *state;
	char *ics = feed(f, "anna", f->ctx.now), uid[96];
	icalcomponent *cal = parse(ics), *ev;
	icalproperty *cat;
	int seen = 0;

	uid_of(f, "followup", f->choc, uid, sizeof(uid));
	ev = event(cal, uid);
	assert_string_equal(icalcomponent_get_summary(ev),
	    "Second chocolate: Come back to Acme, Inc with more");
	assert_non_null(strstr(icalcomponent_get_description(ev),
	    "Deal 1: Roof (open)"));
	assert_int_equal(start(cal, ev), S(2026, 11, 5, 10, 0));
	for (cat = icalcomponent_get_first_property(ev,
	    ICAL_CATEGORIES_PROPERTY); cat != NULL;
	    cat = icalcomponent_get_next_property(ev,
	    ICAL_CATEGORIES_PROPERTY))
		seen |= strstr(icalproperty_get_categories(cat),
		    "second chocolate") != NULL;
	assert_true(seen);
	/* The test reminder nudge wrote itself is no event. */
	assert_null(strstr(ics, "SUMMARY:nudge test"));
	icalcomponent_free(cal);
	free(ics);
}

/* The same records give the same feed, whenever it is rendered: same
 * UIDs, and DTSTAMP is when each record last changed. */
static void
test_uids_stable(void **state)
{
	struct fx *f = *state;
	char *a = feed(f, "anna", f->ctx.now);
	char *b = feed(f, "anna", f->ctx.now + 86400);
	icalcomponent *cal = parse(a), *e, *g;
	char part[64];

	assert_string_equal(a, b);
	/* Another install's feed of the same records has other UIDs. */
	assert_int_equal(strlen(f->dbid), 32);
	snprintf(part, sizeof(part), ".%s@nudge", f->dbid);
	for (e = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	    e != NULL; e = icalcomponent_get_next_component(cal,
	    ICAL_VEVENT_COMPONENT)) {
		assert_non_null(strstr(icalcomponent_get_uid(e), part));
		for (g = icalcomponent_get_first_component(cal,
		    ICAL_VEVENT_COMPONENT); g != e;
		    g = icalcomponent_get_next_component(cal,
		    ICAL_VEVENT_COMPONENT))
			assert_string_not_equal(icalcomponent_get_uid(e),
			    icalcomponent_get_uid(g));
	}
	icalcomponent_free(cal);
	free(a);
	free(b);
}

/* Each person's own zone, as a VTIMEZONE that works out the offsets;
 * a person in UTC gets UTC times and no VTIMEZONE. */
static void
test_zone(void **state)
{
	struct fx *f = *state;
	char *ics, uid[96];
	icalcomponent *cal, *tz;
	icaltimezone *z;

	promise_clear(&f->promise);
	fx_promise(f, "bo");
	ics = feed(f, "bo", f->ctx.now);
	cal = parse(ics);
	tz = icalcomponent_get_first_component(cal, ICAL_VTIMEZONE_COMPONENT);
	assert_non_null(tz);
	assert_string_equal(icalproperty_get_tzid(
	    icalcomponent_get_first_property(tz, ICAL_TZID_PROPERTY)),
	    "America/New_York");
	z = icalcomponent_get_timezone(cal, "America/New_York");
	assert_non_null(z);
	uid_of(f, "promise-due", f->promise.id, uid, sizeof(uid));
	/* 17:00 in New York on 6 November (EST, UTC-5) is 22:00 UTC. */
	assert_int_equal(start(cal, event(cal, uid)),
	    udb_local("America/New_York", 2026, 11, 6, 17, 0));
	assert_non_null(strstr(ics,
	    "DTSTART;TZID=America/New_York:20261106T170000\r\n"));
	icalcomponent_free(cal);
	free(ics);
	promise_clear(&f->promise);
	fx_promise(f, "carl");
	ics = feed(f, "carl", f->ctx.now);
	assert_null(strstr(ics, "BEGIN:VTIMEZONE"));
	assert_non_null(strstr(ics, "DTSTART:20261106T170000Z\r\n"));
	free(ics);
}

/* The address: made, shown once, served, replaced, revoked; only its
 * hash is in the database. */
static void
test_token(void **state)
{
	struct fx *f = *state;
	struct uc_calendar_url u, v;
	char *a = feed(f, "anna", f->ctx.now), *ics = NULL, *err = NULL;
	char hash[CALENDAR_TOKEN_LEN + 1], path[128];
	int64_t events = udb_count(f->u->st, "events"), revoked;

	assert_int_equal(uc_calendar_url(&f->ctx, "anna", 0, &u, &err), UC_OK);
	assert_true(calendar_token_shape(u.token));
	snprintf(path, sizeof(path), "/cal/%s.ics", u.token);
	assert_string_equal(u.url, path);
	assert_int_equal(calendar_feed_for_token(f->u->st, f->u->cfg, u.token,
	    f->ctx.now, &ics, &err), 0);
	assert_string_equal(ics, a);
	free(ics);
	assert_int_equal(calendar_token_hash(u.token, hash, &err), 0);
	assert_int_equal(udb_int(f->u->st, "SELECT count(*) FROM "
	    "calendar_tokens WHERE token_hash = ?1", hash), 1);
	assert_int_equal(udb_int(f->u->st, "SELECT count(*) FROM "
	    "calendar_tokens WHERE token_hash = ?1", u.token), 0);
	/* Shown once: asked again, refused, nothing written. */
	assert_int_equal(uc_calendar_url(&f->ctx, "anna", 0, &v, &err),
	    UC_REFUSED);
	assert_non_null(strstr(err, "--new"));
	free(err);
	err = NULL;
	uc_calendar_url_clear(&v);
	assert_int_equal(udb_count(f->u->st, "events"), events + 1);
	/* --new: the new address works, the old one no longer. */
	assert_int_equal(uc_calendar_url(&f->ctx, "anna", 1, &v, &err), UC_OK);
	assert_int_not_equal(v.replaced, 0);
	assert_int_equal(calendar_feed_for_token(f->u->st, f->u->cfg, u.token,
	    f->ctx.now, &ics, &err), 1);
	assert_null(ics);
	assert_int_equal(calendar_feed_for_token(f->u->st, f->u->cfg, v.token,
	    f->ctx.now, &ics, &err), 0);
	free(ics);
	assert_int_equal(uc_calendar_revoke(&f->ctx, "anna", &revoked, &err),
	    UC_OK);
	assert_int_not_equal(revoked, 0);
	assert_int_equal(calendar_feed_for_token(f->u->st, f->u->cfg, v.token,
	    f->ctx.now, &ics, &err), 1);
	assert_int_equal(uc_calendar_revoke(&f->ctx, "anna", &revoked, &err),
	    UC_OK);
	assert_int_equal(revoked, 0);
	/* Anything not shaped like a token is not looked up. */
	assert_int_equal(calendar_feed_for_token(f->u->st, f->u->cfg,
	    "../etc", f->ctx.now, &ics, &err), 1);
	assert_int_equal(calendar_feed_for_token(f->u->st, f->u->cfg, NULL,
	    f->ctx.now, &ics, &err), 1);
	uc_calendar_url_clear(&u);
	uc_calendar_url_clear(&v);
	assert_int_equal(uc_calendar_url(&f->ctx, "nobody", 0, &v, &err),
	    UC_REFUSED);
	free(err);
	uc_calendar_url_clear(&v);
	free(a);
}

/* Every test on a fixture of its own. */
#define TEST(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_events_at_their_moments),
		TEST(test_second_chocolate_named),
		TEST(test_uids_stable),
		TEST(test_zone),
		TEST(test_token),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
