#include "check.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "err.h"
#include "person.h"
#include "promise.h"
#include "store.h"
#include "timeutil.h"

/* A byte that belongs to a word: ASCII alphanumerics and any byte of a
 * multi-byte UTF-8 sequence (å, ä, ö ... are letters). */
static int
check_wordbyte(unsigned char c)
{
	return isalnum(c) || c >= 0x80;
}

/*
 * Byte idx of s folded to lower case: ASCII, and the Latin-1 capitals
 * (U+00C0..U+00DE but for the multiplication sign) that UTF-8 writes as
 * C3 80..9E, so "BÄSTA KÖP" matches "bästa köp".  Both strings are valid
 * UTF-8 (text_check), so a C3 before idx is its lead byte.
 */
static unsigned
check_fold(const char *s, size_t idx)
{
	unsigned c = (unsigned char)s[idx];

	if (c < 0x80)
		return (unsigned)tolower((int)c);
	if (idx > 0 && (unsigned char)s[idx - 1] == 0xC3 && c >= 0x80 &&
	    c <= 0x9E && c != 0x97)
		return c + 0x20;
	return c;
}

int
check_phrase_match(const char *text, const char *phrase)
{
	size_t tl = strlen(text), pl = strlen(phrase), i, k;

	if (pl == 0 || pl > tl)
		return 0;
	for (i = 0; i + pl <= tl; i++) {
		if (i > 0 && check_wordbyte((unsigned char)text[i - 1]) &&
		    check_wordbyte((unsigned char)phrase[0]))
			continue;
		for (k = 0; k < pl; k++)
			if (check_fold(text, i + k) != check_fold(phrase, k))
				break;
		if (k < pl)
			continue;
		if (i + pl < tl &&
		    check_wordbyte((unsigned char)text[i + pl]) &&
		    check_wordbyte((unsigned char)phrase[pl - 1]))
			continue;
		return 1;
	}
	return 0;
}

/* 0, or -1 when the warning could not be made (out of memory). */
static int
check_add(json_t *arr, const char *kind, const char *reason)
{
	return json_array_append_new(arr, json_pack("{s:s, s:s}", "kind",
	    kind, "reason", reason));
}

/* Capacity: open promises due in the same local week (Mon-Sun) as due,
 * this one counted, against the owner's capacity. */
static int
check_capacity(struct store *st, const struct config_person *p, time_t due,
    json_t *arr, int *lost, char **errp)
{
	char reason[512];
	time_t week_start, week_end;
	int64_t open;
	int32_t day;

	/* Monday 00:00 to the next Monday 00:00, local; built from the
	 * civil day so a due time with seconds changes nothing. */
	day = timeutil_local_day(p->timezone, due) -
	    timeutil_local_weekday(p->timezone, due);
	if (timeutil_make_local(p->timezone, 1970, 1, 1 + day, 0, 0, 0,
	    &week_start) != 0 || timeutil_make_local(p->timezone, 1970, 1,
	    8 + day, 0, 0, 0, &week_end) != 0)
		return err_set(errp, "cannot place the week of the due date "
		    "in zone %s", p->timezone);
	if (promise_count_open(st, p->handle, week_start, week_end, &open,
	    errp) != 0)
		return -1;
	if (open + 1 > p->capacity) {
		snprintf(reason, sizeof(reason), "%s would have %lld open "
		    "promises due that week; capacity is %d", p->handle,
		    (long long)(open + 1), p->capacity);
		*lost |= check_add(arr, "capacity", reason);
	}
	return 0;
}

int
check_promise(struct store *st, const struct config *cfg,
    const struct config_person *p, const char *text, time_t made, time_t due,
    json_t **warnings, char **errp)
{
	struct timeutil_hours h;
	json_t *arr;
	char reason[512], dur[64];
	int64_t working, min_slack;
	size_t i;
	int lost = 0;

	if ((arr = json_array()) == NULL)
		return err_set(errp, "out of memory");
	person_hours(p, &h);

	for (i = 0; i < cfg->promises.nphrases; i++) {
		if (!check_phrase_match(text, cfg->promises.phrases[i]))
			continue;
		snprintf(reason, sizeof(reason), "\"%s\" sets an expectation "
		    "you may not meet: promise what you can beat",
		    cfg->promises.phrases[i]);
		lost |= check_add(arr, "phrase", reason);
	}

	if (p->capacity > 0 && check_capacity(st, p, due, arr, &lost,
	    errp) != 0) {
		json_decref(arr);
		return -1;
	}

	/* Too tight: less working time before the due moment than the
	 * minimum slack, so there is no room to deliver early. */
	working = timeutil_working_seconds(&h, made, due);
	min_slack = cfg->promises.min_slack.seconds +
	    (int64_t)cfg->promises.min_slack.days * 86400 +
	    (int64_t)cfg->promises.min_slack.business_days *
	    (p->hours_end - p->hours_start) * 60;
	if (working < min_slack) {
		timeutil_format_duration(&cfg->promises.min_slack, dur,
		    sizeof(dur));
		snprintf(reason, sizeof(reason), "only %lldh%02lldm of %s's "
		    "working time before it is due; the minimum slack is %s",
		    (long long)(working / 3600),
		    (long long)(working % 3600 / 60), p->handle, dur);
		lost |= check_add(arr, "tight", reason);
	}
	if (!timeutil_is_working(&h, due) &&
	    !(timeutil_local_minute(p->timezone, due) == p->hours_end % 1440 &&
	    timeutil_is_working(&h, due - 60))) {
		snprintf(reason, sizeof(reason), "it is due outside %s's "
		    "working hours", p->handle);
		lost |= check_add(arr, "outside_hours", reason);
	}
	if (lost) {
		json_decref(arr);
		return err_set(errp, "out of memory");
	}
	*warnings = arr;
	return 0;
}
