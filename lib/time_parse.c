#include "time_parse.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "err.h"
#include "notice.h"
#include "time_format.h"
#include "time_internal.h"

#define TU_INPUT_MAX 128 /* longest text the parsers look at */

static const char TU_DUR_HELP[] =
    "use whole numbers with the units s, m, h, d, w, bd "
    "(e.g. 30m, 1h30m, 3d, 1w, 2bd, \"3 business days\")";
static const char TU_WHEN_HELP[] =
    "accepted: now, today, tomorrow, a weekday (fri, friday), HH:MM, "
    "combinations such as \"fri 17:00\" or \"tomorrow 9:30\", a date "
    "2026-12-01, a date and time 2026-12-01T09:30 or \"2026-12-01 09:30\" "
    "(optional :SS and Z or +01:00), or relative +3d, +2h, +3bd, "
    "\"in 3 days\", \"in 2 hours\", \"in 3 business days\"";

static const char *const tu_day_names[7] = { "monday", "tuesday",
	"wednesday", "thursday", "friday", "saturday", "sunday" };

static int
tu_isspace(int c)
{
	return isspace((unsigned char)c);
}

/* Two digits at s -> 0..99, or -1.  Keeps the fixed-width scanners short. */
static int
tu_2digits(const char *s)
{
	if (!tu_isdigit(s[0]) || !tu_isdigit(s[1]))
		return -1;
	return (s[0] - '0') * 10 + (s[1] - '0');
}

/*
 * Copy s without surrounding whitespace, lower-cased, into buf, so every
 * parser can compare plain lower-case ASCII; -1 if it does not fit.
 */
static int
tu_trim_lower(const char *s, char *buf, size_t len)
{
	size_t n, i;

	while (tu_isspace(*s))
		s++;
	n = strlen(s);
	while (n > 0 && tu_isspace(s[n - 1]))
		n--;
	if (n >= len)
		return -1;
	for (i = 0; i < n; i++)
		buf[i] = (char)tolower((unsigned char)s[i]);
	buf[n] = '\0';
	return 0;
}

/* A parser's input: *s, "" when NULL (so messages can quote it), trimmed
 * and lowered into buf as tu_trim_lower() does. */
static int
tu_input(const char **s, char *buf, size_t len)
{
	if (*s == NULL)
		*s = "";
	return tu_trim_lower(*s, buf, len);
}

enum { TU_U_S, TU_U_M, TU_U_H, TU_U_D, TU_U_W, TU_U_BD };

static const struct {
	const char *name;
	int unit;
} tu_units[] = {
	{ "s", TU_U_S }, { "sec", TU_U_S }, { "secs", TU_U_S },
	{ "second", TU_U_S }, { "seconds", TU_U_S },
	{ "m", TU_U_M }, { "min", TU_U_M }, { "mins", TU_U_M },
	{ "minute", TU_U_M }, { "minutes", TU_U_M },
	{ "h", TU_U_H }, { "hr", TU_U_H }, { "hrs", TU_U_H },
	{ "hour", TU_U_H }, { "hours", TU_U_H },
	{ "d", TU_U_D }, { "day", TU_U_D }, { "days", TU_U_D },
	{ "w", TU_U_W }, { "wk", TU_U_W }, { "wks", TU_U_W },
	{ "week", TU_U_W }, { "weeks", TU_U_W },
	{ "bd", TU_U_BD }, { "bday", TU_U_BD }, { "bdays", TU_U_BD },
	{ "workday", TU_U_BD }, { "workdays", TU_U_BD },
};
static const int64_t tu_unit_mult[] = { 1, 60, 3600, 1, 7, 1 };
static const int64_t tu_unit_max[] = { TU_MAX_SECONDS, TU_MAX_SECONDS / 60,
	TU_MAX_SECONDS / 3600, TIMEUTIL_MAX_DAYS, TIMEUTIL_MAX_DAYS / 7,
	TU_MAX_BDAYS };

static const char *
tu_skip_space(const char *p)
{
	while (tu_isspace(*p))
		p++;
	return p;
}

