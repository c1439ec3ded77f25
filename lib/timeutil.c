#include "timeutil.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"

#define TU_ZONEDIR "/usr/share/zoneinfo"
#define TU_DAY 86400
#define TU_MAX_SECONDS ((int64_t)TIMEUTIL_MAX_DAYS * TU_DAY)
#define TU_MAX_BDAYS (TIMEUTIL_MAX_DAYS * 5 / 7)
#define TU_INPUT_MAX 128 /* longest text the parsers look at */
#define TU_SPAN_MAX ((int64_t)400 * 366 * TU_DAY) /* working_seconds clamp */
/* Moments further than ~31,000 years from 1970 are left alone, so that no
 * day arithmetic can overflow. */
#define TU_T_MAX ((int64_t)1000000000000)

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

/* The zone TZ was last set to by this module ("" = none yet). */
static char tu_zone_cur[TIMEUTIL_ZONE_MAX + 1];

/* A normalised copy of struct timeutil_hours (defaults filled in). */
struct tu_hours {
	const char *zone;
	int start, end; /* minutes of day */
	unsigned days;
	const int32_t *hol;
	size_t nhol;
};

static int64_t
tu_floordiv(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static int
tu_isspace(int c)
{
	return isspace((unsigned char)c);
}

static int
tu_isdigit(int c)
{
	return c >= '0' && c <= '9';
}

static int
tu_isalpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
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

/* Zone names are IANA-style paths: letters, digits, "/_+-", no "..". */
static int
tu_zone_name_ok(const char *zone)
{
	size_t len = strlen(zone), i;

	if (len == 0 || len > TIMEUTIL_ZONE_MAX || zone[0] == '/' ||
	    strstr(zone, "..") != NULL)
		return 0;
	for (i = 0; i < len; i++)
		if (!tu_isalpha(zone[i]) && !tu_isdigit(zone[i]) &&
		    strchr("/_+-", zone[i]) == NULL)
			return 0;
	return 1;
}

/*
 * tzset() silently falls back to UTC for a name it cannot load, so a zone
 * is only valid when its file exists, is regular and starts with the TZif
 * magic.
 */
int
timeutil_zone_valid(const char *zone)
{
	char path[sizeof(TU_ZONEDIR) + TIMEUTIL_ZONE_MAX + 2];
	char magic[4];
	struct stat st;
	int fd, ok;

	if (zone == NULL)
		return 0;
	if (strcmp(zone, "UTC") == 0)
		return 1;
	if (!tu_zone_name_ok(zone))
		return 0;
	snprintf(path, sizeof(path), "%s/%s", TU_ZONEDIR, zone);
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) < 0)
		return 0;
	ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    read(fd, magic, sizeof(magic)) == (ssize_t)sizeof(magic) &&
	    memcmp(magic, "TZif", sizeof(magic)) == 0;
	close(fd);
	return ok;
}

/*
 * Point TZ at zone (NULL = UTC).  The name set last is cached, and TZ is
 * compared too in case someone else changed it, so a run of calls for one
 * zone costs neither validation nor tzset().  -1 on an unknown zone.
 */
static int
tu_set_zone(const char *zone)
{
	const char *val, *cur;

	if (zone == NULL || strcmp(zone, "UTC") == 0) {
		zone = "UTC";
		val = "UTC0"; /* POSIX form: works without tzdata too */
	} else
		val = zone;
	cur = getenv("TZ");
	if (strcmp(tu_zone_cur, zone) == 0 && cur != NULL &&
	    strcmp(cur, val) == 0)
		return 0;
	if (val == zone && !timeutil_zone_valid(zone))
		return -1;
	if (setenv("TZ", val, 1) != 0)
		return -1;
	tzset();
	snprintf(tu_zone_cur, sizeof(tu_zone_cur), "%s", zone);
	return 0;
}

/* For the functions that cannot fail: an unknown zone means UTC. */
static void
tu_zone_or_utc(const char *zone)
{
	if (tu_set_zone(zone) != 0)
		(void)tu_set_zone(NULL);
}

/* localtime_r() that leaves a sane struct behind when t is out of range. */
static int
tu_localtime(time_t t, struct tm *tm)
{
	if ((int64_t)t >= -TU_T_MAX && (int64_t)t <= TU_T_MAX &&
	    localtime_r(&t, tm) != NULL)
		return 0;
	memset(tm, 0, sizeof(*tm));
	tm->tm_year = 70;
	tm->tm_mday = 1;
	return -1;
}

