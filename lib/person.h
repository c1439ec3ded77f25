/* A configured person's working time, as the time arithmetic wants it. */
#ifndef NUDGE_PERSON_H
#define NUDGE_PERSON_H

#include "timeutil.h"
#include "words.h"

struct config;
struct config_person;

/* The zone of owner's records: theirs, or the team's when they are no
 * longer in the configuration. */
const char *person_zone(const struct config *cfg, const char *owner);
/* The language owner's texts are written in: theirs, or fallback when
 * they are no longer in the configuration. */
enum lang person_lang(const struct config *cfg, const char *owner,
    enum lang fallback);
/* The person for handle, or NULL with "unknown owner 'x' (people in
 * FILE: a, b)" in *errp. */
const struct config_person *person_find(const struct config *cfg,
    const char *handle, char **errp);
/*
 * Parse WHEN as p types it: in p's zone and working hours (the team's
 * zone and no hours without a person); default_min is the time of day
 * of a bare date.  The message names the option: "--due: ...".
 */
int person_parse_when(const struct config *cfg, const struct config_person *p,
    const char *s, time_t now, int default_min, const char *what,
    time_t *out, char **errp);

/* Fill h from p; h borrows p's strings and holiday list. */
void person_hours(const struct config_person *p, struct timeutil_hours *h);
/* The minute of day used when someone gives only a date: the end of the
 * working day for deadlines ("by Friday"), the start for reminders. */
int person_day_end(const struct config_person *p);
int person_day_start(const struct config_person *p);
/*
 * When to remind p of something due at `due`: the first moment inside
 * their working time.  For a person with a digest, the digest moment of
 * that working day (or of the next one, if that day's digest has gone out
 * by `now`): the scheduler folds everything sharing it into one message.
 */
time_t person_remind_at(const struct config_person *p, time_t due,
    time_t now);

#endif
