/*
 * A person's calendar feed (iCalendar, RFC 5545, built with libical):
 * their open promises at the internal target and at the date promised,
 * and their follow-ups still to do (the rules' ones, the second
 * chocolate's among them, say so), each with an alarm, in the person's
 * time zone (its VTIMEZONE from the system's zoneinfo).  UIDs are made
 * of the record and the database, so a calendar app that subscribes
 * updates an event rather than adding another; an event's DTSTAMP is
 * when its record last changed, so a feed rendered twice is the same.
 *
 * Thread: libical keeps the zones it has loaded in one process-wide
 * cache; nudge's own time functions (which change TZ) are not used here.
 */
#ifndef NUDGE_CALENDAR_H
#define NUDGE_CALENDAR_H

#include <time.h>

struct config;
struct config_person;
struct store;

/* Alarms, seconds before the event: a follow-up, a promise's internal
 * target, the date promised. */
#define CALENDAR_ALARM_FOLLOWUP (15 * 60)
#define CALENDAR_ALARM_TARGET (60 * 60)
#define CALENDAR_ALARM_DUE (24 * 60 * 60)
/* How long each event lasts in the calendar. */
#define CALENDAR_EVENT_LENGTH (15 * 60)

/* The feed of person p as iCalendar text into *ics (caller frees). */
int calendar_feed(struct store *st, const struct config *cfg,
    const struct config_person *p, time_t now, char **ics, char **errp);

/*
 * The feed a secret address asks for (the HTTP listener's call): 0 with
 * *ics (caller frees); 1 when the token is unknown, revoked, malformed or
 * its person is no longer in the configuration (*ics NULL, no message:
 * the listener says 404 and nothing else); -1 on error (*errp).
 */
int calendar_feed_for_token(struct store *st, const struct config *cfg,
    const char *token, time_t now, char **ics, char **errp);

/* The address of token's feed into *url (caller frees), or -1 when out
 * of memory. */
int calendar_url(const struct config *cfg, const char *token, char **url,
    char **errp);

#endif