/* Civil day number of t's local date (zone already set); fills *tm. */
static int32_t
tu_day_of(time_t t, struct tm *tm)
{
	if (tu_localtime(t, tm) != 0)
		return 0;
	return (int32_t)tu_floordiv((int64_t)t + tm->tm_gmtoff, TU_DAY);
}

/* Monday = 0.  1970-01-01 (day 0) was a Thursday. */
static int
tu_weekday_of_day(int32_t day)
{
	int64_t r = ((int64_t)day + 3) % 7;

	return (int)(r < 0 ? r + 7 : r);
}

static long
tu_gmtoff_at(time_t t)
{
	struct tm tm;

	if (tu_localtime(t, &tm) != 0)
		return 0;
	return tm.tm_gmtoff;
}

/*
 * Local civil fields (zone already set) -> epoch.  mktime() does the
 * normalisation and gives an anchor, but what it does with times in a gap
 * or an overlap varies, so the answer is settled here: every UTC offset in
 * force within a day of the anchor is tried, the earliest instant whose
 * local time is the wanted one wins (overlap -> earlier), and when none
 * matches (gap) the transition itself, the first valid instant after the
 * wanted time, is found by bisection.
 */
static int
tu_mklocal(const struct tm *want, time_t *out)
{
	struct tm tm = *want, u = *want;
	time_t t0, l, cand, best = 0, lo, hi, mid;
	long offs[3], olo, ohi;
	int found = 0, i;

	u.tm_isdst = 0;
	errno = 0;
	l = timegm(&u); /* the wanted local time, counted as if UTC */
	if (l == (time_t)-1 && errno != 0)
		return -1;
	tm.tm_isdst = -1;
	errno = 0;
	t0 = mktime(&tm);
	if (t0 == (time_t)-1 && errno != 0)
		return -1;
	offs[0] = tu_gmtoff_at(t0 - TU_DAY);
	offs[1] = tu_gmtoff_at(t0);
	offs[2] = tu_gmtoff_at(t0 + TU_DAY);
	olo = ohi = offs[0];
	for (i = 0; i < 3; i++) {
		if (offs[i] < olo)
			olo = offs[i];
		if (offs[i] > ohi)
			ohi = offs[i];
		cand = l - offs[i];
		if (tu_gmtoff_at(cand) == offs[i] && (!found || cand < best)) {
			best = cand;
			found = 1;
		}
	}
	if (found) {
		*out = best;
		return 0;
	}
	if (olo == ohi) {
		*out = t0; /* no transition near: trust mktime() */
		return 0;
	}
	/* In the gap: local(lo) < l <= local(hi). */
	lo = l - ohi;
	hi = l - olo;
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (mid + tu_gmtoff_at(mid) >= l)
			hi = mid;
		else
			lo = mid;
	}
	*out = hi;
	return 0;
}

/* Epoch of local day `day` at `sec` seconds after midnight (zone set). */
static int
tu_day_at(int32_t day, int sec, time_t *out)
{
	struct tm tm;
	time_t d = (time_t)day * TU_DAY;

	if (gmtime_r(&d, &tm) == NULL)
		return -1;
	tm.tm_hour = sec / 3600;
	tm.tm_min = sec / 60 % 60;
	tm.tm_sec = sec % 60;
	return tu_mklocal(&tm, out);
}

static void
tu_hours_norm(const struct timeutil_hours *in, struct tu_hours *h)
{
	memset(h, 0, sizeof(*h));
	h->start = 0;
	h->end = 1440;
	h->days = TIMEUTIL_WEEKDAYS;
	if (in == NULL)
		return;
	h->zone = in->zone;
	if (in->start_min >= 0 && in->start_min < in->end_min &&
	    in->end_min <= 1440) {
		h->start = in->start_min;
		h->end = in->end_min;
	}
	if ((in->days & TIMEUTIL_ALL_DAYS) != 0)
		h->days = in->days & TIMEUTIL_ALL_DAYS;
	if (in->holidays != NULL) {
		h->hol = in->holidays;
		h->nhol = in->nholidays;
	}
}

static int
tu_cmp_day(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;

	return (x > y) - (x < y);
}