/* Does the word [w, w+n) equal lit (lit lower-case)? */
static int
tu_word_is(const char *w, size_t n, const char *lit)
{
	return strlen(lit) == n && strncasecmp(w, lit, n) == 0;
}

/* Reads a unit word at *pp ("h", "hours", "business days"...). */
static int
tu_scan_unit(const char **pp)
{
	const char *p = *pp, *w = p;
	size_t n, i;

	while (tu_isalpha(*p))
		p++;
	n = (size_t)(p - w);
	if (tu_word_is(w, n, "business") || tu_word_is(w, n, "working")) {
		if (*p == '-')
			p++;
		else
			p = tu_skip_space(p);
		w = p;
		while (tu_isalpha(*p))
			p++;
		n = (size_t)(p - w);
		if (!tu_word_is(w, n, "day") && !tu_word_is(w, n, "days"))
			return -1;
		*pp = p;
		return TU_U_BD;
	}
	for (i = 0; i < sizeof(tu_units) / sizeof(tu_units[0]); i++)
		if (tu_word_is(w, n, tu_units[i].name)) {
			*pp = p;
			return tu_units[i].unit;
		}
	return -1;
}

/*
 * The duration grammar: NUMBER [space] UNIT, repeated, optionally separated
 * by "," or "and".  Returns NULL or the reason the text is refused.
 */
static const char *
tu_scan_duration(const char *s, int allow_zero, struct timeutil_duration *out)
{
	const char *p = tu_skip_space(s);
	int64_t n, secs = 0, days = 0, bdays = 0;
	unsigned seen = 0;
	int unit, sep;

	memset(out, 0, sizeof(*out));
	if (*p == '\0')
		return "it is empty";
	for (;;) {
		if (*p == '-' && seen == 0)
			return "negative durations are not allowed";
		if (!tu_isdigit(*p))
			return "expected a number";
		for (n = 0; tu_isdigit(*p); p++) {
			if (n > tu_unit_max[TU_U_S])
				return "the number is too large (the limit is "
				       "100 years)";
			n = n * 10 + (*p - '0');
		}
		p = tu_skip_space(p);
		if (!tu_isalpha(*p)) {
			if (n == 0 && seen == 0 && *p == '\0')
				break; /* a bare "0" */
			if (*p == '.')
				return "only whole numbers are accepted";
			return "a unit is missing after the number";
		}
		if ((unit = tu_scan_unit(&p)) < 0)
			return "unknown unit";
		if (seen & (1u << unit))
			return "a unit is given twice";
		seen |= 1u << unit;
		if (n > tu_unit_max[unit])
			return "it is too long (the limit is 100 years)";
		if (unit <= TU_U_H)
			secs += n * tu_unit_mult[unit];
		else if (unit <= TU_U_W)
			days += n * tu_unit_mult[unit];
		else
			bdays += n;
		p = tu_skip_space(p);
		sep = 0;
		if (*p == ',') {
			p = tu_skip_space(p + 1);
			sep = 1;
		} else if (strncasecmp(p, "and", 3) == 0 && tu_isspace(p[3])) {
			p = tu_skip_space(p + 3);
			sep = 1;
		}
		if (*p == '\0') {
			if (sep)
				return "it ends with a separator";
			break;
		}
	}
	if (secs > TU_MAX_SECONDS || days > TIMEUTIL_MAX_DAYS)
		return "it is too long (the limit is 100 years)";
	if (secs == 0 && days == 0 && bdays == 0 && !allow_zero)
		return "it must be greater than zero";
	out->seconds = secs;
	out->days = (int32_t)days;
	out->business_days = (int32_t)bdays;
	return NULL;
}

int
timeutil_parse_duration_ex(const char *s, int allow_zero,
    struct timeutil_duration *out, char **errp)
{
	struct timeutil_duration d;
	const char *why;