static int
tu_working_day(const struct tu_hours *h, int32_t day)
{
	if ((h->days & (1u << tu_weekday_of_day(day))) == 0)
		return 0;
	return h->nhol == 0 || bsearch(&day, h->hol, h->nhol, sizeof(*h->hol),
	    tu_cmp_day) == NULL;
}

/* The working window [*ws, *we) of a local day (zone set). */
static int
tu_window(const struct tu_hours *h, int32_t day, time_t *ws, time_t *we)
{
	if (tu_day_at(day, h->start * 60, ws) != 0 ||
	    tu_day_at(day, h->end * 60, we) != 0)
		return -1;
	return 0;
}

/* A run of days off is at most 6 weekend days plus every holiday. */
static size_t
tu_scan_limit(const struct tu_hours *h)
{
	return h->nhol + 15;
}

/*
 * Working windows lie inside their local day, so the first one reaching
 * past t is on t's local date or one of the next few working days.
 */
time_t
timeutil_next_working(const struct timeutil_hours *hours, time_t t)
{
	struct tu_hours h;
	struct tm tm;
	time_t ws, we;
	int32_t day;
	size_t i, limit;

	tu_hours_norm(hours, &h);
	tu_zone_or_utc(h.zone);
	if (tu_localtime(t, &tm) != 0)
		return t;
	day = tu_day_of(t, &tm);
	limit = tu_scan_limit(&h);
	for (i = 0; i < limit; i++, day++) {
		if (!tu_working_day(&h, day))
			continue;
		if (tu_window(&h, day, &ws, &we) != 0)
			return t;
		if (t < ws)
			return ws;
		if (t < we)
			return t;
	}
	return t;
}

int
timeutil_is_working(const struct timeutil_hours *hours, time_t t)
{
	return timeutil_next_working(hours, t) == t;
}

/* Sum of the overlaps of [from, to) with each working day's window. */
int64_t
timeutil_working_seconds(const struct timeutil_hours *hours, time_t from,
    time_t to)
{
	struct tu_hours h;
	struct tm tm;
	time_t ws, we, lo, hi;
	int32_t day, last;
	int64_t sum = 0, span;

	if (to <= from)
		return 0;
	/* On overflow from is negative, so from + TU_SPAN_MAX cannot. */
	if (__builtin_sub_overflow((int64_t)to, (int64_t)from, &span) ||
	    span > TU_SPAN_MAX)
		to = (time_t)((int64_t)from + TU_SPAN_MAX);
	tu_hours_norm(hours, &h);
	tu_zone_or_utc(h.zone);
	if (tu_localtime(from, &tm) != 0 || tu_localtime(to, &tm) != 0)
		return 0;
	day = tu_day_of(from, &tm);
	last = tu_day_of(to, &tm);
	for (; day <= last; day++) {
		if (!tu_working_day(&h, day))
			continue;
		if (tu_window(&h, day, &ws, &we) != 0)
			break;
		lo = ws > from ? ws : from;
		hi = we < to ? we : to;
		if (hi > lo)
			sum += (int64_t)(hi - lo);
	}
	return sum;
}

static int32_t
tu_clamp32(int64_t v, int32_t max)
{
	return (int32_t)(v > max ? max : v < -max ? -max : v);
}

/* t moved by n civil days in the zone, keeping the wall-clock time. */
static time_t
tu_add_days(time_t t, int32_t n)
{
	struct tm tm;
	time_t r;

	if (n == 0 || tu_localtime(t, &tm) != 0)
		return t;
	tm.tm_mday += n;
	return tu_mklocal(&tm, &r) == 0 ? r : t;
}

static time_t
tu_add_seconds(time_t t, int64_t n)
{
	int64_t r;

	if (__builtin_add_overflow((int64_t)t, n, &r))
		return t;
	return (time_t)r;
}

/* Same local time of day on the |n|th working day after/before t's date. */
static time_t
tu_add_bdays(const struct tu_hours *h, time_t t, int32_t n)
{
	struct tm tm;
	int32_t day;
	int step = n < 0 ? -1 : 1;
	time_t r;

	if (n == 0 || tu_localtime(t, &tm) != 0)
		return t;
	day = tu_day_of(t, &tm);
	if (n < 0)
		n = -n;
	while (n > 0) {
		day += step;
		if (tu_working_day(h, day))
			n--;
	}
	if (tu_day_at(day, tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec,
	    &r) != 0)
		return t;
	return r;
}

/*
 * Days first, as a calendar would (Temporal and RFC 5545 do the same), then
 * elapsed seconds, then business days; reversed for subtraction so that
 * apply(apply(t, d, +1), d, -1) == t away from gaps.  Parts beyond the
 * parser's limits are clamped to them.
 */
time_t
timeutil_apply(const struct timeutil_hours *hours, time_t t,
    const struct timeutil_duration *d, int sign)
{
	struct tu_hours h;
	int32_t days, bdays;
	int64_t secs;

	if (d == NULL)
		return t;
	tu_hours_norm(hours, &h);
	tu_zone_or_utc(h.zone);
	days = tu_clamp32(d->days, TIMEUTIL_MAX_DAYS);
	bdays = tu_clamp32(d->business_days, TU_MAX_BDAYS);
	secs = d->seconds > TU_MAX_SECONDS ? TU_MAX_SECONDS
	    : d->seconds < -TU_MAX_SECONDS ? -TU_MAX_SECONDS : d->seconds;
	if (sign < 0) {
		t = tu_add_bdays(&h, t, -bdays);
		t = tu_add_seconds(t, -secs);
		t = tu_add_days(t, -days);
	} else {
		t = tu_add_days(t, days);
		t = tu_add_seconds(t, secs);
		t = tu_add_bdays(&h, t, bdays);
	}
	return t;
}

int
timeutil_make_local(const char *zone, int y, int mon, int d, int h, int mi,
    int s, time_t *out)
{
	struct tm tm;

	if (y < 0 || y > 30000 || mon < -1000000 || mon > 1000000 ||
	    tu_set_zone(zone) != 0)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mon - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	return tu_mklocal(&tm, out);
}

int32_t
timeutil_local_day(const char *zone, time_t t)
{
	struct tm tm;

	tu_zone_or_utc(zone);
	return tu_day_of(t, &tm);
}

int
timeutil_local_minute(const char *zone, time_t t)
{
	struct tm tm;

	tu_zone_or_utc(zone);
	tu_localtime(t, &tm);
	return tm.tm_hour * 60 + tm.tm_min;
}

int
timeutil_local_weekday(const char *zone, time_t t)
{
	struct tm tm;

	tu_zone_or_utc(zone);
	tu_localtime(t, &tm);
	return (tm.tm_wday + 6) % 7;
}

/* ---- parsing ---------------------------------------------------------- */

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

	if (s == NULL)
		s = "";
	if (tu_trim_lower(s, buf, sizeof(buf)) != 0 ||
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

	if (s == NULL)
		s = "";
	if (tu_trim_lower(s, buf, sizeof(buf)) != 0)
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

	if (s == NULL)
		s = "";
	if (tu_trim_lower(s, buf, sizeof(buf)) != 0)
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

/*
 * The absolute forms: up to two words (a day part and a time part, either
 * order, "at" allowed between).  buf is lower-case and trimmed; the zone is
 * set.  Returns NULL or the reason.
 */
static const char *
tu_when_absolute(char *buf, time_t now, int default_min, time_t *out)
{
	char *tok[3], *save = NULL, *p;
	const char *tpart = NULL, *rest = NULL, *end, *why = "not recognised";
	struct tm tm;
	int ntok = 0, kind = TU_D_NONE, wd = 0, minute, sec = 0, off = 0;
	int has_off = 0, r;
	int32_t day = 0, today;
	time_t t;

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
		if ((r = tu_scan_day(tok[0], &kind, &day, &wd, &rest, &why)) < 0)
			return why;
		if (r > 0) {
			kind = TU_D_NONE;
			tpart = tok[0];
		} else
			tpart = rest;
	} else {
		if ((r = tu_scan_day(tok[0], &kind, &day, &wd, &rest, &why)) < 0)
			return why;
		if (r == 0 && rest == NULL) {
			tpart = tok[1];
		} else {
			if ((r = tu_scan_day(tok[1], &kind, &day, &wd, &rest,
			    &why)) < 0)
				return why;
			if (r > 0 || rest != NULL)
				return "not recognised";
			tpart = tok[0];
		}
	}
	minute = default_min;
	if (tpart != NULL) {
		if ((r = tu_scan_clock(tpart, &minute, &sec, &end)) > 0)
			return "not recognised";
		if (r < 0 || minute == 1440)
			return "no such time of day";
		if (*end != '\0') {
			if (kind != TU_D_DATE || tu_scan_offset(end, &off) != 0)
				return "not recognised";
			has_off = 1;
		}
	}
	if (has_off) {
		*out = (time_t)((int64_t)day * TU_DAY + minute * 60 + sec - off);
		return NULL;
	}
	today = tu_day_of(now, &tm);
	switch (kind) {
	case TU_D_DATE:
		break;
	case TU_D_TODAY:
		day = today;
		break;
	case TU_D_TOMORROW:
		day = today + 1;
		break;
	case TU_D_WEEKDAY:
		day = today + (wd - tu_weekday_of_day(today) + 7) % 7;
		break;
	default:
		day = today;
		break;
	}
	if (tu_day_at(day, minute * 60 + sec, &t) != 0)
		return "out of range";
	/* A bare time or weekday means the next such moment. */
	if ((kind == TU_D_NONE || kind == TU_D_WEEKDAY) && t <= now &&
	    tu_day_at(day + (kind == TU_D_NONE ? 1 : 7), minute * 60 + sec,
	    &t) != 0)
		return "out of range";
	*out = t;
	return NULL;
}