	if (s == NULL)
		s = "";
	if (strlen(s) > TU_INPUT_MAX)
		why = "it is too long";
	else
		why = tu_scan_duration(s, allow_zero, &d);
	if (why != NULL)
		return err_set(errp, "invalid duration '%.*s': %s; %s",
		    TU_INPUT_MAX, s, why, TU_DUR_HELP);
	*out = d;
	return 0;
}

int
timeutil_parse_duration(const char *s, struct timeutil_duration *out,
    char **errp)
{
	return timeutil_parse_duration_ex(s, 0, out, errp);
}

/*
 * "H:MM" or "HH:MM", plus ":SS" when secs != NULL, at s; *end is set after
 * it.  1 = not shaped like a clock, -1 = shaped like one but out of range,
 * 0 = ok.  "24:00" gives 1440 and is left to the caller to refuse.
 */
static int
tu_scan_clock(const char *s, int *minute, int *secs, const char **end)
{
	const char *p = s;
	int h, m, sec = 0;

	if (!tu_isdigit(p[0]))
		return 1;
	if (tu_isdigit(p[1])) {
		h = tu_2digits(p);
		p += 2;
	} else
		h = *p++ - '0';
	if (*p != ':' || (m = tu_2digits(p + 1)) < 0)
		return 1;
	p += 3;
	if (secs != NULL && *p == ':') {
		if ((sec = tu_2digits(p + 1)) < 0)
			return 1;
		p += 3;
	}
	if (tu_isdigit(*p))
		return 1;
	*end = p;
	if (h == 24 && m == 0 && sec == 0) {
		*minute = 1440;
	} else if (h > 23 || m > 59 || sec > 59) {
		return -1;
	} else
		*minute = h * 60 + m;
	if (secs != NULL)
		*secs = sec;
	return 0;
}

int
timeutil_parse_clock(const char *s, int *minute_of_day, char **errp)
{
	char buf[TU_INPUT_MAX];
	const char *end;
	int m;

	if (tu_input(&s, buf, sizeof(buf)) != 0 ||
	    tu_scan_clock(buf, &m, NULL, &end) != 0 || *end != '\0' ||
	    m == 1440)
		return err_set(errp, "invalid time of day '%.*s': expected HH:MM "
		    "between 00:00 and 23:59", TU_INPUT_MAX, s);
	*minute_of_day = m;
	return 0;
}

int
timeutil_parse_hours(const char *s, int *start_min, int *end_min,
    char **errp)
{
	char buf[TU_INPUT_MAX];
	const char *p, *end;
	int a, b;

	if (tu_input(&s, buf, sizeof(buf)) != 0)
		goto bad;
	if (tu_scan_clock(buf, &a, NULL, &end) != 0 || a == 1440)
		goto bad;
	p = tu_skip_space(end);
	if (*p != '-')
		goto bad;
	p = tu_skip_space(p + 1);
	if (tu_scan_clock(p, &b, NULL, &end) != 0 || *end != '\0')
		goto bad;
	if (a >= b)
		return err_set(errp, "invalid working hours '%.*s': the start "
		    "must be before the end", TU_INPUT_MAX, s);
	*start_min = a;
	*end_min = b;
	return 0;
bad:
	return err_set(errp, "invalid working hours '%.*s': expected "
	    "HH:MM-HH:MM such as 08:00-17:00 (00:00-24:00 for all day)",
	    TU_INPUT_MAX, s);
}

/* A day name: its first three letters or more of the full name. */
static int
tu_day_name(const char *w, size_t n)
{
	int i;

	if (n < 3)
		return -1;
	for (i = 0; i < 7; i++)
		if (n <= strlen(tu_day_names[i]) &&
		    strncasecmp(w, tu_day_names[i], n) == 0)
			return i;
	return -1;
}

/* Scans one day name at *pp, skipping space around it. */
static int
tu_scan_day_name(const char **pp)
{
	const char *p = tu_skip_space(*pp), *w = p;
	int d;

	while (tu_isalpha(*p))
		p++;
	if ((d = tu_day_name(w, (size_t)(p - w))) < 0)
		return -1;
	*pp = tu_skip_space(p);
	return d;
}