int
timeutil_parse_when(const char *s, time_t now, const char *zone,
    int default_min, const struct timeutil_hours *hours, time_t *out,
    char **errp)
{
	char buf[TU_INPUT_MAX];
	const char *why;
	time_t t = 0;

	if (s == NULL)
		s = "";
	if (default_min < 0 || default_min > 1439)
		return err_set(errp, "invalid default time of day %d",
		    default_min);
	if (tu_set_zone(zone) != 0)
		return err_set(errp, "unknown time zone '%.*s'",
		    TIMEUTIL_ZONE_MAX, zone);
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
		why = tu_when_absolute(buf, now, default_min, &t);
	if (why != NULL)
		return err_set(errp, "cannot read '%.*s' as a time: %s; %s",
		    TU_INPUT_MAX, s, why, TU_WHEN_HELP);
	*out = t;
	return 0;
}

/* ---- formatting ------------------------------------------------------- */

/* "2026-11-23T15:34:26+01:00" */
#define TU_ISO_LEN 25

/* v as exactly `width` decimal digits (0 <= v < 10^width). */
static void
tu_digits(char *p, long v, int width)
{
	while (width-- > 0) {
		p[width] = (char)('0' + v % 10);
		v /= 10;
	}
}

int
timeutil_format_iso(time_t t, const char *zone, char *buf, size_t len)
{
	struct tm tm;
	long off;
	int n;

	if (buf == NULL || len == 0)
		return -1;
	buf[0] = '\0';
	if (tu_set_zone(zone) != 0 || localtime_r(&t, &tm) == NULL)
		return -1;
	off = tm.tm_gmtoff < 0 ? -tm.tm_gmtoff : tm.tm_gmtoff;
	/* Digits by hand: snprintf() was most of the cost, and a webhook
	 * body has five of these. */
	if (tm.tm_year + 1900L >= 0 && tm.tm_year + 1900L <= 9999 &&
	    off / 3600 <= 99 && len > TU_ISO_LEN) {
		tu_digits(buf, tm.tm_year + 1900L, 4);
		buf[4] = '-';
		tu_digits(buf + 5, tm.tm_mon + 1, 2);
		buf[7] = '-';
		tu_digits(buf + 8, tm.tm_mday, 2);
		buf[10] = 'T';
		tu_digits(buf + 11, tm.tm_hour, 2);
		buf[13] = ':';
		tu_digits(buf + 14, tm.tm_min, 2);
		buf[16] = ':';
		tu_digits(buf + 17, tm.tm_sec, 2);
		buf[19] = tm.tm_gmtoff < 0 ? '-' : '+';
		tu_digits(buf + 20, off / 3600, 2);
		buf[22] = ':';
		tu_digits(buf + 23, off / 60 % 60, 2);
		buf[TU_ISO_LEN] = '\0';
		return 0;
	}
	n = snprintf(buf, len, "%04ld-%02d-%02dT%02d:%02d:%02d%c%02ld:%02ld",
	    (long)tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, tm.tm_gmtoff < 0 ? '-' : '+', off / 3600,
	    off / 60 % 60);
	if (n < 0 || (size_t)n >= len) {
		buf[0] = '\0';
		return -1;
	}
	return 0;
}

/* Rounded down, so "in 23 hours" is never really 22 hours away. */
int
timeutil_format_relative(time_t t, time_t now, char *buf, size_t len)
{
	static const struct {
		int64_t limit, unit;
		const char *name;
	} steps[] = {
		{ 3600, 60, "minute" },
		{ TU_DAY, 3600, "hour" },
		{ 14 * (int64_t)TU_DAY, TU_DAY, "day" },
		{ 56 * (int64_t)TU_DAY, 7 * (int64_t)TU_DAY, "week" },
		{ 365 * (int64_t)TU_DAY, 30 * (int64_t)TU_DAY, "month" },
		{ INT64_MAX, 365 * (int64_t)TU_DAY, "year" },
	};
	int64_t diff, a, n;
	const char *name;
	size_t i;
	int r;

	if (buf == NULL || len == 0)
		return -1;
	if (__builtin_sub_overflow((int64_t)t, (int64_t)now, &diff) ||
	    diff == INT64_MIN)
		return -1;
	a = diff < 0 ? -diff : diff;
	if (a < 60)
		r = snprintf(buf, len, "now");
	else {
		for (i = 0; i + 1 < sizeof(steps) / sizeof(steps[0]); i++)
			if (a < steps[i].limit)
				break;
		n = a / steps[i].unit;
		name = steps[i].name;
		r = snprintf(buf, len, "%s%lld %s%s%s", diff > 0 ? "in " : "",
		    (long long)n, name, n == 1 ? "" : "s",
		    diff > 0 ? "" : " ago");
	}
	if (r < 0 || (size_t)r >= len) {
		buf[0] = '\0';
		return -1;
	}
	return 0;
}

int
timeutil_format_duration(const struct timeutil_duration *d, char *buf,
    size_t len)
{
	int64_t v[6];
	static const char *const unit[6] = { "w", "d", "h", "m", "s", "bd" };
	size_t pos = 0, i;
	int r;

	if (buf == NULL || len == 0)
		return -1;
	buf[0] = '\0';
	if (d == NULL || d->seconds < 0 || d->days < 0 ||
	    d->business_days < 0)
		return -1;
	v[0] = d->days % 7 == 0 ? d->days / 7 : 0;
	v[1] = d->days % 7 == 0 ? 0 : d->days;
	v[2] = d->seconds / 3600;
	v[3] = d->seconds / 60 % 60;
	v[4] = d->seconds % 60;
	v[5] = d->business_days;
	for (i = 0; i < 6; i++) {
		if (v[i] == 0)
			continue;
		r = snprintf(buf + pos, len - pos, "%lld%s", (long long)v[i],
		    unit[i]);
		if (r < 0 || (size_t)r >= len - pos)
			goto trunc;
		pos += (size_t)r;
	}
	if (pos == 0) {
		r = snprintf(buf, len, "0s");
		if (r < 0 || (size_t)r >= len)
			goto trunc;
	}
	return 0;
trunc:
	buf[0] = '\0';
	return -1;
}

int
timeutil_format_clock(int minute_of_day, char *buf, size_t len)
{
	int r;

	if (buf == NULL || len == 0)
		return -1;
	buf[0] = '\0';
	if (minute_of_day < 0 || minute_of_day > 1440)
		return -1;
	r = snprintf(buf, len, "%02d:%02d", minute_of_day / 60,
	    minute_of_day % 60);
	if (r < 0 || (size_t)r >= len) {
		buf[0] = '\0';
		return -1;
	}
	return 0;
}

int
timeutil_format_date(int32_t day, char *buf, size_t len)
{
	struct tm tm;
	time_t t = (time_t)day * TU_DAY;
	int r;

	if (buf == NULL || len == 0)
		return -1;
	buf[0] = '\0';
	if (gmtime_r(&t, &tm) == NULL)
		return -1;
	r = snprintf(buf, len, "%04ld-%02d-%02d", (long)tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday);
	if (r < 0 || (size_t)r >= len) {
		buf[0] = '\0';
		return -1;
	}
	return 0;
}