int
timeutil_parse_days(const char *s, unsigned *days, char **errp)
{
	const char *p;
	unsigned mask = 0;
	int a, b;

	if (s == NULL)
		s = "";
	if (strlen(s) > TU_INPUT_MAX)
		goto bad;
	p = s;
	for (;;) {
		if ((a = tu_scan_day_name(&p)) < 0)
			goto bad;
		b = a;
		if (*p == '-') {
			p++;
			if ((b = tu_scan_day_name(&p)) < 0)
				goto bad;
		}
		/* Ranges run forward and wrap: sat-mon = sat, sun, mon. */
		for (;;) {
			mask |= 1u << a;
			if (a == b)
				break;
			a = (a + 1) % 7;
		}
		if (*p == '\0')
			break;
		if (*p++ != ',')
			goto bad;
	}
	*days = mask;
	return 0;
bad:
	return err_set(errp, "invalid days '%.*s': expected day names or "
	    "ranges such as mon-fri, mon,wed,fri, sat-mon or "
	    "monday-friday", TU_INPUT_MAX, s);
}

/*
 * "YYYY-MM-DD" at s; *end is set after it.  1 = not shaped like a date,
 * -1 = no such date, 0 = ok.  timegm()/gmtime_r() do the calendar.
 */
static int
tu_scan_date(const char *s, int32_t *day, const char **end)
{
	struct tm tm, back;
	time_t t;
	int y, m, d, i;

	for (i = 0; i < 4; i++)
		if (!tu_isdigit(s[i]))
			return 1;
	if (s[4] != '-' || (m = tu_2digits(s + 5)) < 0 || s[7] != '-' ||
	    (d = tu_2digits(s + 8)) < 0 || tu_isdigit(s[10]))
		return 1;
	*end = s + 10;
	y = tu_2digits(s) * 100 + tu_2digits(s + 2);
	if (y < 1970 || m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	t = timegm(&tm);
	if (gmtime_r(&t, &back) == NULL || back.tm_year != y - 1900 ||
	    back.tm_mon != m - 1 || back.tm_mday != d)
		return -1;
	*day = (int32_t)(t / TU_DAY);
	return 0;
}

int
timeutil_parse_date(const char *s, int32_t *day, char **errp)
{
	char buf[TU_INPUT_MAX];
	const char *end;
	int32_t d;
	int r;

	if (tu_input(&s, buf, sizeof(buf)) != 0)
		r = 1;
	else if ((r = tu_scan_date(buf, &d, &end)) == 0 && *end != '\0')
		r = 1;
	if (r < 0)
		return err_set(errp, "invalid date '%.*s': no such day",
		    TU_INPUT_MAX, s);
	if (r > 0)
		return err_set(errp, "invalid date '%.*s': expected YYYY-MM-DD "
		    "such as 2026-12-24", TU_INPUT_MAX, s);
	*day = d;
	return 0;
}

/* "z", "+HH:MM", "+HHMM" or "+HH" (or "-") filling the rest of s. */
static int
tu_scan_offset(const char *p, int *off)
{
	int sign, h, m = 0;

	if (strcmp(p, "z") == 0) {
		*off = 0;
		return 0;
	}
	if (*p != '+' && *p != '-')
		return -1;
	sign = *p++ == '-' ? -1 : 1;
	if ((h = tu_2digits(p)) < 0)
		return -1;
	p += 2;
	if (*p == ':')
		p++;
	if (*p != '\0') {
		if ((m = tu_2digits(p)) < 0)
			return -1;
		p += 2;
	}
	if (*p != '\0' || h > 23 || m > 59)
		return -1;
	*off = sign * (h * 3600 + m * 60);
	return 0;
}

enum { TU_D_NONE, TU_D_DATE, TU_D_TODAY, TU_D_TOMORROW, TU_D_WEEKDAY };

/*
 * A day word at s: a date (with an optional "T..." time left in *rest),
 * today, tomorrow or a weekday.  0 = ok, 1 = not a day, or a refusal reason
 * in *why.
 */
static int
tu_scan_day(const char *s, int *kind, int32_t *day, int *wd,
    const char **rest, const char **why)
{
	const char *end;
	int r;

	*rest = NULL;
	if ((r = tu_scan_date(s, day, &end)) < 0) {
		*why = "no such date";
		return -1;
	}
	if (r == 0) {
		*kind = TU_D_DATE;
		if (*end == 't' && end[1] != '\0')
			*rest = end + 1;
		else if (*end != '\0')
			return 1;
		return 0;
	}
	if (strcmp(s, "today") == 0)
		*kind = TU_D_TODAY;
	else if (strcmp(s, "tomorrow") == 0)
		*kind = TU_D_TOMORROW;
	else if ((*wd = tu_day_name(s, strlen(s))) >= 0)
		*kind = TU_D_WEEKDAY;
	else
		return 1;
	return 0;
}

/* "+3d" / "in 3 days": the duration applied to now in the zone. */
static const char *
tu_when_relative(const char *s, time_t now, const char *zone,
    const struct timeutil_hours *hours, time_t *out)
{
	struct timeutil_hours h;
	struct timeutil_duration d;
	const char *why;

	if ((why = tu_scan_duration(s, 0, &d)) != NULL)
		return why;
	if (hours != NULL)
		h = *hours;
	else {
		memset(&h, 0, sizeof(h));
		h.start_min = 0;
		h.end_min = 1440;
		h.days = TIMEUTIL_WEEKDAYS;
	}
	h.zone = zone;
	*out = timeutil_apply(&h, now, &d, 1);
	return NULL;
}

/* The absolute forms as read: a day part and the time part's word. */
struct tu_when {
	int kind;          /* TU_D_* */
	int32_t day;       /* TU_D_DATE: its civil day number */
	int wd;            /* TU_D_WEEKDAY: Monday = 0 */
	const char *tpart; /* the time of day, or NULL for default_min */
};

/*
 * Up to two words in buf (a day part and a time part, either order, "at"
 * allowed between), the day part read into *w.  Returns NULL or the reason.
 */
static const char *
tu_when_split(char *buf, struct tu_when *w)
{
	char *tok[3], *save = NULL, *p;
	const char *rest = NULL, *why = "not recognised";
	int ntok = 0, r;

	w->kind = TU_D_NONE;
	w->day = 0;
	w->wd = 0;
	w->tpart = NULL;
	for (p = strtok_r(buf, " \t\n\v\f\r", &save); p != NULL;
	    p = strtok_r(NULL, " \t\n\v\f\r", &save)) {
		if (ntok == 3)
			return "too many words";
		tok[ntok++] = p;
	}
	if (ntok == 3) {
		if (strcmp(tok[1], "at") != 0)
			return "not recognised";
		tok[1] = tok[2];
		ntok = 2;
	}
	if (ntok == 1) {
		if ((r = tu_scan_day(tok[0], &w->kind, &w->day, &w->wd, &rest,
		    &why)) < 0)
			return why;
		if (r > 0) {
			w->kind = TU_D_NONE;
			w->tpart = tok[0];
		} else
			w->tpart = rest;
	} else {
		if ((r = tu_scan_day(tok[0], &w->kind, &w->day, &w->wd, &rest,
		    &why)) < 0)
			return why;
		if (r == 0 && rest == NULL) {
			w->tpart = tok[1];
		} else {
			if ((r = tu_scan_day(tok[1], &w->kind, &w->day, &w->wd,
			    &rest, &why)) < 0)
				return why;
			if (r > 0 || rest != NULL)
				return "not recognised";
			w->tpart = tok[0];
		}
	}
	return NULL;
}

/*
 * The moment of w's day at `sec` seconds after midnight in the zone (set),
 * relative to now.  Returns NULL or the reason.
 */
static const char *
tu_when_moment(const struct tu_when *w, time_t now, int sec, time_t *out,
    int *gap)
{
	struct tm tm;
	int32_t day = w->day, today;
	time_t t;

	today = tu_day_of(now, &tm);
	switch (w->kind) {
	case TU_D_DATE:
		break;
	case TU_D_TODAY:
		day = today;
		break;
	case TU_D_TOMORROW:
		day = today + 1;
		break;
	case TU_D_WEEKDAY:
		day = today + (w->wd - tu_weekday_of_day(today) + 7) % 7;
		break;
	default:
		day = today;
		break;
	}
	if (tu_day_at(day, sec, &t) != 0)
		return "out of range";
	/* A bare time or weekday means the next such moment. */
	if ((w->kind == TU_D_NONE || w->kind == TU_D_WEEKDAY) && t <= now &&
	    tu_day_at(day + (w->kind == TU_D_NONE ? 1 : 7), sec, &t) != 0)
		return "out of range";
	/* A wall time the clocks skip (spring forward) became the first
	 * one after the jump. */
	tu_day_of(t, &tm);
	*gap = tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec != sec;
	*out = t;
	return NULL;
}

/*
 * The absolute forms: a day part, a time part or both (tu_when_split()).
 * buf is lower-case and trimmed; the zone is set.  Returns NULL or the
 * reason.  A date with a time and an offset is a moment whatever the zone.
 */
static const char *
tu_when_absolute(char *buf, time_t now, int default_min, time_t *out,
    int *gap)
{
	struct tu_when w;
	const char *end, *why;
	int minute, sec = 0, off = 0, r;

	if ((why = tu_when_split(buf, &w)) != NULL)
		return why;
	minute = default_min;
	if (w.tpart != NULL) {
		if ((r = tu_scan_clock(w.tpart, &minute, &sec, &end)) > 0)
			return "not recognised";
		if (r < 0 || minute == 1440)
			return "no such time of day";
		if (*end != '\0') {
			if (w.kind != TU_D_DATE ||
			    tu_scan_offset(end, &off) != 0)
				return "not recognised";
			*out = (time_t)((int64_t)w.day * TU_DAY + minute * 60 +
			    sec - off);
			return NULL;
		}
	}
	return tu_when_moment(&w, now, minute * 60 + sec, out, gap);
}

int
timeutil_parse_when(const char *s, time_t now, const char *zone,
    int default_min, const struct timeutil_hours *hours, time_t *out,
    char **errp)
{
	char buf[TU_INPUT_MAX], iso[TIMEUTIL_ISO_MAX];
	const char *why;
	time_t t = 0;
	int gap = 0;

	if (s == NULL)
		s = "";
	if (default_min < 0 || default_min > 1439)
		return err_set(errp, "invalid default time of day %d",
		    default_min);
	if (tu_set_zone(zone) != 0)
		return err_set(errp, "unknown time zone '%.*s'",
		    TU_ZONE_MAX, zone);
	if (tu_trim_lower(s, buf, sizeof(buf)) != 0)
		why = "it is too long";
	else if (buf[0] == '\0')
		why = "it is empty";
	else if (strcmp(buf, "now") == 0) {
		t = now;
		why = NULL;
	} else if (buf[0] == '+')
		why = tu_when_relative(buf + 1, now, zone, hours, &t);
	else if (strncmp(buf, "in", 2) == 0 && tu_isspace(buf[2]))
		why = tu_when_relative(buf + 2, now, zone, hours, &t);
	else
		why = tu_when_absolute(buf, now, default_min, &t, &gap);
	if (why == NULL && t > TIMEUTIL_LAST)
		why = "it is too far in the future (the last day is "
		    "9999-12-29)";
	if (why != NULL)
		return err_set(errp, "cannot read '%.*s' as a time: %s; %s",
		    TU_INPUT_MAX, s, why, TU_WHEN_HELP);
	if (gap && timeutil_format_iso(t, zone, iso, sizeof(iso)) == 0)
		notice(NOTICE_WARN, "'%.*s' does not exist in %s (the clocks "
		    "go forward then); read as %s", TU_INPUT_MAX, s,
		    zone != NULL ? zone : "UTC", iso);
	*out = t;
	return 0;
}
